package io.crema.multiraft;

import io.crema.raft.node.GroupView;
import io.crema.raft.node.HostConfig;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.raft.testkit.host.KvStateMachine;
import io.crema.raft.transport.InMemoryNetwork;
import io.crema.raft.transport.InMemoryTransport;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Nodes 1..n in one JVM, each a coordinator owning its host (own thread), over an in-memory
 * network, with log and snapshot stores that survive a node's stop (as disks would).
 */
final class TestCluster implements AutoCloseable {
  /** One node's durable stores and, while it runs, its coordinator. */
  static final class Node {
    final long id;
    final MemoryLogStore log = new MemoryLogStore(true);
    final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    InMemoryTransport transport;
    MultiRaftCoordinator<KvStateMachine> coordinator;

    Node(long id) {
      this.id = id;
    }
  }

  final InMemoryNetwork network = new InMemoryNetwork();
  final InProcessForwarder forwarder;
  final int shards;
  private final long rebalanceIntervalMs;
  private final Forwarding forwarding;
  private final long[] ids;
  private final Consumer<HostConfig.Builder> hostSettings;
  private final boolean completionThread;
  private final Map<Long, Node> nodes = new TreeMap<>();

  /** How writes reach a leader on another node. */
  enum Forwarding {
    /** Not at all: NOT_LEADER. */
    NONE,
    /** {@link InProcessForwarder}. */
    IN_PROCESS,
    /** The hosts' transport ({@link MultiRaftBuilder#forwardThroughHost()}). */
    HOST
  }

  TestCluster(int n, int shards, long rebalanceIntervalMs, boolean forwarding) {
    this(
        n,
        shards,
        rebalanceIntervalMs,
        forwarding ? Forwarding.IN_PROCESS : Forwarding.NONE,
        b -> {});
  }

  TestCluster(
      int n,
      int shards,
      long rebalanceIntervalMs,
      Forwarding forwarding,
      Consumer<HostConfig.Builder> hostSettings) {
    this(n, shards, rebalanceIntervalMs, forwarding, hostSettings, false);
  }

  TestCluster(
      int n,
      int shards,
      long rebalanceIntervalMs,
      Forwarding forwarding,
      Consumer<HostConfig.Builder> hostSettings,
      boolean completionThread) {
    this.completionThread = completionThread;
    this.shards = shards;
    this.hostSettings = hostSettings;
    this.rebalanceIntervalMs = rebalanceIntervalMs;
    this.forwarding = forwarding;
    this.forwarder = forwarding == Forwarding.IN_PROCESS ? new InProcessForwarder() : null;
    this.ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i + 1;
      nodes.put(ids[i], new Node(ids[i]));
    }
    for (long id : ids) {
      start(id);
    }
  }

  void start(long id) {
    Node n = nodes.get(id);
    n.transport = network.join(id);
    HostConfig.Builder hb =
        HostConfig.builder(id)
            .logStore(n.log)
            .snapshotStore(n.snapshots)
            .transport(n.transport)
            .tickIntervalMs(10);
    hostSettings.accept(hb);
    HostConfig config = hb.build();
    MultiRaftBuilder<KvStateMachine> b =
        MultiRaftCoordinator.builder(ctx -> new KvStateMachine(), new KvAdapter())
            .numShards(shards)
            .replicas(ids)
            .hostConfig(config)
            .rebalanceIntervalMs(rebalanceIntervalMs)
            .transferTimeoutMs(2_000)
            .operationTimeoutMs(10_000)
            .completionThread(completionThread);
    if (forwarder != null) {
      b.forwarder(forwarder);
    } else if (forwarding == Forwarding.HOST) {
      b.forwardThroughHost();
    }
    n.coordinator = b.build();
    if (forwarder != null) {
      forwarder.register(n.coordinator);
    }
    n.coordinator.start().join();
  }

  /** Stops a node as a crash would: its host and transport go, unsynced log writes are lost. */
  void stop(long id) {
    Node n = nodes.get(id);
    if (forwarder != null) {
      forwarder.unregister(n.coordinator);
    }
    n.coordinator.close();
    n.coordinator = null;
    n.transport.close();
    n.log.crash();
  }

  MultiRaftCoordinator<KvStateMachine> c(long id) {
    return nodes.get(id).coordinator;
  }

  Collection<Node> nodes() {
    return nodes.values();
  }

  /** Whether every running node has every shard ACTIVE. */
  boolean allActive() {
    for (Node n : nodes.values()) {
      if (n.coordinator == null) {
        continue;
      }
      for (int s = 0; s < shards; s++) {
        if (n.coordinator.shardState(s) != ShardState.ACTIVE) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Shards each running node leads by its own view (node -> count), or null if some shard has no
   * leader among the running nodes.
   */
  Map<Long, Integer> leaderCounts() {
    Map<Long, Integer> counts = new TreeMap<>();
    for (Node n : nodes.values()) {
      if (n.coordinator != null) {
        counts.put(n.id, 0);
      }
    }
    for (int s = 0; s < shards; s++) {
      long leader = 0;
      for (Node n : nodes.values()) {
        if (n.coordinator == null) {
          continue;
        }
        GroupView v = n.coordinator.host().view(s);
        if (v != null && v.isLeader()) {
          leader = n.id;
        }
      }
      if (leader == 0) {
        return null;
      }
      counts.merge(leader, 1, Integer::sum);
    }
    return counts;
  }

  /** Whether every shard has a running leader and leader counts differ by at most one. */
  boolean balanced() {
    Map<Long, Integer> counts = leaderCounts();
    if (counts == null) {
      return false;
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int c : counts.values()) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    return max - min <= 1;
  }

  @Override
  public void close() {
    for (Node n : nodes.values()) {
      if (n.coordinator != null) {
        n.coordinator.close();
        n.transport.close();
      }
    }
  }
}
