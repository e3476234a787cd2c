package io.crema.benchmarks.cache;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.ChronicleBenchmark;
import io.crema.cache.DistributedCache;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Put latency under a steady open-loop load (about half the peak of {@link
 * ShardThroughputBenchmark}): the same 3-node cluster (Aeron, Chronicle synced per batch), puts
 * sent at {@code rate} per second spread over the nodes for 3 s per iteration, latency measured
 * from send to acknowledgement (coordinated omission avoided: a put's clock starts at its scheduled
 * send time). Reports p50, p99 and p99.9 in microseconds as secondary results.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PutLatencyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class PutLatencyBenchmark extends ChronicleBenchmark {
  private static final long RUN_NS = TimeUnit.SECONDS.toNanos(3);

  /** Puts per second offered. */
  @Param({"90000"})
  public int rate;

  @Param({"1"})
  public int shards;

  /** Longest idle park of the nodes' event loops and the media driver, in microseconds. */
  @Param({"1000"})
  public int idleMaxParkUs;

  /** The nodes' log: CHRONICLE (synced per batch, the product default for durability) or MEMORY. */
  @Param({"CHRONICLE"})
  public String storage;

  private BenchCluster cluster;
  private DistributedCache[] nodes;
  private final byte[] value = new byte[16];
  private static final int KEYS = 3_000;
  // Built once: the load loop must not format keys while it is being timed.
  private final byte[][] keys = new byte[KEYS][];

  /** Latency percentiles of one iteration, in microseconds. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Latency {
    public double p50Micros;
    public double p99Micros;
    public double p999Micros;
    public long failed;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    cluster =
        new BenchCluster(
            shards,
            java.time.Duration.ofNanos(idleMaxParkUs * 1_000L),
            io.crema.cache.CacheConfig.StorageType.valueOf(storage));
    nodes = cluster.nodes;
    for (int i = 0; i < KEYS; i++) {
      keys[i] = BenchSupport.key(i);
    }
    for (int i = 0; i < KEYS; i++) {
      nodes[i % 3].put(keys[i], value).get(60, TimeUnit.SECONDS);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    cluster.close();
  }

  /**
   * Offers puts at {@code rate}/s for 3 s and records each one's latency from its scheduled time.
   */
  @Benchmark
  public void steadyLoad(Latency out) {
    ConcurrentHistogram h = new ConcurrentHistogram(60_000_000_000L, 3);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long intervalNs = 1_000_000_000L / rate;
    long sent = 0;
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    while (true) {
      long now = System.nanoTime();
      long due = (now - start) / intervalNs;
      if (now - start >= RUN_NS) {
        break;
      }
      while (sent <= due) {
        long scheduled = start + sent * intervalNs;
        int i = (int) (sent % KEYS);
        java.util.concurrent.CompletableFuture<Void> f;
        try {
          f = nodes[(int) (sent % 3)].put(keys[i], value);
        } catch (RuntimeException e) {
          // Back-pressure: the offered load is above what the cluster absorbs.
          errors.add(e);
          done.incrementAndGet();
          sent++;
          continue;
        }
        f.whenComplete(
            (v, e) -> {
              if (e != null) {
                errors.add(e);
              } else {
                h.recordValue(Math.max(0, System.nanoTime() - scheduled));
              }
              done.incrementAndGet();
            });
        sent++;
      }
      LockSupport.parkNanos(50_000);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (done.get() < sent && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    out.p50Micros = h.getValueAtPercentile(50) / 1000.0;
    out.p99Micros = h.getValueAtPercentile(99) / 1000.0;
    out.p999Micros = h.getValueAtPercentile(99.9) / 1000.0;
    out.failed = errors.size();
  }
}
