package io.crema.benchmarks.peers;

import static io.crema.benchmarks.peers.PeerSupport.BATCH;
import static io.crema.benchmarks.peers.PeerSupport.IN_FLIGHT;
import static io.crema.benchmarks.peers.PeerSupport.KEY_BYTES;
import static io.crema.benchmarks.peers.PeerSupport.SETUP_TIMEOUT_S;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.KeyValueTable;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftRole;
import io.microraft.executor.impl.DefaultRaftNodeExecutor;
import io.microraft.model.message.RaftMessage;
import io.microraft.statemachine.StateMachine;
import io.microraft.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer baseline: MicroRaft, measured with the same harness as {@code MultiRaftThroughputBenchmark}.
 * Three MicroRaft nodes in one JVM, each on its own {@link DefaultRaftNodeExecutor} (one thread per
 * node, MicroRaft's default), joined by an in-memory transport written here: {@code send} hands the
 * message object straight to the target's {@link RaftNode#handle}, which queues it on the target's
 * executor (no serialisation, no copy). MicroRaft's log is in memory ({@code NopRaftStore}, its
 * default: MicroRaft has no durable log unless the application supplies a {@code RaftStore}), so
 * nothing is written to disk. The state machine stores puts of 16-byte keys and 16-byte values in a
 * {@link KeyValueTable}, as our in-memory benchmark's does. The benchmark thread keeps {@value
 * PeerSupport#IN_FLIGHT} writes in flight with {@link RaftNode#replicate} on the leader (MicroRaft
 * does not forward from followers); the future completes once the entry is committed and applied on
 * the leader.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MicroRaftBenchmark}
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
public class MicroRaftBenchmark extends PeerBenchmark {

  private final List<RaftNode> nodes = new ArrayList<>();
  private final List<DefaultRaftNodeExecutor> executors = new ArrayList<>();
  private final List<KeyValueMachine> machines = new ArrayList<>();
  private RaftNode leader;

  /** A node's address in the in-memory transport. */
  static final class Endpoint implements RaftEndpoint {
    private final String id;

    Endpoint(String id) {
      this.id = id;
    }

    @Override
    public Object getId() {
      return id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Endpoint && ((Endpoint) o).id.equals(id);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** Direct hand-off: the target node queues the message on its own executor. */
  static final class InMemoryTransport implements Transport {
    private final Map<RaftEndpoint, RaftNode> nodes;

    InMemoryTransport(Map<RaftEndpoint, RaftNode> nodes) {
      this.nodes = nodes;
    }

    @Override
    public void send(RaftEndpoint target, RaftMessage message) {
      RaftNode node = nodes.get(target);
      if (node != null) {
        node.handle(message);
      }
    }

    @Override
    public boolean isReachable(RaftEndpoint endpoint) {
      return nodes.containsKey(endpoint);
    }
  }

  /** Marks the start of a leader's term (committed by every new leader, as Raft's no-op). */
  static final class NewTerm {
    static final NewTerm INSTANCE = new NewTerm();
  }

  /**
   * Puts of 16-byte keys and values (a 32-byte command) into a {@link KeyValueTable}, as our
   * in-memory benchmark's state machine does; runs on the node's executor thread. The snapshot is
   * one chunk, a copy of the table.
   */
  static final class KeyValueMachine implements StateMachine {
    private final KeyValueTable data = new KeyValueTable(IN_FLIGHT);

    @Override
    public Object runOperation(long commitIndex, Object operation) {
      if (operation instanceof byte[]) {
        data.put((byte[]) operation, 0, KEY_BYTES);
      }
      return null;
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> chunkConsumer) {
      chunkConsumer.accept(data.copy());
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> chunks) {
      data.clear();
      for (Object chunk : chunks) {
        data.putAll((KeyValueTable) chunk);
      }
    }

    /** How many of {@code keys} do not hold the value last written to them. */
    int staleKeys(byte[][] keys, byte[] lastRound) {
      return PeerSupport.staleKeys(data::get, keys, lastRound);
    }

    @Override
    public Object getNewTermOperation() {
      return NewTerm.INSTANCE;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    startOrClose();
  }

  @Override
  void start() throws Exception {
    List<RaftEndpoint> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new Endpoint("n" + (i + 1)));
    }
    // More room than the writes in flight, so that replicate() is never refused for a full log.
    RaftConfig config = RaftConfig.newBuilder().setMaxPendingLogEntryCount(2 * IN_FLIGHT).build();
    Map<RaftEndpoint, RaftNode> byEndpoint = new HashMap<>();
    InMemoryTransport transport = new InMemoryTransport(byEndpoint);
    CompletableFuture<RaftNode> elected = new CompletableFuture<>();
    for (RaftEndpoint member : members) {
      DefaultRaftNodeExecutor executor = new DefaultRaftNodeExecutor();
      KeyValueMachine machine = new KeyValueMachine();
      RaftNode[] self = new RaftNode[1];
      RaftNode node =
          RaftNode.newBuilder()
              .setGroupId("bench")
              .setLocalEndpoint(member)
              .setInitialGroupMembers(members)
              .setConfig(config)
              .setExecutor(executor)
              .setTransport(transport)
              .setStateMachine(machine)
              .setRaftNodeReportListener(
                  report -> {
                    if (report.getRole() == RaftRole.LEADER) {
                      elected.complete(self[0]);
                    }
                  })
              .build();
      self[0] = node;
      executors.add(executor);
      machines.add(machine);
      nodes.add(node);
      byEndpoint.put(member, node);
    }
    for (RaftNode node : nodes) {
      node.start().get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
    }
    leader = elected.get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
    writeFirstRound();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    finish();
  }

  /** Terminates the nodes and waits for their executors to stop. */
  @Override
  void close() throws Exception {
    for (RaftNode node : nodes) {
      node.terminate().get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
    }
    for (DefaultRaftNodeExecutor executor : executors) {
      executor.getExecutor().shutdown();
      if (!executor.getExecutor().awaitTermination(SETUP_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a MicroRaft executor did not stop");
      }
    }
  }

  /**
   * Every write was committed, and every node (followers too) applied the last round: replication
   * really happened. Each machine is read on its own node's executor thread.
   */
  @Override
  void checkReplicated() throws Exception {
    long commitIndex =
        leader
            .getReport()
            .get(SETUP_TIMEOUT_S, TimeUnit.SECONDS)
            .getResult()
            .getLog()
            .getCommitIndex();
    if (commitIndex < issued) {
      throw new IllegalStateException("commit index " + commitIndex + " < " + issued + " writes");
    }
    for (int n = 0; n < nodes.size(); n++) {
      nodes
          .get(n)
          .waitFor(commitIndex, Duration.ofSeconds(SETUP_TIMEOUT_S))
          .get(SETUP_TIMEOUT_S + 5, TimeUnit.SECONDS);
      KeyValueMachine machine = machines.get(n);
      int stale =
          executors
              .get(n)
              .getExecutor()
              .submit(() -> machine.staleKeys(keys, lastRound))
              .get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
      if (stale != 0) {
        throw new IllegalStateException(
            stale + " keys without the last round's value on node " + n);
      }
    }
  }

  @Override
  CompletableFuture<?> write(int k) {
    return leader.replicate(PeerSupport.command(keys[k], lastRound[k]));
  }

  /**
   * {@value PeerSupport#BATCH} writes replicated through the leader, each issued as soon as the
   * window of {@value PeerSupport#IN_FLIGHT} has room (as our benchmarks do).
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putsInFlight() {
    writeBatch();
  }
}
