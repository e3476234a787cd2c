package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs on loopback, each one Raft node with its own media driver, form a group over {@link
 * AeronTransport}: a leader is elected and every command is applied by all three in the same order.
 * Children run {@link RaftNodeProcess} with this JVM's java, classpath and module flags.
 */
@Tag("slow")
class MultiProcessClusterTest {
  private static final int NODES = 3;
  private static final int COMMANDS = 300;
  private static final long TIMEOUT_MS = 90_000;

  private final List<Process> children = new ArrayList<>();
  private final List<Path> driverDirs = new ArrayList<>();
  private final Map<Long, Deque<String>> output = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Process p : children) {
      try {
        p.getOutputStream().close(); // the child sees EOF and shuts down cleanly
      } catch (IOException e) {
        p.destroy();
      }
    }
    for (Process p : children) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Path dir : driverDirs) {
      org.agrona.IoUtil.delete(dir.toFile(), true);
    }
  }

  private Process launch(long id, int[] ports) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RaftNodeProcess.class.getName());
    cmd.add(Long.toString(id));
    cmd.add(IntStream.of(ports).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    cmd.add(Integer.toString(COMMANDS));
    cmd.add(Long.toString(TIMEOUT_MS / 1000 + 30));
    Path dir = Files.createTempDirectory("crema-aeron-mp-");
    driverDirs.add(dir);
    cmd.add(dir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Deque<String> lines = new ArrayDeque<>();
    output.put(id, lines);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (lines) {
                    lines.addLast(line);
                  }
                }
              } catch (IOException e) {
                // the child is gone
              }
            },
            "child-" + id + "-output");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private List<String> reports(long id, String kind) {
    Deque<String> lines = output.get(id);
    synchronized (lines) {
      return lines.stream()
          .filter(l -> l.startsWith("CREMA " + kind + " "))
          .map(l -> l.substring(("CREMA " + kind + " ").length()))
          .collect(Collectors.toList());
    }
  }

  private String tails() {
    StringBuilder b = new StringBuilder();
    output.forEach(
        (id, lines) -> {
          synchronized (lines) {
            b.append("\n--- node ").append(id).append(" (last lines) ---\n");
            lines.stream()
                .skip(Math.max(0, lines.size() - 15))
                .forEach(l -> b.append(l).append('\n'));
          }
        });
    return b.toString();
  }

  @Test
  void threeJvmsElectALeaderAndReplicate() throws Exception {
    int[] ports = AeronTestSupport.freeUdpPorts(NODES);
    for (long id = 1; id <= NODES; id++) {
      children.add(launch(id, ports));
    }
    AeronTestSupport.await(
        TIMEOUT_MS,
        () -> {
          for (long id = 1; id <= NODES; id++) {
            if (reports(id, "DONE").isEmpty()) {
              if (!children.get((int) id - 1).isAlive()) {
                fail("child " + id + " exited early" + tails());
              }
              return false;
            }
          }
          return true;
        },
        () -> {},
        () -> "every child to apply " + COMMANDS + " commands" + tails());
    List<String> leaders = new ArrayList<>();
    for (long id = 1; id <= NODES; id++) {
      leaders.addAll(reports(id, "LEADER"));
    }
    assertFalse(leaders.isEmpty(), "no child reported leading" + tails());
    String first = reports(1, "DONE").get(0);
    System.out.println(
        "multi-process: leaders (id term) "
            + leaders
            + "; DONE (commands checksum) "
            + IntStream.rangeClosed(1, NODES).mapToObj(i -> reports(i, "DONE")).toList());
    for (long id = 2; id <= NODES; id++) {
      assertEquals(
          first, reports(id, "DONE").get(0), "node " + id + " applied a different log" + tails());
    }
    assertFalse(first.endsWith(" -1"), "checksum covers " + COMMANDS + " commands: " + first);

    long leader = Long.parseLong(leaders.get(leaders.size() - 1).split(" ")[0]);
    Map<Long, Integer> leadsBefore = new ConcurrentHashMap<>();
    for (long id = 1; id <= NODES; id++) {
      leadsBefore.put(id, reports(id, "LEADER").size());
    }
    Process killed = children.get((int) leader - 1);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
    List<Long> survivors = new ArrayList<>();
    for (long id = 1; id <= NODES; id++) {
      if (id != leader) {
        survivors.add(id);
        OutputStream in = children.get((int) id - 1).getOutputStream();
        in.write("more\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
    }
    AeronTestSupport.await(
        TIMEOUT_MS,
        () -> survivors.stream().noneMatch(id -> reports(id, "DONE2").isEmpty()),
        () -> {},
        () -> "the survivors " + survivors + " to apply more commands" + tails());
    List<String> newLeaders = new ArrayList<>();
    survivors.forEach(
        id -> {
          List<String> all = reports(id, "LEADER");
          newLeaders.addAll(all.subList(leadsBefore.get(id), all.size()));
        });
    assertFalse(newLeaders.isEmpty(), "no survivor took over as leader after the kill" + tails());
    System.out.println(
        "multi-process: killed leader " + leader + "; survivors' leaders " + newLeaders);
  }
}
