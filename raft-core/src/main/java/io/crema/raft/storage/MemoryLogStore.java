package io.crema.raft.storage;

import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link LogStore} in memory. With crash simulation on, it keeps apart what was synced and what
 * was only appended: {@link #crash()} then drops everything appended since the last {@link
 * #sync()}, as a power loss would. With it off, {@code sync()} does nothing and {@code crash()} is
 * refused.
 */
public final class MemoryLogStore implements LogStore {
  private final boolean crashSimulation;
  private final Map<Long, MemoryGroupLog> live = new HashMap<>();
  private Map<Long, MemoryGroupLog> durable = new HashMap<>();
  private final List<LogBatch.GroupWrite> unsynced = new ArrayList<>();
  private final Set<Long> removedSinceSync = new TreeSet<>();
  private boolean closed;

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
        unsynced.add(w);
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
    if (!crashSimulation) {
      return;
    }
    for (Long g : removedSinceSync) {
      durable.remove(g);
    }
    removedSinceSync.clear();
    for (LogBatch.GroupWrite w : unsynced) {
      apply(durable.computeIfAbsent(w.groupId(), g -> new MemoryGroupLog()), w);
    }
    unsynced.clear();
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
    unsynced.clear();
    removedSinceSync.clear();
    live.clear();
    durable.forEach((g, log) -> live.put(g, log.copy()));
  }

  @Override
  public void compact(long groupId, long index) {
    checkOpen();
    MemoryGroupLog log = live.get(groupId);
    if (log != null) {
      log.compact(index);
    }
    if (crashSimulation) {
      MemoryGroupLog d = durable.get(groupId);
      if (d != null && index <= d.snapshot().index() + 1) {
        d.compact(Math.min(index, d.lastIndex() + 1));
      }
    }
  }

  @Override
  public void removeGroup(long groupId) {
    checkOpen();
    live.remove(groupId);
    if (crashSimulation) {
      unsynced.removeIf(w -> w.groupId() == groupId);
      removedSinceSync.add(groupId);
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
