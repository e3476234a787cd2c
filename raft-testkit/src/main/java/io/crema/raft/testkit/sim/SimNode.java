package io.crema.raft.testkit.sim;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.LogBatch;
import io.crema.raft.LogStore;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.core.RaftConfig;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.Ready;
import io.crema.raft.storage.MemoryLogStore;
import java.util.List;

/**
 * One simulated node: a crash-simulating log store, the Raft algorithm, the application and its
 * latest snapshot. Persistence is asynchronous: a Ready's writes are appended at once and become
 * durable when the simulator fires the node's persist event; a crash in between loses them.
 */
final class SimNode {
  final long id;
  final MemoryLogStore store = new MemoryLogStore(true);
  RaftNode raft;
  SimStateMachine sm = new SimStateMachine();

  /** Latest local snapshot: its metadata and the application state it captured. */
  SnapshotMeta snapshotMeta = SnapshotMeta.EMPTY;

  SimStateMachine snapshotState = new SimStateMachine();

  /** Application states attached to snapshot messages received, by snapshot index. */
  final java.util.TreeMap<Long, SimStateMachine> incomingSnapshots = new java.util.TreeMap<>();

  boolean up = true;

  /** Bumped on every crash: persist events of an older incarnation are ignored. */
  int incarnation;

  /** Readies handed out and not yet acknowledged, oldest first. */
  final java.util.ArrayDeque<Ready> persisting = new java.util.ArrayDeque<>();

  /** Their sync tasks (run when each is acknowledged) and which of them the simulator persisted. */
  private final java.util.IdentityHashMap<Ready, Runnable> syncTasks =
      new java.util.IdentityHashMap<>();

  final java.util.Set<Ready> persisted =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private final java.util.Set<Ready> appliedEarly =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  long lastCommit;
  long lastApplied;

  SimNode(long id) {
    this.id = id;
  }

  RaftConfig config(long seed) {
    return RaftConfig.builder(id)
        .electionTick(10)
        .heartbeatTick(2)
        .maxSizePerMsg(4096)
        .maxInflightMsgs(16)
        .randomSeed(seed * 1_000_003L + id)
        .applied(snapshotMeta.index())
        .build();
  }

  void start(long seed) {
    raft = RaftNode.create(config(seed), store.group(0));
    sm = snapshotState.copy();
    lastCommit = raft.commitIndex();
    lastApplied = sm.lastIndex;
    up = true;
    clearPersisting();
  }

  private void clearPersisting() {
    persisting.clear();
    syncTasks.clear();
    persisted.clear();
    appliedEarly.clear();
  }

  void crash() {
    up = false;
    incarnation++;
    clearPersisting();
    incomingSnapshots.clear();
    store.crash();
  }

  /**
   * Takes the next Ready and appends its writes, durable once its sync task runs. With {@code
   * syncOnlyIfMust} a Ready that does not {@link Ready#mustSync()} gets no sync of its own (its
   * writes ride on the next one, or are lost in a crash); otherwise every write is synced.
   */
  Ready takeReady(boolean syncOnlyIfMust) {
    Ready rd = raft.ready();
    LogBatch batch = rd.addTo(new LogBatch(), 0);
    Runnable sync = LogStore.SYNCED;
    if (!batch.isEmpty()) {
      store.append(batch);
      if (rd.mustSync() || !syncOnlyIfMust) {
        sync = store.syncLater();
      }
    }
    persisting.addLast(rd);
    syncTasks.put(rd, sync);
    return rd;
  }

  /**
   * The writes are durable: install a snapshot, apply committed entries (conf changes through the
   * group) and acknowledge. Returns the applied entries for the invariant checks.
   */
  List<Entry> completePersist(Ready rd) {
    if (persisting.peekFirst() != rd) {
      throw new IllegalStateException("node " + id + " acknowledges Readies out of order");
    }
    syncTasks.remove(rd).run();
    if (rd.snapshot() != null) {
      SnapshotMeta meta = rd.snapshot();
      SimStateMachine data = incomingSnapshots.get(meta.index());
      if (data == null) {
        throw new SimulationFailure.Violation(
            "node " + id + " must install snapshot " + meta.index() + " but has no data for it");
      }
      sm = data.copy();
      snapshotState = data.copy();
      snapshotMeta = meta;
      incomingSnapshots.headMap(meta.index(), true).clear();
    }
    List<Entry> applied = List.of();
    if (!appliedEarly.remove(rd)) {
      applyCommitted(rd);
      applied = rd.committedEntries();
    }
    raft.advance(rd);
    persisting.removeFirst();
    persisted.remove(rd);
    return applied;
  }

  /**
   * Applies a Ready's committed entries before its writes are durable (they were durable before
   * being handed out), as a host with asynchronous storage writes does. Returns them.
   */
  List<Entry> applyEarly(Ready rd) {
    applyCommitted(rd);
    raft.advanceApplied(rd);
    appliedEarly.add(rd);
    return rd.committedEntries();
  }

  private void applyCommitted(Ready rd) {
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        raft.applyConfChange(ConfChange.decode(e.data()));
      }
      sm.apply(e);
    }
  }

  /** Snapshots the application at its applied index and compacts the log below keepFrom. */
  void snapshotAndCompact(long keepEntries) {
    long index = sm.lastIndex;
    if (index <= snapshotMeta.index() || index < store.group(0).firstIndex()) {
      return;
    }
    long term = store.group(0).term(index);
    SnapshotMeta meta = new SnapshotMeta(index, term, raft.confState());
    LogBatch b = new LogBatch().add(0, meta, List.of(), null);
    store.append(b);
    store.sync();
    snapshotMeta = meta;
    snapshotState = sm.copy();
    long keepFrom = Math.max(store.group(0).firstIndex(), index + 1 - keepEntries);
    store.compact(0, keepFrom);
  }
}
