package io.crema.benchmarks.host;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.InFlightWindow;
import io.crema.benchmarks.SharedLoop;
import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.transport.InMemoryNetwork;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
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
 * The host end to end in one JVM: 3 {@link RaftHost}s composed on one event-loop thread (shared
 * mode), in-memory transport and log, {@code groups} Raft groups, 16-byte commands, {@value
 * #IN_FLIGHT} proposals in flight from the benchmark thread. Reports committed (applied on the
 * proposing leader) proposals per second in total; divide by {@code groups} for per group.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar HostThroughputBenchmark}
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
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"
    })
public class HostThroughputBenchmark {
  static final int IN_FLIGHT = 8192;
  static final int BATCH = 1024;
  static final int LOG_ENTRIES = 256_000;

  @Param({"1", "4", "16"})
  public int groups;

  private final RaftHost[] hosts = new RaftHost[3];
  private final MemoryLogStore[] logs = new MemoryLogStore[3];
  private AgentRunner runner;
  private RaftHost[] leaderOf;
  private final byte[] command = new byte[16];
  private final InFlightWindow window = new InFlightWindow(IN_FLIGHT);
  private int next;

  /** Counts applied commands; snapshots are never taken in this benchmark. */
  static final class CountingMachine implements StateMachine {
    long applied;

    @Override
    public void apply(List<Entry> entries, Object[] results) {
      applied += entries.size();
    }

    @Override
    public Snapshot snapshot() {
      long n = applied;
      return out -> out.write(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream data) {
      applied = meta.index();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryNetwork net = new InMemoryNetwork(1 << 20);
    Agent[] agents = new Agent[3];
    for (int i = 0; i < 3; i++) {
      logs[i] = new MemoryLogStore();
      hosts[i] =
          RaftHost.create(
              HostConfig.builder(i + 1)
                  .logStore(logs[i])
                  .transport(net.join(i + 1))
                  .tickIntervalMs(10)
                  // The in-memory log keeps every entry until a snapshot: bound what all groups
                  // together retain the same way for every group count, or the garbage collector
                  // copies N times the live log with N groups.
                  .snapshotEntries(LOG_ENTRIES / groups)
                  .snapshotKeepEntries(LOG_ENTRIES / groups / 10)
                  .queueCapacity(1 << 17)
                  .build());
      agents[i] = hosts[i].agent();
    }
    runner = SharedLoop.start(agents);
    for (int g = 0; g < groups; g++) {
      for (RaftHost h : hosts) {
        h.startGroup(g, new CountingMachine(), 1, 2, 3).join();
      }
    }
    leaderOf = new RaftHost[groups];
    for (int g = 0; g < groups; g++) {
      // Spread leadership: group g is led by node (g % 3) + 1.
      RaftHost want = hosts[g % 3];
      int group = g;
      while (leaderOf[g] == null) {
        for (RaftHost h : hosts) {
          if (h.view(group) != null && h.view(group).isLeader()) {
            if (h != want) {
              h.transferLeadership(group, want.nodeId()).exceptionally(t -> null).join();
            } else {
              leaderOf[g] = h;
            }
          }
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    window.drain(60_000);
    runner.close();
    for (RaftHost h : hosts) {
      h.close();
    }
  }

  /**
   * {@value #BATCH} proposals spread over the groups, each issued as soon as the window of {@value
   * #IN_FLIGHT} has room.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void proposeInFlight() {
    int g = next;
    for (int i = 0; i < BATCH; i++) {
      window.acquire();
      window.track(leaderOf[g].propose(g, command));
      g = g + 1 == groups ? 0 : g + 1;
    }
    next = g;
  }
}
