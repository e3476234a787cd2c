package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: a child JVM ({@link CrashChild}) appends and syncs batches for several groups and
 * reports what was acknowledged; it is killed with SIGKILL at seeded moments, the log is reopened
 * here and every acknowledged write must be there, in order, uncorrupted; the next child continues
 * on the recovered log. Kills: {@code -Dwal.crash.kills} (default 50); seed: {@code
 * -Dwal.crash.seed}.
 */
@Tag("slow")
class ChronicleCrashTest {
  private static final String EOF = "<eof>";
  private static final long LINE_TIMEOUT_S = 60;

  @TempDir Path dir;

  /** One group write the child announced: entries [from, to] at term, then hard state. */
  private record Write(long group, long from, long to, long term) {}

  /** What the test knows of one group: the term of every index from 1, and the hard state. */
  private static final class GroupModel {
    final List<Long> terms = new ArrayList<>();
    HardState hardState = HardState.EMPTY;

    GroupModel copy() {
      GroupModel c = new GroupModel();
      c.terms.addAll(terms);
      c.hardState = hardState;
      return c;
    }

    void apply(Write w, long upTo, boolean withHardState) {
      while (terms.size() > w.from() - 1) {
        terms.remove(terms.size() - 1);
      }
      for (long i = w.from(); i <= upTo; i++) {
        terms.add(w.term());
      }
      if (withHardState) {
        hardState = new HardState(w.term(), 1, w.from() - 1);
      }
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    long seed = Long.getLong("wal.crash.seed", System.nanoTime());
    int kills = Integer.getInteger("wal.crash.kills", 50);
    try {
      run(seed, kills);
    } catch (AssertionError | Exception e) {
      throw new AssertionError("crash test failed; reproduce with -Dwal.crash.seed=" + seed, e);
    }
  }

  private void run(long seed, int kills) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Path wal = dir.resolve("wal");
    Map<Long, GroupModel> model = new HashMap<>();
    long totalAcks = 0;
    for (int round = 0; round < kills; round++) {
      Process child = start("write", wal.toString(), Long.toString(random.nextLong()));
      BlockingQueue<String> lines = readLines(child);
      String ready = next(lines, child);
      assertEquals("READY", ready, () -> "child did not start; its stderr:\n" + childLog());
      int acksBeforeKill = random.nextInt(0, 25);
      List<Write> pending = new ArrayList<>();
      int acks = 0;
      while (acks < acksBeforeKill) {
        String line = next(lines, child);
        assertTrue(!line.equals(EOF), "child ended early");
        acks += consume(line, pending, model) ? 1 : 0;
      }
      // SIGKILL on Linux; through the handle, so that our end of stdout stays open and every
      // line the child printed before dying is still read
      child.toHandle().destroyForcibly();
      assertTrue(child.waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS), "child did not die");
      for (String line = next(lines, child); !line.equals(EOF); line = next(lines, child)) {
        acks += consume(line, pending, model) ? 1 : 0;
      }
      totalAcks += acks;
      verifyAndAdopt(wal, model, pending, round);
    }
    assertTrue(totalAcks > kills, "too few acknowledged batches: " + totalAcks);
  }

  /** Returns true for an acknowledgement. */
  private static boolean consume(String line, List<Write> pending, Map<Long, GroupModel> model) {
    if (line.equals("A")) {
      for (Write w : pending) {
        model.computeIfAbsent(w.group(), g -> new GroupModel()).apply(w, w.to(), true);
      }
      pending.clear();
      return true;
    }
    String[] p = line.split(" ");
    if (p[0].equals("P") && p.length == 5) {
      pending.add(
          new Write(
              Long.parseLong(p[1]),
              Long.parseLong(p[2]),
              Long.parseLong(p[3]),
              Long.parseLong(p[4])));
      return false;
    }
    throw new AssertionError("unexpected child output: " + line);
  }

  private static void verifyAndAdopt(
      Path wal, Map<Long, GroupModel> model, List<Write> pending, int round) {
    try (ChronicleLogStore store =
        ChronicleLogStore.open(ChronicleLogConfig.builder(wal).build())) {
      for (long g = 0; g < CrashChild.GROUPS; g++) {
        GroupModel acked = model.getOrDefault(g, new GroupModel());
        List<Write> mine = new ArrayList<>();
        for (Write w : pending) {
          if (w.group() == g) {
            mine.add(w);
          }
        }
        LogReader r = store.group(g);
        List<Entry> seen = r.entries(r.firstIndex(), r.lastIndex() + 1, Long.MAX_VALUE);
        for (Entry e : seen) {
          assertEquals(
              LogStoreContractTest.entries(g, e.index(), e.index(), e.term()).get(0),
              e,
              "round " + round + ", group " + g + ": corrupt entry");
        }
        List<Long> terms = new ArrayList<>();
        for (Entry e : seen) {
          terms.add(e.term());
        }
        assertTrue(
            matchesSomePrefix(acked, mine, terms, r.hardState()),
            "round "
                + round
                + ", group "
                + g
                + ": recovered log (last "
                + r.lastIndex()
                + ", hard state "
                + r.hardState()
                + ") is not the acknowledged one (last "
                + acked.terms.size()
                + ", "
                + acked.hardState
                + ") nor a prefix of the writes in flight "
                + mine);
        GroupModel adopted = new GroupModel();
        adopted.terms.addAll(terms);
        adopted.hardState = r.hardState();
        model.put(g, adopted);
      }
    }
  }

  /**
   * Whether the recovered (terms, hard state) is the acknowledged state followed by a prefix of the
   * unacknowledged writes, the last of which may be partial (truncated, some entries, no hard
   * state).
   */
  private static boolean matchesSomePrefix(
      GroupModel acked, List<Write> inFlight, List<Long> terms, HardState hs) {
    GroupModel state = acked.copy();
    if (state.terms.equals(terms) && state.hardState.equals(hs)) {
      return true;
    }
    for (Write w : inFlight) {
      for (long upTo = w.from() - 1; upTo <= w.to(); upTo++) {
        GroupModel partial = state.copy();
        partial.apply(w, upTo, false);
        if (partial.terms.equals(terms)
            && (hs.equals(state.hardState)
                || upTo == w.to() && hs.equals(new HardState(w.term(), 1, w.from() - 1)))) {
          return true;
        }
      }
      state.apply(w, w.to(), true);
    }
    return false;
  }

  @Test
  void aSecondProcessIsRefusedWithAClearError() throws Exception {
    Path wal = dir.resolve("locked");
    try (ChronicleLogStore store =
        ChronicleLogStore.open(ChronicleLogConfig.builder(wal).build())) {
      assertEquals(0, store.groups().size());
      Process child = start("lock", wal.toString());
      BlockingQueue<String> lines = readLines(child);
      String line = next(lines, child);
      assertTrue(line.startsWith("REFUSED ") && line.contains("locked by another process"), line);
      assertTrue(child.waitFor(LINE_TIMEOUT_S, TimeUnit.SECONDS));
    }
  }

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle.")) {
        cmd.add(a); // the Chronicle flags surefire passes (BUILD-NOTES)
      }
    }
    cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(dir.resolve("child-stderr.log").toFile()).start();
  }

  private static BlockingQueue<String> readLines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("IOERROR " + e);
              }
              lines.add(EOF);
            },
            "crash-child-reader");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String next(BlockingQueue<String> lines, Process child)
      throws InterruptedException {
    String line = lines.poll(LINE_TIMEOUT_S, TimeUnit.SECONDS);
    if (line == null) {
      child.destroyForcibly();
      fail("no output from the child for " + LINE_TIMEOUT_S + " s");
    }
    return line;
  }

  private String childLog() {
    try {
      String log = Files.readString(dir.resolve("child-stderr.log"));
      return log.substring(Math.max(0, log.length() - 4000));
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }
}
