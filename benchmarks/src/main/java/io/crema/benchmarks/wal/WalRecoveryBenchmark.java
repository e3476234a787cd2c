package io.crema.benchmarks.wal;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.ChronicleBenchmark;
import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.wal.ChronicleLogConfig;
import io.crema.wal.ChronicleLogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Time to reopen (recover) a log of {@code entries} entries of 100 bytes, spread over 8 groups,
 * written in batches of {@code batchEntries} (so 1M single-entry records, or about 1k records of
 * 1024 entries). One operation = open (full scan, CRC check of every record, index rebuild) +
 * close. Target: reopen of 1M entries in at most 2 s.
 *
 * <p>Run (from the repository root, after building as for {@link WalAppendBenchmark}):
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar 'wal.WalRecoveryBenchmark' -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class WalRecoveryBenchmark extends ChronicleBenchmark {
  private static final int GROUPS = 8;

  @Param({"1000000"})
  int entries;

  @Param({"1", "1024"})
  int batchEntries;

  private Path dir;

  @Setup(Level.Trial)
  public void write() throws IOException {
    dir = WalBenchmarkFiles.newDirectory("wal-recovery");
    byte[] payload = new byte[100];
    long[] next = new long[GROUPS];
    LogBatch batch = new LogBatch();
    try (ChronicleLogStore store =
        ChronicleLogStore.open(ChronicleLogConfig.builder(dir).syncNeverUnsafe().build())) {
      int written = 0;
      while (written < entries) {
        int g = (written / batchEntries) % GROUPS;
        int n = Math.min(batchEntries, entries - written);
        List<Entry> es = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          es.add(Entry.normal(++next[g], 1, payload));
        }
        batch.clear();
        batch.add(g, null, es, new HardState(1, 1, next[g]));
        store.append(batch);
        written += n;
      }
    }
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    BenchSupport.deleteRecursively(dir);
  }

  @Benchmark
  public long reopen() {
    try (ChronicleLogStore store =
        ChronicleLogStore.open(ChronicleLogConfig.builder(dir).build())) {
      if (store.recoveryStats().entries() != entries) {
        throw new IllegalStateException("recovered " + store.recoveryStats());
      }
      return store.recoveryStats().entries();
    }
  }
}
