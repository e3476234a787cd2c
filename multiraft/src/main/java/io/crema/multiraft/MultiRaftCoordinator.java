package io.crema.multiraft;

import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.RaftHost;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.node.RaftOperationException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards of one node: each shard of the keyspace is its own Raft group, replicated on the
 * configured replica set, all running on this node's {@link RaftHost}. Routes keys to shards
 * ({@link ShardRouter}), writes to the shard's leader, and reads to this node's replica; keeps the
 * shard registry, the leader table and statistics; and spreads shard leaders over the nodes.
 *
 * <p><b>Consistency.</b> A write's future completes once the command is committed and applied on
 * the leader, with the state machine's result. {@link #get} and {@link #read} are linearizable
 * (ReadIndex, on this node's replica even when it is a follower); {@link #localGet} is not (it may
 * return an older value on a follower).
 *
 * <p><b>Errors.</b> Futures fail with a {@link RaftOperationException}. Failures that certainly did
 * not take effect (no leader yet, a redirect, a leadership transfer, back-pressure) are retried
 * within the operation timeout; the reason of a final failure says whether a write may have been
 * applied ({@link RaftOperationException#mayHaveBeenApplied()}). Invalid arguments throw {@link
 * IllegalArgumentException} naming the value and the limit, before anything is proposed.
 *
 * <p><b>Threads.</b> Thread-safe; no method blocks. Futures complete on the host thread or a retry
 * timer thread: do not block in their dependent stages.
 *
 * @param <S> the state machine type of the shards
 */
public final class MultiRaftCoordinator<S extends StateMachine> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MultiRaftCoordinator.class);

  /** Outcomes waiting for the completion thread; beyond this they are delivered inline. */
  private static final int COMPLETION_QUEUE = 1 << 16;

  private final long nodeId;
  private final ShardRouter router;
  private final long[] replicas;
  private final RaftHost host;
  private final boolean ownsHost;
  private final KeyValueAdapter<S> adapter;
  private final long defaultTtlMs;
  private final long rebalanceIntervalMs;
  private final ShardRegistry<S> registry;
  private final LeaderTable leaders;
  private final RateMeter meter;
  private final ShardOperations<S> operations;
  private final LeaderBalancer<S> balancer;
  private final ShardReports<S> reports;
  private volatile ScheduledExecutorService scheduler;
  private final Completions completions;
  private boolean started;
  private volatile boolean closed;

  MultiRaftCoordinator(MultiRaftBuilder<S> b, long nodeId) {
    this.nodeId = nodeId;
    this.router = ShardRouter.of(b.numShards);
    this.replicas = b.replicas.clone();
    this.ownsHost = b.host == null;
    this.host = ownsHost ? RaftHost.create(b.hostConfig) : b.host;
    this.adapter = b.adapter;
    this.defaultTtlMs = b.defaultTtlMs;
    this.rebalanceIntervalMs = b.rebalanceIntervalMs;
    List<ShardRegistry.Shard<S>> shards = new ArrayList<>(b.numShards);
    for (int i = 0; i < b.numShards; i++) {
      long groupId = b.groupIdBase + i;
      ShardContext ctx = new ShardContext(i, groupId, nodeId, b.shardCapacityBytes, b.defaultTtlMs);
      S sm = b.factory.create(ctx);
      if (sm == null) {
        throw new IllegalArgumentException("the state machine factory returned null for " + ctx);
      }
      shards.add(new ShardRegistry.Shard<>(i, groupId, sm));
    }
    this.registry = new ShardRegistry<>(shards);
    this.completions =
        b.completionThread
            ? new Completions("crema-multiraft-completions-" + nodeId, COMPLETION_QUEUE)
            : null;
    this.leaders = new LeaderTable(b.numShards);
    ShardForwarder forwarder = b.forwarder;
    if (b.forwardThroughHost) {
      long base = b.groupIdBase;
      RaftHost h = host;
      forwarder = (node, shard, command) -> h.proposeViaLeader(base + shard, command);
    }
    this.operations =
        new ShardOperations<>(
            nodeId, host, registry, leaders, forwarder, b.clock, b.operationTimeoutMs, completions);
    this.meter = new RateMeter(b.clock, operations::succeeded);
    this.balancer =
        new LeaderBalancer<>(
            nodeId, replicas, registry, host, b.transferTimeoutMs, this::scheduleRebalanceNow);
    this.reports = new ShardReports<>(host, registry, leaders, adapter, replicas);
  }

  /** A builder of a coordinator whose shards run the given state machines. */
  public static <S extends StateMachine> MultiRaftBuilder<S> builder(
      ShardStateMachineFactory<S> factory, KeyValueAdapter<S> adapter) {
    return new MultiRaftBuilder<>(factory, adapter);
  }

  // -----------------------------------------------------------------------------------------------
  // Life cycle

  /**
   * Starts one Raft group per shard on the host (and the host itself if the coordinator owns it),
   * and leader placement. A shard is INITIALIZING until its group runs here and has seen a leader,
   * then ACTIVE. Restarting on existing storage recovers each group from its log and snapshots.
   *
   * @return completes when every group runs on this host; fails if one could not start (that shard
   *     is then STOPPED)
   * @throws IllegalStateException if already started or closed
   */
  public synchronized CompletableFuture<Void> start() {
    if (started || closed) {
      throw new IllegalStateException(
          "coordinator of node " + nodeId + " is already " + (closed ? "closed" : "started"));
    }
    started = true;
    if (ownsHost) {
      host.start();
    }
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (ShardRegistry.Shard<S> s : registry.all()) {
      starts.add(
          host.startGroup(s.groupId, s.stateMachine, replicas)
              .whenComplete(
                  (v, t) -> {
                    if (t == null) {
                      s.view(host.view(s.groupId));
                    } else {
                      s.moveTo(ShardState.STOPPED);
                      LOG.error("node {} could not start shard {}", nodeId, s.id, t);
                    }
                  }));
    }
    if (rebalanceIntervalMs > 0) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "crema-multiraft-" + nodeId);
                t.setDaemon(true);
                return t;
              });
      scheduler.scheduleWithFixedDelay(
          this::maintain, rebalanceIntervalMs, rebalanceIntervalMs, TimeUnit.MILLISECONDS);
    }
    LOG.info(
        "node {} starts {} shards replicated on {}",
        nodeId,
        router.numShards(),
        Arrays.toString(replicas));
    return CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0]));
  }

  private void maintain() {
    try {
      meter.sample();
      refresh();
      balancer.rebalanceOnce();
    } catch (RuntimeException e) {
      LOG.error("node {}: shard maintenance failed", nodeId, e);
    }
  }

  private void scheduleRebalanceNow() {
    ScheduledExecutorService s = scheduler;
    if (s != null && !closed) {
      try {
        s.execute(this::maintain);
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** Brings shard states and the leader table up to date with the host's views. */
  private void refresh() {
    registry.refreshStates();
    for (ShardRegistry.Shard<S> s : registry.all()) {
      GroupView v = s.view();
      if (v != null) {
        leaders.observe(s.id, v.leader(), v.term());
      }
    }
  }

  /**
   * Stops one shard's group on this node (REMOVING, then STOPPED); its log stays. Operations on it
   * then fail with UNKNOWN_GROUP.
   *
   * @throws IllegalArgumentException if the shard is out of range
   */
  public CompletableFuture<Void> stopShard(int shard) {
    ShardRegistry.Shard<S> s = registry.get(shard);
    if (!s.moveTo(ShardState.REMOVING)) {
      return CompletableFuture.completedFuture(null);
    }
    s.view(null);
    return host.stopGroup(s.groupId).whenComplete((v, t) -> s.moveTo(ShardState.STOPPED));
  }

  /**
   * Stops placement and every shard here (STOPPED). Closes the host if the coordinator created it
   * (not its storage or transport); otherwise stops this coordinator's groups on the caller's host.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    for (ShardRegistry.Shard<S> s : registry.all()) {
      s.moveTo(ShardState.STOPPED);
    }
    if (ownsHost) {
      host.close();
    } else if (started) {
      for (ShardRegistry.Shard<S> s : registry.all()) {
        host.stopGroup(s.groupId);
      }
    }
    if (completions != null) {
      completions.close(); // outcomes after this are delivered where they are produced
    }
    LOG.info("node {} stopped its shards", nodeId);
  }

  // -----------------------------------------------------------------------------------------------
  // Operations

  private static byte[] requireKey(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    return key;
  }

  /**
   * Sets key to value with the default TTL, on the key's shard.
   *
   * @return the state machine's result once applied on the leader
   * @throws IllegalArgumentException if key or value is null or the adapter rejects them
   */
  public CompletableFuture<Object> put(byte[] key, byte[] value) {
    return put(key, value, defaultTtlMs);
  }

  /**
   * Sets key to value with a TTL in ms (0 = no expiry), on the key's shard.
   *
   * @return the state machine's result once applied on the leader
   * @throws IllegalArgumentException if key or value is null, ttlMs negative, or the adapter
   *     rejects them
   */
  public CompletableFuture<Object> put(byte[] key, byte[] value, long ttlMs) {
    requireKey(key);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null");
    }
    if (ttlMs < 0) {
      throw new IllegalArgumentException("ttlMs must be >= 0, was " + ttlMs);
    }
    return operations.write(router.shardForKey(key), adapter.encodePut(key, value, ttlMs));
  }

  /**
   * Removes key from its shard.
   *
   * @return the state machine's result once applied on the leader
   */
  public CompletableFuture<Object> delete(byte[] key) {
    requireKey(key);
    return operations.write(router.shardForKey(key), adapter.encodeDelete(key));
  }

  /**
   * Proposes any command of the state machine on the shard of {@code key} (for operations beyond
   * put and delete, such as compare-and-set). Validate the command first: apply must not fail.
   */
  public CompletableFuture<Object> propose(byte[] key, byte[] command) {
    return operations.write(shardOfCommand(key, command), command);
  }

  /**
   * As {@link #propose(byte[], byte[])}, but with {@code budget} instead of the configured request
   * timeout (a caller that retries on its own passes what is left of its deadline): the future has
   * its outcome by then, failing with TIMEOUT (may or may not have been applied) if an attempt is
   * still out.
   *
   * @throws IllegalArgumentException if budget is null, zero or negative
   */
  public CompletableFuture<Object> propose(byte[] key, byte[] command, java.time.Duration budget) {
    int shard = shardOfCommand(key, command);
    if (budget == null || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be positive, was " + budget);
    }
    return operations.write(shard, command, budget.toNanos());
  }

  /** The shard of a proposed command's key, after checking both. */
  private int shardOfCommand(byte[] key, byte[] command) {
    requireKey(key);
    if (command == null) {
      throw new IllegalArgumentException("command must not be null");
    }
    return router.shardForKey(key);
  }

  /**
   * Proposes a command on this node's replica of {@code shard} only: no routing, forwarding or
   * retry. This is what a {@link ShardForwarder} calls on the leader's node; it fails with
   * NOT_LEADER (naming the leader if known) when this node does not lead the shard.
   */
  public CompletableFuture<Object> proposeLocal(int shard, byte[] command) {
    if (command == null) {
      throw new IllegalArgumentException("command must not be null");
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new RaftOperationException(
              Reason.NO_LEADER,
              registry.get(shard).groupId,
              0,
              "the coordinator of node " + nodeId + " is closed; the command was not proposed"));
    }
    return operations.proposeLocal(shard, command);
  }

  /** The value of key, linearizably (ReadIndex on this node's replica), or null if absent. */
  public CompletableFuture<byte[]> get(byte[] key) {
    requireKey(key);
    return operations.read(router.shardForKey(key), sm -> adapter.get(sm, key));
  }

  /**
   * Runs {@code query} on this node's replica of the key's shard once it has applied every write
   * committed before the call (linearizable); on the host thread, so keep it short.
   */
  public <T> CompletableFuture<T> read(byte[] key, Function<S, T> query) {
    requireKey(key);
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    return operations.read(router.shardForKey(key), query);
  }

  /** The value of key in this node's replica now, or null: fast, possibly stale on a follower. */
  public byte[] localGet(byte[] key) {
    return adapter.get(registry.get(router.shardForKey(requireKey(key))).stateMachine, key);
  }

  // -----------------------------------------------------------------------------------------------
  // Shards and leaders

  public long nodeId() {
    return nodeId;
  }

  public int numShards() {
    return router.numShards();
  }

  public ShardRouter router() {
    return router;
  }

  /** The host the shards run on. */
  public RaftHost host() {
    return host;
  }

  /** The shard of a key (see {@link ShardRouter}). */
  public int shardForKey(byte[] key) {
    return router.shardForKey(key);
  }

  /** This node's replica of a shard (for local reads; its thread rules are the state machine's). */
  public S stateMachine(int shard) {
    return registry.get(shard).stateMachine;
  }

  /** The state of a shard on this node. */
  public ShardState shardState(int shard) {
    refresh();
    return registry.get(shard).state();
  }

  /**
   * Every shard as this node sees it, in shard order. Completes after one round trip to the host
   * thread (it reads each group's membership and indexes there).
   */
  public CompletableFuture<List<ShardInfo>> shardInfo() {
    refresh();
    return reports.shardInfo();
  }

  /** Statistics now (an immutable snapshot); computed from local views without a round trip. */
  public MultiRaftStats stats() {
    refresh();
    return reports.stats(operations, meter);
  }

  /** The known leader of each shard (shards whose leader is unknown are absent). */
  public Map<Integer, Long> shardLeaders() {
    refresh();
    return leaders.known();
  }

  /**
   * Records that {@code leader} leads {@code shard} (for instance from discovery), replacing what
   * was known; this node's own Raft view overrides it when it sees a newer term.
   *
   * @throws IllegalArgumentException if the shard is out of range or the leader is not a replica
   */
  public void setShardLeader(int shard, long leader) {
    registry.get(shard);
    requireReplica(leader);
    leaders.set(shard, leader);
  }

  /**
   * Records that {@code leader} leads {@code shard} since {@code epoch} (the Raft term), if that is
   * newer than what is known (or the same epoch while the leader is unknown).
   *
   * @return whether the table changed
   * @throws IllegalArgumentException if the shard is out of range, the leader is not a replica or
   *     the epoch is negative
   */
  public boolean setShardLeaderIfNewer(int shard, long leader, long epoch) {
    registry.get(shard);
    requireReplica(leader);
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
    }
    return leaders.setIfNewer(shard, leader, epoch);
  }

  /**
   * Forgets {@code node} as the leader of every shard (discovery saw it fail); those shards route
   * as leaderless until a newer term names a leader.
   *
   * @return how many shards had it as leader
   */
  public int invalidateLeaderForNode(long node) {
    int n = leaders.invalidateNode(node);
    if (n > 0) {
      LOG.info("node {} forgot node {} as the leader of {} shards", nodeId, node, n);
    }
    return n;
  }

  /**
   * Runs one leader placement round now: if this node leads at least two shards fewer than the
   * busiest node, it asks for the leadership of one of that node's shards.
   *
   * @return the shard whose leadership was requested, or -1
   */
  public int rebalanceLeaders() {
    refresh();
    return balancer.rebalanceOnce();
  }

  private void requireReplica(long node) {
    if (Arrays.binarySearch(replicas, node) < 0) {
      throw new IllegalArgumentException(
          "node " + node + " is not one of the replicas " + Arrays.toString(replicas));
    }
  }
}
