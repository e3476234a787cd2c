package io.crema.raft.testkit.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.testkit.Await;
import io.crema.raft.transport.InMemoryNetwork;
import io.crema.raft.transport.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idle groups go quiet, and wake on activity or when their leader goes silent. */
class QuiescenceTest {
  private static final int GROUPS = 50;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryNetwork net = new InMemoryNetwork();
  private final RaftHost[] hosts = new RaftHost[3];
  private final InMemoryTransport[] transports = new InMemoryTransport[3];

  private void start(boolean quiesce) {
    for (int i = 0; i < 3; i++) {
      transports[i] = net.join(i + 1);
      hosts[i] =
          RaftHost.create(
                  HostConfig.builder(i + 1)
                      .logStore(new MemoryLogStore())
                      .transport(transports[i])
                      .tickIntervalMs(5)
                      .quiesce(quiesce)
                      .build())
              .start();
    }
    for (int g = 0; g < GROUPS; g++) {
      for (RaftHost h : hosts) {
        h.startGroup(g, new KvStateMachine(), 1, 2, 3).join();
      }
    }
    for (int g = 0; g < GROUPS; g++) {
      int group = g;
      // An election can still flip right after it was won (5 ms ticks on a busy machine): a write
      // refused as superseded or not-leader is retried until one is applied.
      Await.until(() -> writeOnce(group), WAIT, "a write applied in group " + g);
    }
  }

  private boolean writeOnce(int group) {
    RaftHost leader = leaderOf(group);
    if (leader == null) {
      return false;
    }
    try {
      leader.propose(group, KvStateMachine.put("k", "v")).join();
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof RaftOperationException) {
        return false;
      }
      throw e;
    }
  }

  private RaftHost leaderOf(int group) {
    for (RaftHost h : hosts) {
      if (h != null && h.view(group) != null && h.view(group).isLeader()) {
        return h;
      }
    }
    return null;
  }

  /** Messages per second on the wire over a window of virtual idleness. */
  private double idleMessagesPerSecond() {
    // Let groups finish catching up and quiesce (an election timeout of idleness, plus margin).
    long settleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    while (System.nanoTime() < settleUntil) {
      LockSupport.parkNanos(10_000_000);
    }
    long before = net.delivered();
    long t0 = System.nanoTime();
    long until = t0 + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(10_000_000);
    }
    return (net.delivered() - before) / ((System.nanoTime() - t0) / 1e9);
  }

  @AfterEach
  void tearDown() {
    for (int i = 0; i < 3; i++) {
      if (hosts[i] != null) {
        hosts[i].close();
        transports[i].close();
      }
    }
  }

  @Test
  void idleGroupsCostLittleTraffic() {
    start(true);
    double quiet = idleMessagesPerSecond();
    System.out.printf(
        "idle traffic, %d groups on 3 nodes, quiescence on: %.0f messages/s%n", GROUPS, quiet);
    // 3 nodes ping 2 peers each every electionTick/3 ticks (15 ms): about 400 messages/s in all,
    // whatever the number of groups. 50 groups heartbeating would be about 3 * 2 * 50 * 67 = 20k.
    assertTrue(quiet < 1_000, "idle traffic with quiescence: " + quiet + " messages/s");
    // Activity wakes a group: a proposal commits.
    leaderOf(7).propose(7, KvStateMachine.put("x", "y")).join();
  }

  /**
   * Without quiescence idle groups keep heartbeating, but the heartbeats of all groups to one peer
   * travel coalesced, one message per peer per duty cycle: 50 groups one message each would be
   * about 3 * 2 * 2 * 50 * 67 = 40k messages/s (heartbeats and responses every 3 ticks of 5 ms).
   */
  @Test
  void withoutQuiescenceHeartbeatsAreCoalescedPerPeer() {
    start(false);
    double busy = idleMessagesPerSecond();
    System.out.printf(
        "idle traffic, %d groups on 3 nodes, quiescence off: %.0f messages/s%n", GROUPS, busy);
    assertTrue(busy > 600, "heartbeats flow without quiescence: " + busy + " messages/s");
    assertTrue(
        busy < 5_000, "heartbeats of all groups to a peer are coalesced: " + busy + " messages/s");
  }

  @Test
  void quiescentGroupsElectANewLeaderWhenTheirLeaderDies() {
    start(true);
    idleMessagesPerSecond();
    RaftHost dead = leaderOf(3);
    int idx = (int) dead.nodeId() - 1;
    dead.close();
    transports[idx].close();
    hosts[idx] = null;
    Await.until(
        () -> leaderOf(3) != null && leaderOf(3) != dead,
        WAIT,
        "a new leader of quiescent group 3");
    leaderOf(3).propose(3, KvStateMachine.put("after", "death")).join();
  }
}
