package io.crema.cache.statemachine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The bounded, deterministic deduplication table for exactly-once requests (Raft dissertation §6.3
 * style client sessions). Per client it remembers the results of up to {@code window} requests
 * above a floor; requests at or below the floor are stale. Clients are kept in least-recently-
 * applied order and the oldest is dropped beyond {@code maxClients}. Every change is a function of
 * the applied log only, so all replicas hold the same table. Used on the apply thread only.
 */
final class DedupTable {
  private final int maxClients;
  private final int window;
  private final LinkedHashMap<Long, Session> sessions;
  // The same sessions by primitive id: finding a client's session (once per applied request) boxes
  // nothing; the linked map is then touched with the session's own boxed id to keep the order.
  private final Long2ObjectHashMap<Session> byId = new Long2ObjectHashMap<>();
  private long droppedSessions;

  DedupTable(int maxClients, int window) {
    this.maxClients = maxClients;
    this.window = window;
    this.sessions =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Session> eldest) {
            if (size() > DedupTable.this.maxClients) {
              droppedSessions++;
              byId.remove(eldest.getKey().longValue());
              return true;
            }
            return false;
          }
        };
  }

  /** The client's session (created if new, made most recent), with its floor raised to acked. */
  Session session(long clientId, long ackedSeq) {
    Session s = byId.get(clientId);
    if (s == null) {
      s = new Session(clientId, 0, window);
      add(s);
    } else {
      sessions.get(s.key); // access order: now the most recently used
    }
    s.ack(ackedSeq);
    return s;
  }

  int size() {
    return sessions.size();
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
  Collection<Session> sessionsInOrder() {
    return sessions.values();
  }

  /** A deep copy, for a snapshot taken while apply continues. */
  List<Session> copySessions() {
    List<Session> copy = new ArrayList<>(sessions.size());
    for (Session s : sessions.values()) {
      copy.add(s.copy());
    }
    return copy;
  }

  /** Appends a restored session as the most recently used. */
  void restore(Session s) {
    Session old = byId.get(s.clientId);
    if (old != null) {
      sessions.remove(old.key);
    }
    add(s);
  }

  private void add(Session s) {
    byId.put(s.clientId, s);
    sessions.put(s.key, s);
  }

  /** One client's remembered results. */
  static final class Session {
    final long clientId;
    final Long key;
    long floor;
    final long[] seqs;
    final CacheResult[] results;
    int size;

    Session(long clientId, long floor, int window) {
      this.clientId = clientId;
      this.key = clientId;
      this.floor = floor;
      this.seqs = new long[window];
      this.results = new CacheResult[window];
    }

    /** The remembered result of {@code seq}, or null. */
    CacheResult find(long seq) {
      for (int i = 0; i < size; i++) {
        if (seqs[i] == seq) {
          return results[i];
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
      if (size == seqs.length) {
        int min = 0;
        for (int i = 1; i < size; i++) {
          if (seqs[i] < seqs[min]) {
            min = i;
          }
        }
        floor = Math.max(floor, seqs[min]);
        compact();
      }
      seqs[size] = seq;
      results[size] = result;
      size++;
    }

    private void compact() {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (seqs[i] > floor) {
          seqs[n] = seqs[i];
          results[n] = results[i];
          n++;
        }
      }
      for (int i = n; i < size; i++) {
        results[i] = null;
      }
      size = n;
    }

    Session copy() {
      Session c = new Session(clientId, floor, seqs.length);
      System.arraycopy(seqs, 0, c.seqs, 0, size);
      System.arraycopy(results, 0, c.results, 0, size);
      c.size = size;
      return c;
    }
  }
}
