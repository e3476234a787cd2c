package io.crema.benchmarks.cache;

import io.crema.benchmarks.BenchSupport;
import io.crema.cache.statemachine.CacheCommands;
import io.crema.cache.statemachine.CacheStateMachine;
import io.crema.cache.statemachine.CacheStateMachineConfig;
import io.crema.cache.statemachine.CheckpointConfig;
import io.crema.cache.statemachine.FileSnapshotStore;
import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Snapshot throughput of 1,000,000 entries (16-byte keys, 16-byte values, half of the values
 * repeating so the data is compressible like real cache contents), with LZ4 compression on and off,
 * through {@link FileSnapshotStore} (including fsync, rename and directory fsync).
 *
 * <ul>
 *   <li>{@code write}: capture on the "apply thread" + serialise + compress + checksum + commit.
 *   <li>{@code readFile}: open + decompress + verify every block and the trailer (no decoding).
 *   <li>{@code restore}: open + verify + decode + load into a fresh Caffeine-backed machine.
 * </ul>
 *
 * The {@code stateBytes} counter is the uncompressed state data per second: divide by 1,000,000 for
 * MB/s (the rate the 150 MB/s target refers to). Run:
 *
 * <pre>
 * mvn -B -o -pl cache-statemachine install -DskipTests
 * mvn -B -o -pl benchmarks package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {BenchSupport.GC, "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SnapshotBenchmark {
  private static final int ENTRIES = 1_000_000;
  private static final long NOW = 1_700_000_000_000L;

  @Param({"true", "false"})
  public boolean compression;

  private Path dir;
  private FileSnapshotStore store;
  private CacheStateMachine machine;
  private SnapshotMeta meta;
  private long stateBytes;

  /** Bytes of uncompressed state data processed, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long stateBytes;
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("crema-snapshot-bench");
    store = FileSnapshotStore.open(CheckpointConfig.builder(dir).compression(compression).build());
    machine =
        CacheStateMachine.create(
            CacheStateMachineConfig.builder().maximumWeightBytes(1L << 30).build());
    CacheCommands encoder = CacheCommands.withDefaultLimits();
    SplittableRandom rnd = new SplittableRandom(7);
    byte[][] values = new byte[1024][16];
    for (byte[] v : values) {
      rnd.nextBytes(v);
    }
    List<Entry> batch = new ArrayList<>(1024);
    Object[] results = new Object[1024];
    for (int i = 1; i <= ENTRIES; i++) {
      byte[] key = new byte[16];
      rnd.nextBytes(key);
      byte[] value = (i & 1) == 0 ? values[rnd.nextInt(values.length)] : randomValue(rnd);
      batch.add(Entry.normal(i, 1, encoder.put(key, value, 0, NOW, null)));
      if (batch.size() == 1024 || i == ENTRIES) {
        machine.apply(batch, results);
        batch.clear();
      }
    }
    meta = new SnapshotMeta(ENTRIES, 1, ConfState.ofVoters(1, 2, 3));
    CountingStream counter = new CountingStream();
    machine.snapshot().writeTo(counter);
    stateBytes = counter.count;
    write(new Bytes());
  }

  private static byte[] randomValue(SplittableRandom rnd) {
    byte[] v = new byte[16];
    rnd.nextBytes(v);
    return v;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    BenchSupport.deleteRecursively(dir);
  }

  @Benchmark
  public long write(Bytes bytes) throws IOException {
    try (SnapshotStore.Writer w = store.create(1, meta)) {
      machine.snapshot().writeTo(w.out());
      w.commit();
    }
    bytes.stateBytes += stateBytes;
    return stateBytes;
  }

  @Benchmark
  public long readFile(Bytes bytes) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    try (InputStream in = store.latest(1).orElseThrow().open()) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        n += r;
      }
    }
    bytes.stateBytes += n;
    return n;
  }

  @Benchmark
  public long restore(Bytes bytes) throws IOException {
    CacheStateMachine fresh =
        CacheStateMachine.create(
            CacheStateMachineConfig.builder().maximumWeightBytes(1L << 30).build());
    SnapshotStore.Stored stored = store.latest(1).orElseThrow();
    try (InputStream in = stored.open()) {
      fresh.restore(stored.meta(), in);
    }
    bytes.stateBytes += stateBytes;
    return fresh.appliedIndex();
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
