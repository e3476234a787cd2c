package io.crema.cache;

import io.crema.cache.statemachine.CacheCommands;
import io.crema.cache.statemachine.CacheStateMachine;
import io.crema.cache.statemachine.CacheStateMachineConfig;
import io.crema.cache.statemachine.CheckpointConfig;
import io.crema.cache.statemachine.CommandLimits;
import io.crema.cache.statemachine.FileSnapshotStore;
import io.crema.multiraft.MultiRaftCoordinator;
import io.crema.raft.LogStore;
import io.crema.raft.SnapshotStore;
import io.crema.raft.core.ReadOnlyOption;
import io.crema.raft.core.Role;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.HostListener;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.transport.aeron.AeronTransport;
import io.crema.transport.aeron.AeronTransportConfig;
import io.crema.wal.ChronicleLogConfig;
import io.crema.wal.ChronicleLogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one cache node, wired: the shared media driver, the Aeron transport, the log store
 * (memory or Chronicle), the snapshot store, the Raft host and the shard coordinator.
 */
final class CacheNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheNode.class);

  /**
   * Most writes in flight from one node. Each in-flight write holds a dedup lane, and every replica
   * remembers one result per lane: the replicas' dedup tables hold {@link #DEDUP_CLIENTS} lanes,
   * enough for this many per node on up to 7 nodes.
   */
  static final int MAX_WRITES_IN_FLIGHT = 8_192;

  static final int DEDUP_CLIENTS = 7 * MAX_WRITES_IN_FLIGHT;

  private final CacheConfig config;
  private final boolean sharedDriver;
  private final AeronTransport transport;
  private final LogStore log;
  private final SnapshotStore snapshots;
  private final RaftHost host;
  private final MultiRaftCoordinator<CacheStateMachine> coordinator;
  private final AtomicLongArray leaderChanges;

  static CacheCommands commands(CacheConfig config) {
    return CacheCommands.create(
        CommandLimits.builder()
            .maxKeyBytes(config.maxKeyBytes())
            .maxValueBytes(config.maxValueBytes())
            .build());
  }

  CacheNode(CacheConfig config, CacheCommands commands) {
    this.config = config;
    this.leaderChanges = new AtomicLongArray(config.shards());
    String aeronDir = config.aeronDirectory();
    this.sharedDriver = aeronDir == null;
    if (sharedDriver) {
      aeronDir = SharedMediaDriver.acquire(config.idleMaxPark().toNanos());
    }
    AeronTransport t = null;
    LogStore l = null;
    try {
      AeronTransportConfig.Builder tb =
          AeronTransportConfig.builder()
              .nodeId(config.nodeId())
              .clusterId(config.clusterId())
              .aeronDirectoryName(aeronDir)
              .termLength(config.termLengthBytes())
              .mtu(config.transportMtu());
      for (Map.Entry<Long, String> m : config.members().entrySet()) {
        tb.endpoint(m.getKey(), m.getValue());
      }
      t = AeronTransport.start(tb.build());
      l = openLog(config);
      this.snapshots = openSnapshots(config);
    } catch (RuntimeException | IOException e) {
      if (t != null) {
        t.close();
      }
      if (l != null) {
        l.close();
      }
      if (sharedDriver) {
        SharedMediaDriver.release();
      }
      throw new IllegalStateException(
          "cache node " + config.nodeId() + " could not start: " + e.getMessage(), e);
    }
    this.transport = t;
    this.log = l;
    this.host =
        RaftHost.create(
            HostConfig.builder(config.nodeId())
                .logStore(log)
                .snapshotStore(snapshots)
                .transport(transport)
                .tickIntervalMs(config.tickIntervalMs())
                // Few yields before parking: a sched_yield is a context switch on a busy 2-core
                // box (20 yields were 5% of the cache benchmark's CPU); proposals wake the loop.
                .idleStrategy(
                    () -> new BackoffIdleStrategy(10, 2, 1_000, config.idleMaxPark().toNanos()))
                .electionTick(config.electionTick())
                .heartbeatTick(config.heartbeatTick())
                .preVote(config.preVote())
                .checkQuorum(config.checkQuorum())
                .readOnlyOption(
                    config.leaseReads() ? ReadOnlyOption.LEASE_BASED : ReadOnlyOption.SAFE)
                .snapshotEntries(config.checkpointEntries())
                .snapshotKeepEntries(Math.min(10_000, config.checkpointEntries()))
                .requestTimeoutMs(config.requestTimeout().toMillis())
                .stamper(new LeaderClock(System::currentTimeMillis, config.shards()))
                .listener(
                    new HostListener() {
                      // Called on the host thread whenever a shard's role or leader changes; only
                      // a new leader counts (as raft-core's own GroupStats.leaderChanges does).
                      private final long[] lastLeader = new long[config.shards()];

                      @Override
                      public void onRoleChange(long groupId, Role role, long term, long leader) {
                        if (groupId >= 0
                            && groupId < config.shards()
                            && leader != lastLeader[(int) groupId]) {
                          lastLeader[(int) groupId] = leader;
                          leaderChanges.incrementAndGet((int) groupId);
                        }
                      }
                    })
                .build());
    long[] replicas = config.members().keySet().stream().mapToLong(Long::longValue).toArray();
    this.coordinator =
        MultiRaftCoordinator.<CacheStateMachine>builder(
                shard -> newShard(config, shard.groupId()),
                new CacheAdapter(commands, System::currentTimeMillis))
            .host(host)
            .numShards(config.shards())
            .replicas(replicas)
            .defaultTtlMs(config.defaultTtl().toMillis())
            .operationTimeoutMs(config.requestTimeout().toMillis())
            .forwardThroughHost()
            .build();
  }

  private CacheStateMachine newShard(CacheConfig config, long groupId) {
    CacheStateMachineConfig.Builder b =
        CacheStateMachineConfig.builder()
            .groupId(groupId)
            .dedup(DEDUP_CLIENTS, 2)
            .maximumWeightBytes(config.maxBytes())
            .limits(
                CommandLimits.builder()
                    .maxKeyBytes(config.maxKeyBytes())
                    .maxValueBytes(config.maxValueBytes())
                    .build());
    if (config.maxEntries() > 0) {
      b.maximumEntries(config.maxEntries());
    }
    CacheStateMachine sm = CacheStateMachine.create(b.build());
    // The leader's evictions are replicated like any write.
    sm.evictionProposer(cmd -> host.propose(groupId, cmd));
    return sm;
  }

  private static LogStore openLog(CacheConfig config) {
    if (config.storage() == CacheConfig.StorageType.MEMORY) {
      return new MemoryLogStore();
    }
    return ChronicleLogStore.open(
        ChronicleLogConfig.builder(config.dataDirectory().resolve("wal")).build());
  }

  private static SnapshotStore openSnapshots(CacheConfig config) throws IOException {
    if (config.storage() == CacheConfig.StorageType.MEMORY) {
      return new MemorySnapshotStore();
    }
    Path dir = config.dataDirectory().resolve("snapshots");
    Files.createDirectories(dir);
    return FileSnapshotStore.open(
        CheckpointConfig.builder(dir).compression(config.checkpointCompression()).build());
  }

  CompletableFuture<Void> start() {
    host.start();
    return coordinator.start();
  }

  MultiRaftCoordinator<CacheStateMachine> coordinator() {
    return coordinator;
  }

  long leaderChanges(int shard) {
    return leaderChanges.get(shard);
  }

  /** Moves the leadership of every shard this node leads to another replica, best effort. */
  void handOffLeadership(Duration timeout) {
    long[] others =
        config.members().keySet().stream()
            .mapToLong(Long::longValue)
            .filter(id -> id != config.nodeId())
            .toArray();
    if (others.length == 0) {
      return;
    }
    CompletableFuture<?>[] moves = new CompletableFuture<?>[config.shards()];
    Arrays.fill(moves, CompletableFuture.completedFuture(null));
    for (int s = 0; s < config.shards(); s++) {
      GroupView v = host.view(s);
      if (v != null && v.isLeader()) {
        moves[s] = host.transferLeadership(s, others[s % others.length]).exceptionally(t -> null);
      }
    }
    try {
      CompletableFuture.allOf(moves).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Expected when the other replicas are stopping too.
      LOG.info(
          "node {}: not every shard's leadership moved before shutdown: {}",
          config.nodeId(),
          e.toString());
    }
  }

  @Override
  public void close() {
    try {
      coordinator.close();
    } finally {
      host.close();
      transport.close();
      log.close();
      try {
        snapshots.close();
      } catch (IOException e) {
        LOG.warn("node {}: closing the snapshot store failed: {}", config.nodeId(), e.toString());
      }
      if (sharedDriver) {
        SharedMediaDriver.release();
      }
    }
  }
}
