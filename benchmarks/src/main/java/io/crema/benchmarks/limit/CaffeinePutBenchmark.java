package io.crema.benchmarks.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.crema.benchmarks.BenchSupport;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw cost of one Caffeine {@code Cache.put}, one of the component rates of the suite's limit
 * row (see {@code io.crema.benchmarks.suite.WriteLimit}): 16-byte keys and 16-byte values put into
 * a bounded cache built as the cache state machine builds its own ({@code CacheState}): a maximum
 * weight with a weigher, a per-entry expiry, and maintenance handed to an executor that the apply
 * thread runs once per batch. There is no Raft, no command decoding, no deduplication and no
 * copy-on-write here: only the puts.
 *
 * <p>{@code keys} distinct keys (built once, so no key is allocated while measuring) are
 * overwritten in a fixed pseudo-random order, {@value #BATCH} puts per operation followed by the
 * pending maintenance, as the state machine applies a batch. The bound is never reached (as in the
 * cache throughput benchmarks, which stay far below their 1 GiB bound).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CaffeinePutBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {BenchSupport.GC, "-Xms1g", "-Xmx1g"})
public class CaffeinePutBenchmark {
  static final int BATCH = 256;
  private static final int ORDER = 1 << 20;
  private static final long MAXIMUM_WEIGHT = 1L << 30;

  /**
   * Distinct keys overwritten: 4096 is the key set of {@code cache.ShardThroughputBenchmark} (the
   * suite's limit row uses it), 65536 a working set that no longer fits the CPU caches.
   */
  @Param({"4096", "65536"})
  public int keys;

  private Cache<Key, byte[]> cache;
  private final DeferredMaintenance maintenance = new DeferredMaintenance();
  private Key[] keySpace;
  private byte[][] values;
  private int[] order;
  private int next;

  /** A 16-byte key compared by content, as the state machine's keys are. */
  static final class Key {
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Keeps Caffeine's scheduled maintenance until the end of the batch, then runs it. */
  static final class DeferredMaintenance implements Executor {
    private Runnable pending;

    @Override
    public void execute(Runnable task) {
      pending = task;
    }

    void run() {
      for (int i = 0; i < 4 && pending != null; i++) {
        Runnable task = pending;
        pending = null;
        task.run();
      }
    }
  }

  /** No expiry for any value (puts without a TTL), but through the variable-expiry policy. */
  static final class NoExpiry implements Expiry<Key, byte[]> {
    @Override
    public long expireAfterCreate(Key key, byte[] value, long currentTime) {
      return Long.MAX_VALUE;
    }

    @Override
    public long expireAfterUpdate(Key key, byte[] value, long currentTime, long currentDuration) {
      return Long.MAX_VALUE;
    }

    @Override
    public long expireAfterRead(Key key, byte[] value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  @Setup
  public void setUp() {
    cache =
        Caffeine.newBuilder()
            .executor(maintenance)
            .maximumWeight(MAXIMUM_WEIGHT)
            .weigher((Key k, byte[] v) -> 64 + k.bytes.length + v.length)
            .expireAfter(new NoExpiry())
            .build();
    SplittableRandom random = new SplittableRandom(42);
    keySpace = new Key[keys];
    for (int i = 0; i < keys; i++) {
      byte[] k = new byte[16];
      random.nextBytes(k);
      keySpace[i] = new Key(k);
    }
    values = new byte[1024][16];
    for (byte[] v : values) {
      random.nextBytes(v);
    }
    order = new int[ORDER];
    for (int i = 0; i < ORDER; i++) {
      order[i] = random.nextInt(keys);
    }
    for (Key k : keySpace) { // every key present: the measured puts overwrite
      cache.put(k, values[0]);
    }
    maintenance.run();
  }

  /** {@value #BATCH} puts, then the maintenance Caffeine asked for, as one applied batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long putBatch() {
    int n = next;
    for (int i = 0; i < BATCH; i++) {
      cache.put(keySpace[order[n]], values[n & 1023]);
      n = (n + 1) & (ORDER - 1);
    }
    next = n;
    maintenance.run();
    return cache.estimatedSize();
  }
}
