package io.crema.benchmarks.cache;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.ChronicleBenchmark;
import io.crema.benchmarks.InFlightWindow;
import io.crema.cache.DistributedCache;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The whole cache: 3 nodes in one JVM over Aeron UDP loopback (one embedded media driver),
 * Chronicle logs synced per batch, {@code shards} shards, 16-byte keys and values, {@value #KEYS}
 * keys, a window of {@link #window} puts in flight spread over the three nodes (two thirds are
 * forwarded to the shard leader). Reports committed puts per second in total; divide by {@code
 * shards} for per shard.
 *
 * <p>Run: {@code mvn -B -DskipTests install && mvn -B -pl benchmarks package -DskipTests && java
 * -jar benchmarks/target/benchmarks.jar ShardThroughputBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class ShardThroughputBenchmark extends ChronicleBenchmark {
  static final int KEYS = 4096;
  static final int BATCH = 1024;

  @Param({"1", "4", "16"})
  public int shards;

  /** Puts kept in flight. */
  @Param({"4096"})
  public int window;

  /** Longest idle park of the nodes' event loops and the media driver, in microseconds. */
  @Param({"1000"})
  public int idleMaxParkUs;

  /**
   * Where puts enter: {@code any} spreads them over the three nodes (two thirds forwarded); {@code
   * leader} sends each to the node leading its key's shard (no forwarding).
   */
  @Param({"any"})
  public String entry;

  private int[] entryNode;

  BenchCluster cluster;
  private DistributedCache[] nodes;
  private final byte[][] keys = new byte[KEYS][];
  private final byte[] value = new byte[16];
  private InFlightWindow inFlight;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    inFlight = new InFlightWindow(window);
    cluster =
        new BenchCluster(
            shards,
            java.time.Duration.ofNanos(idleMaxParkUs * 1_000L),
            io.crema.cache.CacheConfig.StorageType.CHRONICLE);
    nodes = cluster.nodes;
    for (int i = 0; i < KEYS; i++) {
      keys[i] = BenchSupport.key(i);
    }
    // Wait until every shard has a leader: one put per key's shard.
    for (int i = 0; i < KEYS; i++) {
      nodes[i % 3].put(keys[i], value).get(60, TimeUnit.SECONDS);
    }
    if (entry.equals("leader")) {
      entryNode = new int[KEYS];
      for (int i = 0; i < KEYS; i++) {
        int shard = nodes[0].multiraftCoordinator().shardForKey(keys[i]);
        entryNode[i] = (int) (cluster.leaderOf(shard) - 1);
      }
    } else if (!entry.equals("any")) {
      throw new IllegalArgumentException("entry must be any or leader, was " + entry);
    }
  }

  /**
   * Bytes allocated on the event-loop thread of shard 0's leader ({@code leaderAllocBytes}) and on
   * all three nodes' event-loop threads together ({@code clusterAllocBytes}), reported by JMH as
   * bytes per second: divide by the put rate for bytes per put (the suite report does; the figure
   * over all measurement iterations is also printed at the end of the trial). Those threads run the
   * whole write path inside a node: Raft, the Aeron transport, the Chronicle log and the state
   * machine. The client API's own objects (futures, the caller's copy of the command) are allocated
   * on the calling thread and are not counted.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public long leaderAllocBytes;
    public long clusterAllocBytes;
    private long[] threads;
    private int leaderSlot;
    private long[] start;
    private long ops;
    private boolean measuring;
    private long measuredOps;
    private long measuredLeaderBytes;
    private long measuredClusterBytes;
    private long cpuStartNs;
    private long measuredCpuNs;

    @Setup(Level.Iteration)
    public void start(ShardThroughputBenchmark b, IterationParams iteration) {
      threads = new long[3];
      for (int i = 0; i < 3; i++) {
        threads[i] = BenchCluster.hostThreadId(i + 1);
      }
      leaderSlot = (int) Math.max(0, b.cluster.leaderOf(0) - 1);
      start = THREADS.getThreadAllocatedBytes(threads);
      ops = 0;
      leaderAllocBytes = 0;
      clusterAllocBytes = 0;
      measuring = iteration.getType() == IterationType.MEASUREMENT;
      cpuStartNs = PROCESS.getProcessCpuTime();
    }

    void record(int n) {
      ops += n;
      long[] now = THREADS.getThreadAllocatedBytes(threads);
      long all = 0;
      for (int i = 0; i < 3; i++) {
        all += now[i] - start[i];
      }
      leaderAllocBytes = now[leaderSlot] - start[leaderSlot];
      clusterAllocBytes = all;
    }

    @TearDown(Level.Iteration)
    public void end() {
      if (measuring) {
        measuredOps += ops;
        measuredLeaderBytes += leaderAllocBytes;
        measuredClusterBytes += clusterAllocBytes;
        measuredCpuNs += PROCESS.getProcessCpuTime() - cpuStartNs;
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      if (measuredOps > 0) {
        System.out.printf(
            "%nevent-loop allocation per put: leader %.1f B, all three nodes %.1f B (%d puts)%n"
                + "CPU time per put, every thread of the JVM: %.2f us%n",
            (double) measuredLeaderBytes / measuredOps,
            (double) measuredClusterBytes / measuredOps,
            measuredOps,
            measuredCpuNs / 1000.0 / measuredOps);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    inFlight.drain(60_000);
    cluster.close();
  }

  /**
   * {@value #BATCH} puts through all three nodes (each key's put from its own node), each issued as
   * soon as the window of {@link #window} has room.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putsInFlight(Allocation allocation) {
    int k = next;
    for (int i = 0; i < BATCH; i++) {
      inFlight.acquire();
      inFlight.track(nodes[entryNode == null ? k % 3 : entryNode[k]].put(keys[k], value));
      k = k + 1 == KEYS ? 0 : k + 1;
    }
    next = k;
    allocation.record(BATCH);
  }
}
