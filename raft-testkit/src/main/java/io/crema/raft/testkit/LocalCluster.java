package io.crema.raft.testkit;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.LogBatch;
import io.crema.raft.Message;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.core.Bootstrap;
import io.crema.raft.core.RaftConfig;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.Ready;
import io.crema.raft.storage.MemoryLogStore;
import java.util.ArrayDeque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * A single-threaded cluster of Raft nodes in one process with in-memory storage and message
 * passing, driven synchronously by the caller: for demos, benchmarks of the algorithm and tests of
 * state machines. Each node's Ready is persisted to its {@link MemoryLogStore}, its messages are
 * delivered in order and its committed entries are handed to an {@link Applier}.
 */
public final class LocalCluster {
  /** Receives the committed entries of one node, in order. */
  @FunctionalInterface
  public interface Applier {
    void apply(long nodeId, List<Entry> committed);
  }

  private static final class Node {
    final MemoryLogStore store = new MemoryLogStore();
    RaftNode raft;
    long snapshotIndex;
  }

  private final TreeMap<Long, Node> nodes = new TreeMap<>();
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  private final LogBatch batch = new LogBatch();
  private final Applier applier;
  private long messagesDelivered;

  /**
   * Creates a cluster of the given voters, bootstrapped and ready to elect a leader.
   *
   * @param config makes each node's config from its id (group 0)
   */
  public LocalCluster(LongFunction<RaftConfig> config, Applier applier, long... voters) {
    this.applier = applier;
    for (long id : voters) {
      Node n = new Node();
      Bootstrap.bootstrap(n.store, 0, voters);
      n.raft = RaftNode.create(config.apply(id), n.store.group(0));
      nodes.put(id, n);
    }
    // Apply the bootstrap configuration entries so that nodes may campaign.
    runUntilQuiet();
  }

  public RaftNode node(long id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + " in this cluster " + nodes.keySet());
    }
    return n.raft;
  }

  /** The current leader, or 0. */
  public long leader() {
    for (var e : nodes.entrySet()) {
      if (e.getValue().raft.isLeader()) {
        return e.getKey();
      }
    }
    return 0;
  }

  /** Makes a node campaign and runs until the cluster is quiet; returns the leader. */
  public long elect(long id) {
    node(id).campaign();
    runUntilQuiet();
    if (!node(id).isLeader()) {
      throw new IllegalStateException("node " + id + " did not win: " + node(id).status());
    }
    return id;
  }

  public long messagesDelivered() {
    return messagesDelivered;
  }

  /** Ticks every node once and runs until quiet. */
  public void tick() {
    for (Node n : nodes.values()) {
      n.raft.tick();
    }
    runUntilQuiet();
  }

  /** Processes Readys and delivers messages until nothing moves. */
  public void runUntilQuiet() {
    while (runOnce()) {
      // keep going
    }
  }

  /**
   * Runs until the condition holds.
   *
   * @throws IllegalStateException if the cluster goes quiet first
   */
  public void runUntil(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      if (!runOnce()) {
        throw new IllegalStateException("cluster went quiet before the condition held");
      }
    }
  }

  /** One round: every node's Ready is handled, then every queued message delivered. */
  public boolean runOnce() {
    boolean moved = false;
    for (var e : nodes.entrySet()) {
      Node n = e.getValue();
      if (n.raft.hasReady()) {
        handleReady(e.getKey(), n);
        moved = true;
      }
    }
    Message m;
    while ((m = inFlight.poll()) != null) {
      Node to = nodes.get(m.to());
      if (to != null) {
        to.raft.step(m);
        messagesDelivered++;
        moved = true;
      }
    }
    return moved;
  }

  private void handleReady(long id, Node n) {
    Ready rd = n.raft.ready();
    inFlight.addAll(rd.messages());
    batch.clear();
    rd.addTo(batch, 0);
    if (!batch.isEmpty()) {
      n.store.append(batch);
      n.store.sync();
    }
    inFlight.addAll(rd.messagesAfterPersist());
    List<Entry> committed = rd.committedEntries();
    if (!committed.isEmpty()) {
      for (Entry e : committed) {
        if (e.type() == EntryType.CONF_CHANGE) {
          n.raft.applyConfChange(ConfChange.decode(e.data()));
        }
      }
      applier.apply(id, committed);
    }
    n.raft.advance(rd);
  }

  /**
   * Records a snapshot at each node's applied index and drops log entries below it, keeping the
   * last {@code keep} entries for followers that lag a little.
   */
  public void compact(long keep) {
    for (Node n : nodes.values()) {
      long applied = n.raft.appliedIndex();
      if (applied <= n.snapshotIndex) {
        continue;
      }
      long term = n.store.group(0).term(applied);
      batch.clear();
      batch.add(0, new SnapshotMeta(applied, term, n.raft.confState()), List.of(), null);
      n.store.append(batch);
      n.snapshotIndex = applied;
      long keepFrom = Math.max(n.store.group(0).firstIndex(), applied + 1 - keep);
      n.store.compact(0, keepFrom);
    }
  }
}
