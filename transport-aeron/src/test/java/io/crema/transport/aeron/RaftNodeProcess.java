package io.crema.transport.aeron;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;

/**
 * The child process of {@link MultiProcessClusterTest}: one Raft node with its own embedded media
 * driver, over {@link AeronTransport} on loopback. Reports on stdout, one line each, prefixed
 * {@code CREMA}: {@code LEADER id term} when it becomes leader, and {@code DONE n checksum} once it
 * has applied every command, with the checksum of its first n applied commands (with indexes). When
 * the parent writes a line {@code more} to its stdin, it goes on with a second batch of commands
 * and reports {@code DONE2 n} once it applied those too. Exits when stdin closes (the parent is
 * gone) or after the time limit.
 *
 * <p>Arguments: node id, comma-separated ports of nodes 1..k, command count, time limit in seconds,
 * media driver directory (the parent deletes it, as a killed child cannot).
 */
public final class RaftNodeProcess {
  private static volatile boolean more;
  private static volatile boolean parentGone;

  private RaftNodeProcess() {}

  public static void main(String[] args) throws Exception {
    long id = Long.parseLong(args[0]);
    int[] ports = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
    int commands = Integer.parseInt(args[2]);
    long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    watchStdin();
    long[] voters = new long[ports.length];
    for (int i = 0; i < ports.length; i++) {
      voters[i] = i + 1;
    }
    try (EmbeddedMediaDriver driver =
            EmbeddedMediaDriver.builder().directory(java.nio.file.Path.of(args[4])).build();
        AeronTransport transport =
            AeronTransport.start(
                AeronTestSupport.config(id, ports, driver.aeronDirectoryName())
                    .termLength(256 * 1024)
                    .build())) {
      RaftTestNode node = new RaftTestNode(id, voters, transport);
      CommandFeeder feeder = new CommandFeeder("cmd", 1, commands);
      CommandFeeder second = new CommandFeeder("more", 1, commands);
      IdleStrategy idle = AeronTestSupport.idle();
      boolean wasLeader = false;
      boolean done = false;
      boolean done2 = false;
      while (System.nanoTime() < deadlineNs && !parentGone) {
        feeder.step(node);
        if (more) {
          second.step(node);
          if (!done2 && second.allAppliedBy(node)) {
            done2 = true;
            out.println("CREMA DONE2 " + commands);
          }
        }
        idle.idle(node.doWork());
        boolean leader = node.raft().isLeader();
        if (leader && !wasLeader) {
          out.println("CREMA LEADER " + id + " " + node.raft().term());
        }
        wasLeader = leader;
        if (!done && feeder.allAppliedBy(node)) {
          done = true;
          out.println("CREMA DONE " + commands + " " + node.prefixChecksum(commands));
        }
      }
      if (!parentGone) {
        out.println("CREMA TIMEOUT " + node.raft().status());
      }
    }
    System.exit(parentGone ? 0 : 2);
  }

  private static void watchStdin() {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.equals("more")) {
                    more = true;
                  }
                }
              } catch (IOException e) {
                // treat as EOF
              }
              parentGone = true; // the main loop stops and closes the transport and driver
            },
            "stdin-watch");
    t.setDaemon(true);
    t.start();
  }
}
