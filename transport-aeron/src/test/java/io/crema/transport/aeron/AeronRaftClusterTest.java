package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three Raft nodes in one JVM, one shared media driver, talking over real UDP on loopback: they
 * elect a leader and replicate; a follower and then the leader restart on the same port (new
 * transport, same storage) and rejoin. One thread steps all nodes.
 */
@Tag("slow")
class AeronRaftClusterTest {
  private static final long[] VOTERS = {1, 2, 3};

  private EmbeddedMediaDriver driver;
  private int[] ports;
  private final List<RaftTestNode> nodes = new ArrayList<>();
  private final List<RaftTestNode> stopped = new ArrayList<>();

  @BeforeEach
  void setUp() {
    driver = EmbeddedMediaDriver.launch();
    ports = AeronTestSupport.freeUdpPorts(3);
    for (long id : VOTERS) {
      nodes.add(new RaftTestNode(id, VOTERS, newTransport(id)));
    }
  }

  private AeronTransport newTransport(long id) {
    return AeronTransport.start(
        AeronTestSupport.config(id, ports, driver.aeronDirectoryName())
            .termLength(256 * 1024)
            .build());
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(n -> CloseHelper.quietClose(n.transport()));
    driver.close();
  }

  private void stepAll(List<RaftTestNode> running, IdleStrategy idle) {
    int work = 0;
    for (RaftTestNode n : running) {
      work += n.doWork();
    }
    idle.idle(work);
  }

  /** Runs the nodes until one leader is agreed on by all of {@code running}; returns it. */
  private RaftTestNode awaitLeader(List<RaftTestNode> running) {
    IdleStrategy idle = AeronTestSupport.idle();
    RaftTestNode[] leader = {null};
    AeronTestSupport.await(
        20_000,
        () -> {
          for (RaftTestNode n : running) {
            if (n.raft().isLeader()
                && running.stream().allMatch(o -> o.raft().leader() == n.id())) {
              leader[0] = n;
              return true;
            }
          }
          return false;
        },
        () -> stepAll(running, idle),
        () -> "a leader agreed by " + running.size() + " nodes: " + statuses());
    return leader[0];
  }

  private void replicate(CommandFeeder feeder, List<RaftTestNode> mustApply) {
    IdleStrategy idle = AeronTestSupport.idle();
    List<RaftTestNode> running = new ArrayList<>(nodes);
    running.removeAll(stopped);
    AeronTestSupport.await(
        30_000,
        () -> mustApply.stream().allMatch(feeder::allAppliedBy),
        () -> {
          running.forEach(feeder::step);
          stepAll(running, idle);
        },
        () -> feeder.commands().size() + " commands applied on every node: " + statuses());
  }

  private String statuses() {
    StringBuilder b = new StringBuilder();
    for (RaftTestNode n : nodes) {
      b.append("\n  ")
          .append(n.raft().status())
          .append(" appliedCommands=")
          .append(n.appliedCommands().size())
          .append(" ")
          .append(((AeronTransport) n.transport()).stats());
    }
    return b.toString();
  }

  private void stop(RaftTestNode n) {
    n.transport().close();
    stopped.add(n);
  }

  private void restart(RaftTestNode n) {
    n.start(newTransport(n.id()));
    stopped.remove(n);
  }

  private void assertSameLogs() {
    List<String> first = nodes.get(0).appliedCommands();
    for (RaftTestNode n : nodes) {
      assertEquals(
          nodes.get(0).appliedByIndex(), n.appliedByIndex(), "logs differ at node " + n.id());
    }
    assertTrue(first.size() > 0);
  }

  @Test
  void electsReplicatesAndRestartedNodesRejoin() {
    RaftTestNode leader = awaitLeader(nodes);
    replicate(new CommandFeeder("a", 1, 200), nodes);
    assertSameLogs();

    // A follower restarts on the same port with the same storage.
    RaftTestNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    stop(follower);
    replicate(new CommandFeeder("b", 1, 50), List.of(leader));
    restart(follower);
    replicate(new CommandFeeder("c", 1, 100), nodes);
    assertTrue(follower.appliedCommands().contains("b-50"), "the restarted follower caught up");
    assertSameLogs();

    // The leader restarts: the others elect a new one; the old one rejoins as follower.
    stop(leader);
    List<RaftTestNode> others = new ArrayList<>(nodes);
    others.remove(leader);
    RaftTestNode newLeader = awaitLeader(others);
    assertTrue(newLeader != leader);
    replicate(new CommandFeeder("d", 1, 50), others);
    restart(leader);
    replicate(new CommandFeeder("e", 1, 50), nodes);
    assertTrue(leader.appliedCommands().contains("d-50"), "the restarted leader caught up");
    assertSameLogs();
  }
}
