package io.crema.benchmarks.wal;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.ChronicleBenchmark;
import io.crema.raft.Entry;
import io.crema.raft.LogBatch;
import io.crema.wal.ChronicleLogConfig;
import io.crema.wal.ChronicleLogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Append throughput of {@link ChronicleLogStore}: one operation appends a batch of {@code
 * batchEntries} entries of {@code payloadBytes} to one group and, if {@code sync}, msyncs it (group
 * commit, the default policy); with {@code sync=false} the store runs with the NEVER policy (no
 * msync at all). The "entries" secondary result is the figure to read: entries per second. Target:
 * at least 1,500,000 entries/s with sync per 1024-entry batch.
 *
 * <p>Run (from the repository root, after {@code mvn -pl wal-chronicle install -DskipTests} and
 * {@code mvn -pl benchmarks package -DskipTests}):
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar 'wal.WalAppendBenchmark' -f 1 -wi 2 -i 3
 * </pre>
 *
 * The log goes to a fresh directory under {@code java.io.tmpdir} (override with {@code
 * -jvmArgsAppend -Dwal.bench.dir=/path}), deleted after each trial. The forked JVM gets the
 * Chronicle flags from {@link ChronicleBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class WalAppendBenchmark extends ChronicleBenchmark {
  /** 69: a cache PUT command with a 16-byte key and value and a request id (the limit row's). */
  @Param({"16", "69", "100"})
  int payloadBytes;

  @Param({"1", "64", "1024"})
  int batchEntries;

  @Param({"true", "false"})
  boolean sync;

  private Path dir;
  private ChronicleLogStore store;
  private final LogBatch batch = new LogBatch();
  private byte[] payload;
  private long nextIndex = 1;

  /** Entries appended, reported by JMH as a rate next to the batch rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long entries;
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = WalBenchmarkFiles.newDirectory("wal-append");
    ChronicleLogConfig.Builder b = ChronicleLogConfig.builder(dir);
    if (!sync) {
      b.syncNeverUnsafe();
    }
    store = ChronicleLogStore.open(b.build());
    payload = new byte[payloadBytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    BenchSupport.deleteRecursively(dir);
  }

  @Benchmark
  public void appendBatch(Counters counters) {
    List<Entry> entries = new ArrayList<>(batchEntries);
    for (int i = 0; i < batchEntries; i++) {
      entries.add(Entry.normal(nextIndex++, 1, payload));
    }
    batch.clear();
    batch.add(1, null, entries, null);
    store.append(batch);
    store.sync();
    counters.entries += batchEntries;
  }
}
