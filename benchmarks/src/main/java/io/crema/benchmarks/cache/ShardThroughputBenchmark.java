package io.crema.benchmarks.cache;

import io.crema.cache.DistributedCache;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The whole cache: 3 nodes in one JVM over Aeron UDP loopback (one embedded media driver),
 * Chronicle logs synced per batch, {@code shards} shards, 16-byte keys and values, {@value
 * #IN_FLIGHT} puts in flight spread over the three nodes (two thirds are forwarded to the shard
 * leader). Reports committed puts per second in total; divide by {@code shards} for per shard.
 *
 * <p>Run: {@code mvn -B -DskipTests install && mvn -B -pl benchmarks package -DskipTests && java
 * -jar benchmarks/target/benchmarks.jar ShardThroughputBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms2g",
      "-Xmx2g",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true",
      "-Dchronicle.announcer.disable=true",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class ShardThroughputBenchmark {
  static final int IN_FLIGHT = 4096;

  @Param({"1", "4", "16"})
  public int shards;

  private BenchCluster cluster;
  private DistributedCache[] nodes;
  private final byte[][] keys = new byte[IN_FLIGHT][];
  private final byte[] value = new byte[16];
  private final CompletableFuture<?>[] inFlight = new CompletableFuture<?>[IN_FLIGHT];
  private int round;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    cluster = new BenchCluster(shards);
    nodes = cluster.nodes;
    for (int i = 0; i < IN_FLIGHT; i++) {
      keys[i] = BenchCluster.key(i);
    }
    // Wait until every shard has a leader: one put per key's shard.
    for (int i = 0; i < IN_FLIGHT; i++) {
      nodes[i % 3].put(keys[i], value).get(60, TimeUnit.SECONDS);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    cluster.close();
  }

  /** {@value #IN_FLIGHT} puts through all three nodes, all awaited. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public void putsInFlight() {
    round++;
    for (int i = 0; i < IN_FLIGHT; i++) {
      value[0] = (byte) round;
      inFlight[i] = nodes[i % 3].put(keys[i], value);
    }
    CompletableFuture.allOf(inFlight).join();
  }
}
