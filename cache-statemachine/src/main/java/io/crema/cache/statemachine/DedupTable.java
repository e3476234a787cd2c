package io.crema.cache.statemachine;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The bounded, deterministic deduplication table for exactly-once requests (Raft dissertation §6.3
 * style client sessions). Per client it remembers the results of up to {@code window} requests
 * above a floor; requests at or below the floor are stale. Clients are kept in least-recently-
 * applied order and the oldest is dropped beyond {@code maxClients}. Every change is a function of
 * the applied log only, so all replicas hold the same table. Used on the apply thread only.
 *
 * <p>Every applied request looks its client up, so the layout is chosen for few cache misses: the
 * recency order is a list threaded through the sessions themselves (no map entry, no boxed id), and
 * a session keeps its first remembered result in fields (a client with one request in flight, which
 * acknowledges all before it, never touches an array).
 */
final class DedupTable {
  private final int maxClients;
  private final int window;
  private final Long2ObjectHashMap<Session> byId = new Long2ObjectHashMap<>();
  private Session eldest;
  private Session newest;
  private long droppedSessions;

  DedupTable(int maxClients, int window) {
    this.maxClients = maxClients;
    this.window = window;
  }

  /** The client's session (created if new, made most recent), with its floor raised to acked. */
  Session session(long clientId, long ackedSeq) {
    Session s = byId.get(clientId);
    if (s == null) {
      s = new Session(clientId, 0, window);
      add(s);
    } else if (s != newest) {
      unlink(s);
      link(s);
    }
    s.ack(ackedSeq);
    return s;
  }

  int size() {
    return byId.size();
  }

  /** Sessions dropped because the table was full (each loses its duplicate protection). */
  long droppedSessions() {
    return droppedSessions;
  }

  int window() {
    return window;
  }

  int maxClients() {
    return maxClients;
  }

  /** Sessions, least recently used first (the order a restore must re-insert them in). */
  List<Session> sessionsInOrder() {
    List<Session> out = new ArrayList<>(byId.size());
    for (Session s = eldest; s != null; s = s.newer) {
      out.add(s);
    }
    return out;
  }

  /** A deep copy, for a snapshot taken while apply continues. */
  List<Session> copySessions() {
    List<Session> copy = new ArrayList<>(byId.size());
    for (Session s = eldest; s != null; s = s.newer) {
      copy.add(s.copy());
    }
    return copy;
  }

  /** Appends a restored session as the most recently used. */
  void restore(Session s) {
    Session old = byId.remove(s.clientId);
    if (old != null) {
      unlink(old);
    }
    add(s);
  }

  private void add(Session s) {
    byId.put(s.clientId, s);
    link(s);
    if (byId.size() > maxClients) {
      Session drop = eldest;
      unlink(drop);
      byId.remove(drop.clientId);
      droppedSessions++;
    }
  }

  private void link(Session s) {
    s.older = newest;
    s.newer = null;
    if (newest == null) {
      eldest = s;
    } else {
      newest.newer = s;
    }
    newest = s;
  }

  private void unlink(Session s) {
    if (s.older == null) {
      eldest = s.newer;
    } else {
      s.older.newer = s.newer;
    }
    if (s.newer == null) {
      newest = s.older;
    } else {
      s.newer.older = s.older;
    }
    s.older = null;
    s.newer = null;
  }

  /**
   * One client's remembered results, in the order they were recorded: result 0 in fields, the rest
   * (only when a client has more than one request unacknowledged) in arrays made on first use.
   */
  static final class Session {
    final long clientId;
    long floor;
    private final int window;
    private int size;
    private long seq0;
    private CacheResult result0;
    private long[] moreSeqs;
    private CacheResult[] moreResults;
    private Session older;
    private Session newer;

    Session(long clientId, long floor, int window) {
      this.clientId = clientId;
      this.floor = floor;
      this.window = window;
    }

    /** How many results are remembered. */
    int size() {
      return size;
    }

    /** The sequence number of remembered result {@code i} (0 = the earliest recorded). */
    long seqAt(int i) {
      return i == 0 ? seq0 : moreSeqs[i - 1];
    }

    /** Remembered result {@code i}. */
    CacheResult resultAt(int i) {
      return i == 0 ? result0 : moreResults[i - 1];
    }

    private void set(int i, long seq, CacheResult result) {
      if (i == 0) {
        seq0 = seq;
        result0 = result;
      } else {
        if (moreSeqs == null) {
          moreSeqs = new long[window - 1];
          moreResults = new CacheResult[window - 1];
        }
        moreSeqs[i - 1] = seq;
        moreResults[i - 1] = result;
      }
    }

    /** The remembered result of {@code seq}, or null. */
    CacheResult find(long seq) {
      for (int i = 0; i < size; i++) {
        if (seqAt(i) == seq) {
          return resultAt(i);
        }
      }
      return null;
    }

    void ack(long acked) {
      if (acked > floor) {
        floor = acked;
        compact();
      }
    }

    /** Records a result; when the window is full the lowest is forgotten and becomes the floor. */
    void record(long seq, CacheResult result) {
      if (size == window) {
        long min = seqAt(0);
        for (int i = 1; i < size; i++) {
          min = Math.min(min, seqAt(i));
        }
        floor = Math.max(floor, min);
        compact();
      }
      set(size, seq, result);
      size++;
    }

    /** Forgets the results at or below the floor, keeping the others in their order. */
    private void compact() {
      int n = 0;
      for (int i = 0; i < size; i++) {
        long seq = seqAt(i);
        if (seq > floor) {
          if (n != i) {
            set(n, seq, resultAt(i));
          }
          n++;
        }
      }
      for (int i = n; i < size; i++) {
        set(i, 0, null);
      }
      size = n;
    }

    Session copy() {
      Session c = new Session(clientId, floor, window);
      for (int i = 0; i < size; i++) {
        c.set(i, seqAt(i), resultAt(i));
      }
      c.size = size;
      return c;
    }
  }
}
