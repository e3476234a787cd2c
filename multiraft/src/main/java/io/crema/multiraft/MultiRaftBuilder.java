package io.crema.multiraft;

import io.crema.raft.Clock;
import io.crema.raft.StateMachine;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds a {@link MultiRaftCoordinator}; get one from {@link MultiRaftCoordinator#builder}. Every
 * setting may be given once (a repeated setting fails fast with {@link IllegalStateException});
 * {@link #build()} validates them together and names the setting that is missing or wrong.
 *
 * <p>Required: {@link #numShards}, {@link #replicas}, and either {@link #host} (a host the caller
 * runs and closes) or {@link #hostConfig} (the coordinator creates the host, runs it on its own
 * thread from {@link MultiRaftCoordinator#start()} and closes it on {@link
 * MultiRaftCoordinator#close()}).
 *
 * @param <S> the state machine type of the shards
 */
public final class MultiRaftBuilder<S extends StateMachine> {
  /** Default time an operation may take, retries included. */
  public static final long DEFAULT_OPERATION_TIMEOUT_MS = 5_000;

  /** Default interval between leader placement rounds. */
  public static final long DEFAULT_REBALANCE_INTERVAL_MS = 1_000;

  /** Default time after which a leadership transfer this node asked for counts as failed. */
  public static final long DEFAULT_TRANSFER_TIMEOUT_MS = 3_000;

  final ShardStateMachineFactory<S> factory;
  final KeyValueAdapter<S> adapter;
  private final Set<String> set = new HashSet<>();
  long nodeId;
  int numShards;
  long[] replicas;
  RaftHost host;
  HostConfig hostConfig;
  long shardCapacityBytes;
  long defaultTtlMs;
  ShardForwarder forwarder;
  boolean forwardThroughHost;
  boolean completionThread;
  long operationTimeoutMs = DEFAULT_OPERATION_TIMEOUT_MS;
  long rebalanceIntervalMs = DEFAULT_REBALANCE_INTERVAL_MS;
  long transferTimeoutMs = DEFAULT_TRANSFER_TIMEOUT_MS;
  long groupIdBase;
  Clock clock = Clock.system();

  MultiRaftBuilder(ShardStateMachineFactory<S> factory, KeyValueAdapter<S> adapter) {
    if (factory == null) {
      throw new IllegalArgumentException("state machine factory must not be null");
    }
    if (adapter == null) {
      throw new IllegalArgumentException("key-value adapter must not be null");
    }
    this.factory = factory;
    this.adapter = adapter;
  }

  private void once(String name) {
    if (!set.add(name)) {
      throw new IllegalStateException(name + " was already set");
    }
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
  }

  /** This node's id (> 0). Optional: taken from the host; if given, it must match it. */
  public MultiRaftBuilder<S> nodeId(long v) {
    once("nodeId");
    atLeast("nodeId", v, 1);
    nodeId = v;
    return this;
  }

  /** The number of shards, in [1, {@value ShardRouter#MAX_SHARDS}]. Required. */
  public MultiRaftBuilder<S> numShards(int v) {
    once("numShards");
    if (v < 1 || v > ShardRouter.MAX_SHARDS) {
      throw new IllegalArgumentException(
          "numShards must be in [1, " + ShardRouter.MAX_SHARDS + "], was " + v);
    }
    numShards = v;
    return this;
  }

  /**
   * The nodes that replicate every shard (the initial voters of each shard's group), this node
   * included; distinct ids > 0. Every node of the cluster must give the same set. Required.
   */
  public MultiRaftBuilder<S> replicas(long... v) {
    once("replicas");
    if (v == null || v.length == 0) {
      throw new IllegalArgumentException("replicas must name at least one node");
    }
    long[] sorted = v.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] <= 0) {
        throw new IllegalArgumentException("replica node ids must be > 0, was " + sorted[i]);
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("replica node " + sorted[i] + " is listed twice");
      }
    }
    replicas = sorted;
    return this;
  }

  /** A host the caller creates, runs (any threading mode) and closes. */
  public MultiRaftBuilder<S> host(RaftHost v) {
    once("host");
    if (v == null) {
      throw new IllegalArgumentException("host must not be null");
    }
    host = v;
    return this;
  }

  /** Settings of a host the coordinator creates, runs on a dedicated thread and closes. */
  public MultiRaftBuilder<S> hostConfig(HostConfig v) {
    once("hostConfig");
    if (v == null) {
      throw new IllegalArgumentException("hostConfig must not be null");
    }
    hostConfig = v;
    return this;
  }

  /** Capacity of one shard in bytes, handed to the factory (0 = unbounded, the default). */
  public MultiRaftBuilder<S> shardCapacityBytes(long v) {
    once("shardCapacityBytes");
    atLeast("shardCapacityBytes", v, 0);
    shardCapacityBytes = v;
    return this;
  }

  /** Time to live of {@link MultiRaftCoordinator#put(byte[], byte[])} in ms (0 = none, default). */
  public MultiRaftBuilder<S> defaultTtlMs(long v) {
    once("defaultTtlMs");
    atLeast("defaultTtlMs", v, 0);
    defaultTtlMs = v;
    return this;
  }

  /**
   * How writes reach the leader on another node. Default: none, so a write for a shard another node
   * leads fails with NOT_LEADER naming that node (the caller redirects).
   */
  public MultiRaftBuilder<S> forwarder(ShardForwarder v) {
    once("forwarder");
    if (v == null) {
      throw new IllegalArgumentException("forwarder must not be null");
    }
    forwarder = v;
    return this;
  }

  /**
   * Forwards writes for shards another node leads through the host's own transport ({@link
   * RaftHost#proposeViaLeader}: the command travels to the leader the local Raft group knows, and
   * the write completes with this node's result when it applies the entry). Excludes {@link
   * #forwarder}.
   */
  public MultiRaftBuilder<S> forwardThroughHost() {
    once("forwarder");
    forwardThroughHost = true;
    return this;
  }

  /**
   * Where operations' futures complete, and so where the callbacks chained to them run. {@code
   * false} (the default): on the host's event loop (or the thread that refused the operation), with
   * no hand-off. {@code true}: on a thread of the coordinator's own, so that a slow callback cannot
   * hold up the loop and every Raft group on it, and the completion work (a compare-and-set and a
   * dependent stage per future) leaves the loop, at the cost of a hand-off per outcome and a
   * wake-up when that thread sleeps. Measured (benchmarks/README.md): about 30% more puts per
   * second when the loop is the bottleneck (three in-memory hosts on one thread), but in one A/B
   * run 24% more CPU per put in the cache's durable cluster, where the loop is not: the cache keeps
   * the default.
   */
  public MultiRaftBuilder<S> completionThread(boolean v) {
    once("completionThread");
    completionThread = v;
    return this;
  }

  /** Time an operation may take, retries included (ms, >= 1). Default 5,000. */
  public MultiRaftBuilder<S> operationTimeoutMs(long v) {
    once("operationTimeoutMs");
    atLeast("operationTimeoutMs", v, 1);
    operationTimeoutMs = v;
    return this;
  }

  /** Interval between leader placement rounds (ms); 0 turns automatic placement off. */
  public MultiRaftBuilder<S> rebalanceIntervalMs(long v) {
    once("rebalanceIntervalMs");
    atLeast("rebalanceIntervalMs", v, 0);
    rebalanceIntervalMs = v;
    return this;
  }

  /** Time after which a requested leadership transfer counts as failed (ms, >= 1). */
  public MultiRaftBuilder<S> transferTimeoutMs(long v) {
    once("transferTimeoutMs");
    atLeast("transferTimeoutMs", v, 1);
    transferTimeoutMs = v;
    return this;
  }

  /** Group id of shard 0; shard i is group {@code groupIdBase + i}. Default 0. */
  public MultiRaftBuilder<S> groupIdBase(long v) {
    once("groupIdBase");
    atLeast("groupIdBase", v, 0);
    groupIdBase = v;
    return this;
  }

  /** Time source for deadlines and rates. Default: the JVM's monotonic clock. */
  public MultiRaftBuilder<S> clock(Clock v) {
    once("clock");
    if (v == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    clock = v;
    return this;
  }

  /**
   * Validates the settings and creates the coordinator (and, with {@link #hostConfig}, its host).
   * Nothing runs until {@link MultiRaftCoordinator#start()}.
   *
   * @throws IllegalArgumentException naming the setting that is missing or wrong
   */
  public MultiRaftCoordinator<S> build() {
    if (numShards == 0) {
      throw new IllegalArgumentException("numShards is required");
    }
    if (replicas == null) {
      throw new IllegalArgumentException("replicas is required");
    }
    if ((host == null) == (hostConfig == null)) {
      throw new IllegalArgumentException("exactly one of host and hostConfig is required");
    }
    long hostNode = host != null ? host.nodeId() : hostConfig.nodeId();
    if (nodeId != 0 && nodeId != hostNode) {
      throw new IllegalArgumentException(
          "nodeId " + nodeId + " does not match the host's node id " + hostNode);
    }
    if (Arrays.binarySearch(replicas, hostNode) < 0) {
      throw new IllegalArgumentException(
          "replicas " + Arrays.toString(replicas) + " do not include this node " + hostNode);
    }
    if (groupIdBase > Long.MAX_VALUE - numShards) {
      throw new IllegalArgumentException(
          "groupIdBase " + groupIdBase + " + numShards " + numShards + " overflows a group id");
    }
    return new MultiRaftCoordinator<>(this, hostNode);
  }
}
