package io.crema.raft.storage;

import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link LogStore} in memory. With crash simulation on, it keeps apart what was synced and what
 * was only appended: {@link #crash()} then drops everything appended since the last {@link
 * #sync()}, as a power loss would. With it off, {@code sync()} does nothing and {@code crash()} is
 * refused.
 *
 * <p>{@link #syncLater()} with crash simulation hands out a real task: what it covers becomes
 * durable only when it runs (on any thread), so a host that answers before its sync task ran is
 * caught by a crash. The durable side is guarded by the store's lock; the live side belongs to the
 * host thread.
 */
public final class MemoryLogStore implements LogStore {
  /** An unsynced write of a group, or the removal of a group (write == null), in order. */
  private record Pending(long seq, LogBatch.GroupWrite write, long removedGroup) {}

  private final boolean crashSimulation;
  private final Map<Long, MemoryGroupLog> live = new HashMap<>();
  private final Map<Long, MemoryGroupLog> durable = new HashMap<>();
  private final ArrayDeque<Pending> unsynced = new ArrayDeque<>();
  private long seq;
  // Bumped by crash(): sync tasks made before it must not touch what survived.
  private long generation;
  private volatile boolean closed;

  /** A store without crash simulation (cheapest). */
  public MemoryLogStore() {
    this(false);
  }

  public MemoryLogStore(boolean crashSimulation) {
    this.crashSimulation = crashSimulation;
  }

  @Override
  public Set<Long> groups() {
    return Collections.unmodifiableSet(new TreeSet<>(live.keySet()));
  }

  @Override
  public LogReader group(long groupId) {
    if (groupId < 0) {
      throw new IllegalArgumentException("group id must be >= 0, was " + groupId);
    }
    checkOpen();
    return live.computeIfAbsent(groupId, g -> new MemoryGroupLog());
  }

  @Override
  public void append(LogBatch batch) {
    checkOpen();
    for (LogBatch.GroupWrite w : batch.writes()) {
      apply(live.computeIfAbsent(w.groupId(), g -> new MemoryGroupLog()), w);
      if (crashSimulation) {
        synchronized (this) {
          unsynced.add(new Pending(++seq, w, -1));
        }
      }
    }
  }

  private static void apply(MemoryGroupLog log, LogBatch.GroupWrite w) {
    if (w.snapshot() != null) {
      log.installSnapshot(w.snapshot());
    }
    log.append(w.entries());
    if (w.hardState() != null) {
      log.hardState(w.hardState());
    }
  }

  @Override
  public void sync() {
    checkOpen();
    if (crashSimulation) {
      synchronized (this) {
        syncTo(seq);
      }
    }
  }

  /** With crash simulation, a task that makes what was appended so far durable when it runs. */
  @Override
  public Runnable syncLater() {
    checkOpen();
    if (!crashSimulation) {
      return SYNCED;
    }
    long mark;
    long gen;
    synchronized (this) {
      mark = seq;
      gen = generation;
    }
    return () -> {
      synchronized (this) {
        if (generation == gen && !closed) {
          syncTo(mark);
        }
      }
    };
  }

  private void syncTo(long mark) {
    while (!unsynced.isEmpty() && unsynced.peekFirst().seq() <= mark) {
      Pending p = unsynced.pollFirst();
      if (p.write() == null) {
        durable.remove(p.removedGroup());
      } else {
        apply(durable.computeIfAbsent(p.write().groupId(), g -> new MemoryGroupLog()), p.write());
      }
    }
  }

  /**
   * Simulates a power loss: the live view becomes what was last synced. Readers handed out before
   * must be fetched again with {@link #group(long)}.
   *
   * @throws IllegalStateException if the store was made without crash simulation
   */
  public void crash() {
    if (!crashSimulation) {
      throw new IllegalStateException(
          "crash() needs a MemoryLogStore made with crashSimulation=true");
    }
    live.clear();
    synchronized (this) {
      generation++;
      unsynced.clear();
      durable.forEach((g, log) -> live.put(g, log.copy()));
    }
  }

  @Override
  public void compact(long groupId, long index) {
    checkOpen();
    MemoryGroupLog log = live.get(groupId);
    if (log != null) {
      log.compact(index);
    }
    if (crashSimulation) {
      synchronized (this) {
        MemoryGroupLog d = durable.get(groupId);
        if (d != null && index <= d.snapshot().index() + 1) {
          d.compact(Math.min(index, d.lastIndex() + 1));
        }
      }
    }
  }

  @Override
  public void removeGroup(long groupId) {
    checkOpen();
    live.remove(groupId);
    if (crashSimulation) {
      synchronized (this) {
        unsynced.add(new Pending(++seq, null, groupId));
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("MemoryLogStore is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
