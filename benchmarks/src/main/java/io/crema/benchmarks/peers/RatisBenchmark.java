package io.crema.benchmarks.peers;

import static io.crema.benchmarks.peers.PeerSupport.BATCH;
import static io.crema.benchmarks.peers.PeerSupport.IN_FLIGHT;
import static io.crema.benchmarks.peers.PeerSupport.KEY_BYTES;
import static io.crema.benchmarks.peers.PeerSupport.SETUP_TIMEOUT_S;
import static io.crema.benchmarks.peers.PeerSupport.VALUE_BYTES;

import io.crema.benchmarks.BenchSupport;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.api.AsyncApi;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer baseline: Apache Ratis, measured with the same harness as {@code ShardThroughputBenchmark}.
 * Three Ratis servers in one JVM on loopback (gRPC transport by default, {@code -p rpc=netty} for
 * Ratis's Netty one), one Raft group, each server with Ratis's segmented log on disk in a temp
 * directory and a key-value state machine (16-byte keys, 16-byte values, puts stored in a hash
 * map). One {@link RaftClient} ({@link #clients} of them with {@code -p clients=N}) keeps {@value
 * PeerSupport#IN_FLIGHT} writes in flight with {@code client.async().send(Message)}; Ratis clients
 * send to the leader (there is no follower forwarding: a follower answers NotLeader and the client
 * redirects), so clients are built with the leader as their first target once it is ready for
 * writes. Reports committed writes per second (the reply arrives once the entry is committed by a
 * majority and applied on the leader).
 *
 * <p>{@link #sync}: {@code batch} = the log is forced to disk ({@code FileChannel.force}) per batch
 * of appended entries before the entries count as written, as Crema's Chronicle log does: Ratis's
 * log worker forces when its queue has no further entry to write or after {@code
 * raft.server.log.force.sync.num} entries, here set to {@value PeerSupport#IN_FLIGHT} so that the
 * batch is whatever is queued. {@code unsafeFlush} = {@code raft.server.log.unsafe-flush.enabled}:
 * entries count as written (and are acknowledged) without waiting for the force, which runs on
 * another thread: the log is not synced on the write path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RatisBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      BenchSupport.GC,
      "-Xms2g",
      "-Xmx2g",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class RatisBenchmark extends PeerBenchmark {

  /** {@code batch}: fsync per batch of appended entries; {@code unsafeFlush}: not synced. */
  @Param({"batch", "unsafeFlush"})
  public String sync;

  /** Ratis's transport: {@code grpc} (Ratis's default) or {@code netty}. */
  @Param({"grpc"})
  public String rpc;

  /**
   * Number of {@link RaftClient}s the writes are spread over (round-robin), each with its own
   * connection and ordered stream to the leader; {@value PeerSupport#IN_FLIGHT} in flight in total.
   */
  @Param({"1"})
  public int clients;

  private Path dir;
  private final List<RaftServer> servers = new ArrayList<>();
  private final List<KeyValueMachine> machines = new ArrayList<>();
  private final List<RaftClient> raftClients = new ArrayList<>();
  private AsyncApi[] async;
  private final java.util.concurrent.atomic.AtomicLong lastIndex =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Puts of 16-byte keys and values into a hash map, applied in log order on Ratis's state machine
   * updater thread. Completes {@link #leader} when this server is a leader ready for writes.
   */
  static final class KeyValueMachine extends BaseStateMachine {
    private final Map<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
    private final CompletableFuture<RaftPeerId> leader;
    private volatile long awaitedIndex = Long.MAX_VALUE;
    private CompletableFuture<Void> awaited;

    KeyValueMachine(CompletableFuture<RaftPeerId> leader) {
      this.leader = leader;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      LogEntryProto entry = trx.getLogEntry();
      ByteString command = entry.getStateMachineLogEntry().getLogData();
      if (command.size() == KEY_BYTES + VALUE_BYTES) {
        byte[] c = command.toByteArray();
        data.put(
            ByteBuffer.wrap(c, 0, KEY_BYTES).slice(),
            Arrays.copyOfRange(c, KEY_BYTES, KEY_BYTES + VALUE_BYTES));
      }
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      if (entry.getIndex() >= awaitedIndex) {
        appliedUpTo(entry.getIndex());
      }
      return CompletableFuture.completedFuture(Message.EMPTY);
    }

    private synchronized void appliedUpTo(long index) {
      if (awaited != null && index >= awaitedIndex) {
        awaited.complete(null);
        awaited = null;
        awaitedIndex = Long.MAX_VALUE;
      }
    }

    /** Completes once this machine has applied the log up to {@code index}. */
    synchronized CompletableFuture<Void> applied(long index) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      // Publish the wait before reading the applied index: either this read sees the last apply,
      // or that apply sees awaitedIndex.
      awaited = f;
      awaitedIndex = index;
      TermIndex applied = getLastAppliedTermIndex();
      long last = applied == null ? -1 : applied.getIndex();
      if (last >= index) {
        appliedUpTo(last);
      }
      return f;
    }

    /** How many of {@code keys} do not hold the value last written to them. */
    int staleKeys(byte[][] keys, byte[] lastRound) {
      return PeerSupport.staleKeys(k -> data.get(ByteBuffer.wrap(k)), keys, lastRound);
    }

    /** Called on the leader once it has committed an entry of its term and takes writes. */
    @Override
    public void notifyLeaderReady() {
      leader.complete(getId());
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    startOrClose();
  }

  @Override
  void start() throws Exception {
    SupportedRpcType type = SupportedRpcType.valueOfIgnoreCase(rpc);
    dir = Files.createTempDirectory("crema-peers-ratis");
    int[] ports = io.crema.cache.examples.LoopbackPorts.freeTcp(3);
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      peers.add(
          RaftPeer.newBuilder().setId("s" + (i + 1)).setAddress("127.0.0.1:" + ports[i]).build());
    }
    RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.randomUUID()), peers);
    CompletableFuture<RaftPeerId> leader = new CompletableFuture<>();
    for (int i = 0; i < 3; i++) {
      RaftProperties p = new RaftProperties();
      RaftConfigKeys.Rpc.setType(p, type);
      if (type == SupportedRpcType.GRPC) {
        GrpcConfigKeys.Server.setPort(p, ports[i]);
      } else {
        NettyConfigKeys.Server.setPort(p, ports[i]);
      }
      File storage = dir.resolve("s" + (i + 1)).toFile();
      RaftServerConfigKeys.setStorageDir(p, List.of(storage));
      // Segmented log on disk (the default), forced once per batch of queued entries.
      RaftServerConfigKeys.Log.setUseMemory(p, false);
      RaftServerConfigKeys.Log.setForceSyncNum(p, IN_FLIGHT);
      RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, sync.equals("unsafeFlush"));
      // Room for every write in flight: pending client requests and queued log writes.
      RaftServerConfigKeys.Write.setElementLimit(p, 2 * IN_FLIGHT);
      RaftServerConfigKeys.Log.setQueueElementLimit(p, 2 * IN_FLIGHT);
      KeyValueMachine machine = new KeyValueMachine(leader);
      machines.add(machine);
      RaftServer server =
          RaftServer.newBuilder()
              .setServerId(peers.get(i).getId())
              .setGroup(group)
              .setProperties(p)
              .setStateMachine(machine)
              .setOption(RaftStorage.StartupOption.FORMAT)
              .build();
      servers.add(server);
      server.start();
    }
    RaftPeerId leaderId = leader.get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);

    RaftProperties cp = new RaftProperties();
    RaftConfigKeys.Rpc.setType(cp, type);
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(cp, IN_FLIGHT);
    RaftClientConfigKeys.Rpc.setRequestTimeout(cp, TimeDuration.valueOf(30, TimeUnit.SECONDS));
    async = new AsyncApi[clients];
    for (int c = 0; c < clients; c++) {
      RaftClient client =
          RaftClient.newBuilder()
              .setProperties(cp)
              .setRaftGroup(group)
              .setLeaderId(leaderId)
              .build();
      raftClients.add(client);
      async[c] = client.async();
    }

    writeFirstRound();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    finish();
  }

  /** Stops the client and the servers and deletes their storage. */
  @Override
  void close() throws IOException {
    try {
      for (RaftClient c : raftClients) {
        c.close();
      }
      for (RaftServer s : servers) {
        s.close();
      }
    } finally {
      BenchSupport.deleteRecursively(dir);
    }
  }

  /**
   * Writes key {@code k} with its next round; a key always goes through the same client, whose
   * stream is ordered, so its last write is the one applied last.
   */
  @Override
  CompletableFuture<RaftClientReply> write(int k) {
    byte[] command = PeerSupport.command(keys[k], lastRound[k]);
    return async[k % async.length]
        .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(command)))
        .thenApply(this::checkReply);
  }

  /** A failed reply fails the benchmark; the highest index written is what every server awaits. */
  private RaftClientReply checkReply(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new IllegalStateException("write failed: " + reply);
    }
    lastIndex.accumulateAndGet(reply.getLogIndex(), Math::max);
    return reply;
  }

  /**
   * Every server (followers too) applied the log up to the last write, and holds the last round's
   * value for every key: replication really happened.
   */
  @Override
  void checkReplicated() throws Exception {
    for (int n = 0; n < machines.size(); n++) {
      machines.get(n).applied(lastIndex.get()).get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
      int stale = machines.get(n).staleKeys(keys, lastRound);
      if (stale != 0) {
        throw new IllegalStateException(
            stale + " keys without the last round's value on server " + n);
      }
    }
  }

  /**
   * {@value PeerSupport#BATCH} writes sent to the leader, each issued as soon as the window of
   * {@value PeerSupport#IN_FLIGHT} has room (as our benchmarks do); every reply is checked.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putsInFlight() {
    writeBatch();
  }
}
