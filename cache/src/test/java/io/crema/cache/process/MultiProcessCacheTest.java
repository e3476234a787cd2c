package io.crema.cache.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.cache.examples.LoopbackPorts;
import io.crema.raft.testkit.Await;
import io.crema.raft.testkit.linearizability.Command;
import io.crema.raft.testkit.linearizability.History;
import io.crema.raft.testkit.linearizability.LinearizabilityChecker;
import io.crema.raft.testkit.linearizability.Operation;
import io.crema.raft.testkit.linearizability.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three cache nodes in three JVMs on loopback (Aeron, Chronicle), each with a client writing and
 * reading; one node is killed with SIGKILL mid-run and restarted on its data directory. The
 * combined client history (one monotonic clock: the processes share the machine's) must be
 * linearizable, which includes that no acknowledged write is lost. -Dmp.seed=S replays the choice
 * of victim and the workload.
 */
@Tag("slow")
class MultiProcessCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private final Process[] procs = new Process[3];
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final int[] ports = LoopbackPorts.free(3);
  private Path root;

  private Process start(int i, long seed, int incarnation) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CacheNodeProcess.class.getName());
    cmd.add(String.valueOf(i + 1));
    for (int p : ports) {
      cmd.add(String.valueOf(p));
    }
    cmd.add(root.resolve("node-" + (i + 1)).toString());
    cmd.add(String.valueOf(seed));
    cmd.add(String.valueOf(incarnation));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (Exception e) {
                // the process died
              }
            });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private long count(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : procs) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
    if (root != null) {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void killedNodeLosesNoAcknowledgedWriteAndHistoryIsLinearizable() throws Exception {
    long seed = Long.getLong("mp.seed", 1122L);
    SplittableRandom rnd = new SplittableRandom(seed);
    root = Files.createTempDirectory("crema-multiprocess");
    for (int i = 0; i < 3; i++) {
      procs[i] = start(i, seed, 1);
    }
    Await.until(() -> count("READY") == 3, WAIT, "three nodes ready (seed " + seed + ")");
    Await.until(() -> count("RES") >= 300, WAIT, "300 operations before the kill");
    int victim = rnd.nextInt(3);
    procs[victim].destroyForcibly().waitFor();
    long before = count("RES");
    Await.until(
        () -> count("RES") >= before + 300,
        WAIT,
        "300 operations with node " + (victim + 1) + " dead");
    procs[victim] = start(victim, seed, 2);
    Await.until(() -> count("READY") == 4, WAIT, "node " + (victim + 1) + " restarted");
    long after = count("RES");
    Await.until(() -> count("RES") >= after + 300, WAIT, "300 operations after the restart");
    for (Process p : procs) {
      OutputStream in = p.getOutputStream();
      in.write("stop\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    Await.until(() -> count("DONE") == 3, WAIT, "clients done");

    History history = History.of(parse());
    Result r = LinearizabilityChecker.create().check(history);
    System.out.printf(
        "multi-process: seed %d, node %d killed and restarted, %d operations checked: %s%n",
        seed, victim + 1, history.size(), r.verdict());
    assertTrue(
        r.isLinearizable(),
        "seed "
            + seed
            + ", victim node "
            + (victim + 1)
            + ", "
            + history.size()
            + " operations: "
            + r);
  }

  /** INV/RES lines to operations; a write without a result had an unknown outcome. */
  private List<Operation> parse() {
    Map<String, String[]> invocations = new HashMap<>();
    Map<String, String[]> results = new HashMap<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f[0].equals("INV") && f.length == 7) {
        invocations.put(f[1] + "/" + f[2], f);
      } else if (f[0].equals("RES") && f.length == 6) {
        results.put(f[1] + "/" + f[2], f);
      }
    }
    List<Operation> ops = new ArrayList<>();
    for (Map.Entry<String, String[]> e : invocations.entrySet()) {
      String[] inv = e.getValue();
      String[] res = results.get(e.getKey());
      long client = Long.parseLong(inv[1]);
      boolean write = inv[3].equals("W");
      String key = inv[4];
      long invokeNs = Long.parseLong(inv[6]);
      String outcome = res == null ? "unknown" : res[3];
      if (write) {
        if (outcome.equals("ok")) {
          ops.add(Operation.write(client, key, inv[5], invokeNs, Long.parseLong(res[4])));
        } else {
          ops.add(Operation.unknown(client, Command.write(key, inv[5]), invokeNs));
        }
      } else if (outcome.equals("ok")) {
        String observed = res[5].equals("null") ? null : res[5];
        ops.add(Operation.read(client, key, observed, invokeNs, Long.parseLong(res[4])));
      }
    }
    return ops;
  }
}
