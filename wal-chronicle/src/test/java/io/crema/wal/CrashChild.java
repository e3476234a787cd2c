package io.crema.wal;

import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process {@link ChronicleCrashTest} kills. Mode "write": opens the log, then appends and syncs
 * batches for several groups forever, printing each group write before it is appended ("P group
 * first last term") and "A" once the batch's sync returned (acknowledged). Mode "lock": tries to
 * open a log another process holds and prints the error.
 */
public final class CrashChild {
  static final int GROUPS = 4;

  private CrashChild() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false);
    Path dir = Path.of(args[1]);
    if (args[0].equals("lock")) {
      try (ChronicleLogStore store =
          ChronicleLogStore.open(ChronicleLogConfig.builder(dir).build())) {
        out.println("OPENED " + store.groups());
      } catch (RuntimeException e) {
        out.println("REFUSED " + e.getMessage());
      }
      out.flush();
      return;
    }
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
    ChronicleLogStore store =
        ChronicleLogStore.open(ChronicleLogConfig.builder(dir).entryCache(64, 1 << 20).build());
    out.println("READY");
    out.flush();
    LogBatch batch = new LogBatch();
    while (true) {
      batch.clear();
      int groups = random.nextInt(1, GROUPS + 1);
      for (int k = 0; k < groups; k++) {
        long g = random.nextInt(GROUPS);
        LogReader r = store.group(g);
        long last = r.lastIndex();
        long term = Math.max(1, r.hardState().term());
        long from = last + 1;
        if (last >= 1 && random.nextInt(10) == 0) {
          from = 1 + random.nextLong(last);
          term++;
        }
        long to = from + random.nextInt(1, 60);
        List<Entry> es = LogStoreContractTest.entries(g, from, to, term);
        batch.add(g, null, es, new HardState(term, 1, from - 1));
        out.println("P " + g + " " + from + " " + to + " " + term);
        out.flush();
        store.append(batch); // one group per append keeps "P" before its write
        batch.clear();
      }
      store.sync();
      out.println("A");
      out.flush();
    }
  }
}
