package io.crema.raft.testkit.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.node.GroupStatus;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real hosts on dedicated threads over the in-memory transport. */
class RaftHostTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private HostCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private long awaitLeader() {
    Await.until(() -> cluster.leader() != 0, WAIT, "a leader of group 0");
    return cluster.leader();
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static RaftOperationException failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    return assertInstanceOf(RaftOperationException.class, e.getCause());
  }

  /** Proposals commit, apply on every replica and return the state machine's result. */
  @Test
  void proposalsReplicateAndReturnResults() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      fs.add(cluster.host(leader).propose(0, KvStateMachine.put("k" + (i % 10), "v" + i)));
    }
    for (int i = 0; i < 1000; i++) {
      Object prev = get(fs.get(i));
      assertEquals(i < 10 ? null : "v" + (i - 10), prev, "result of proposal " + i);
    }
    for (long id = 1; id <= 3; id++) {
      long node = id;
      Await.until(
          () -> "v999".equals(cluster.node(node).kv.get("k9")), WAIT, "node " + node + " applied");
    }
    assertEquals(cluster.node(1).kv.contents(), cluster.node(2).kv.contents());
    assertEquals(cluster.node(2).kv.contents(), cluster.node(3).kv.contents());
    GroupStatus st = get(cluster.host(leader).status(0));
    assertTrue(st.stats().proposals() >= 1000);
    assertTrue(st.stats().proposalLatencyNs().getTotalCount() >= 1000);
  }

  /** A follower of group 0, once it knows the leader. */
  private long followerOf(long leader) throws Exception {
    long follower = leader == 1 ? 2 : 1;
    Await.until(
        () -> cluster.host(follower).view(0).leader() == leader, WAIT, "follower knows leader");
    return follower;
  }

  /** A follower refuses proposals and names the leader. */
  /** A future that records, in its own completion methods, how it was completed. */
  private static final class Outcome extends CompletableFuture<Object> {
    final List<String> calls = new ArrayList<>();

    @Override
    public boolean complete(Object value) {
      calls.add("complete " + value);
      return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
      calls.add("fail " + ((RaftOperationException) error).reason());
      return super.completeExceptionally(error);
    }
  }

  /**
   * The caller's own future carries the outcome: the host completes it once, through the methods a
   * subclass can act in, and returns it.
   */
  @Test
  void proposalCompletesTheCallersFuture() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    Outcome first = new Outcome();
    assertSame(first, cluster.host(leader).propose(0, KvStateMachine.put("o", "1"), first));
    Outcome second = cluster.host(leader).propose(0, KvStateMachine.put("o", "2"), new Outcome());
    assertEquals("1", get(second));
    Await.until(first::isDone, WAIT, "the first outcome");
    assertEquals(List.of("complete null"), first.calls);
    assertEquals(List.of("complete 1"), second.calls);
    Outcome refused = new Outcome();
    cluster.host(followerOf(leader)).propose(0, KvStateMachine.put("o", "3"), refused);
    assertEquals(RaftOperationException.Reason.NOT_LEADER, failure(refused).reason());
    assertEquals(List.of("fail NOT_LEADER"), refused.calls);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cluster.host(leader).propose(0, KvStateMachine.put("o", "4"), null));
    assertEquals("outcome future must not be null", e.getMessage());
  }

  @Test
  void followerRefusesWithLeaderHint() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    long follower = followerOf(leader);
    RaftOperationException e =
        failure(cluster.host(follower).propose(0, KvStateMachine.put("a", "b")));
    assertEquals(RaftOperationException.Reason.NOT_LEADER, e.reason());
    assertEquals(leader, e.leader());
  }

  /** A proposal on a follower is carried to the leader; its result comes back. */
  @Test
  void followerForwardsProposalsToTheLeader() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    long follower = followerOf(leader);
    assertNull(get(cluster.host(follower).proposeViaLeader(0, KvStateMachine.put("f", "1"))));
    assertEquals(
        "1", get(cluster.host(follower).proposeViaLeader(0, KvStateMachine.put("f", "2"))));
    assertEquals("2", get(cluster.host(leader).read(0, () -> cluster.node(leader).kv.get("f"))));
    // On the leader itself it is a plain proposal.
    assertEquals("2", get(cluster.host(leader).proposeViaLeader(0, KvStateMachine.put("f", "3"))));
  }

  /**
   * A forwarded proposal completes when the follower itself has applied it, with its own state
   * machine's result: a read of the follower's state right after the future completes sees it.
   */
  @Test
  void forwardedProposalCompletesAfterTheFollowerApplied() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    long follower = followerOf(leader);
    for (int i = 0; i < 200; i++) {
      Object previous =
          get(cluster.host(follower).proposeViaLeader(0, KvStateMachine.put("k", "v" + i)));
      assertEquals(i == 0 ? null : "v" + (i - 1), previous, "result of write " + i);
      assertEquals("v" + i, cluster.node(follower).kv.get("k"), "follower state after write " + i);
    }
  }

  /**
   * Forwarded proposals whose answers never arrive (the link from the leader back to the follower
   * is cut; the leader does apply them) fail with TIMEOUT after the request timeout; the answered
   * ones before them are not disturbed.
   */
  @Test
  void unansweredForwardedProposalsTimeOut() throws Exception {
    cluster = new HostCluster(3, b -> b.requestTimeoutMs(400));
    long leader = awaitLeader();
    long follower = followerOf(leader);
    for (int i = 0; i < 20; i++) {
      get(cluster.host(follower).proposeViaLeader(0, KvStateMachine.put("a", "v" + i)));
    }
    cluster.network.cut(leader, follower);
    long start = System.nanoTime();
    List<CompletableFuture<Object>> lost = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lost.add(cluster.host(follower).proposeViaLeader(0, KvStateMachine.put("b", "v" + i)));
    }
    for (CompletableFuture<Object> f : lost) {
      RaftOperationException e = failure(f);
      assertEquals(RaftOperationException.Reason.TIMEOUT, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("may or may not have been applied"), e.getMessage());
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms >= 390 && ms < 5_000, "failed after " + ms + " ms, timeout 400 ms");
  }

  /** A read on a follower sees a write acknowledged on the leader (ReadIndex). */
  @Test
  void followerReadIsLinearizable() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    long follower = leader == 3 ? 2 : 3;
    for (int i = 0; i < 50; i++) {
      get(cluster.host(leader).propose(0, KvStateMachine.put("x", "v" + i)));
      String seen = get(cluster.host(follower).read(0, () -> cluster.node(follower).kv.get("x")));
      assertEquals("v" + i, seen, "read after write " + i);
    }
    long index = get(cluster.host(follower).readIndex(0));
    assertTrue(index > 50);
  }

  /** The leader stops; a new one is elected and proposals continue. Raft paper 5.2. */
  @Test
  void newLeaderAfterLeaderCrash() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    get(cluster.host(leader).propose(0, KvStateMachine.put("before", "1")));
    cluster.crash(leader);
    Await.until(() -> cluster.leader() != 0 && cluster.leader() != leader, WAIT, "a new leader");
    long next = cluster.leader();
    get(cluster.host(next).propose(0, KvStateMachine.put("after", "2")));
    assertEquals("1", get(cluster.host(next).read(0, () -> cluster.node(next).kv.get("before"))));
    cluster.restart(leader);
    Await.until(
        () -> "2".equals(cluster.node(leader).kv.get("after")), WAIT, "restarted node catches up");
  }

  /** A follower that missed compacted entries catches up from a snapshot sent in chunks. */
  @Test
  void laggingFollowerCatchesUpFromSnapshot() throws Exception {
    cluster =
        new HostCluster(
            3, b -> b.snapshotEntries(0).snapshotKeepEntries(10).snapshotChunkBytes(1024));
    long leader = awaitLeader();
    long lagging = leader == 1 ? 2 : 1;
    cluster.network.isolate(lagging);
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      fs.add(cluster.host(leader).propose(0, KvStateMachine.put("key" + i, "value-" + i)));
    }
    for (CompletableFuture<Object> f : fs) {
      get(f);
    }
    get(cluster.host(leader).snapshot(0));
    get(cluster.host(leader).propose(0, KvStateMachine.put("after", "snap")));
    cluster.network.heal();
    Await.until(
        () ->
            "snap".equals(cluster.node(lagging).kv.get("after"))
                && cluster.node(lagging).kv.size() == 2001,
        WAIT,
        "lagging follower caught up");
    GroupStatus st = get(cluster.host(lagging).status(0));
    assertEquals(1, st.stats().snapshotsInstalled(), "installed from a snapshot, not the log");
    assertEquals(cluster.node(leader).kv.contents(), cluster.node(lagging).kv.contents());
  }

  /** A node restarted on its storage recovers its state and rejoins. */
  @Test
  void restartRecoversFromLogAndSnapshot() throws Exception {
    cluster = new HostCluster(3, b -> b.snapshotEntries(0));
    long leader = awaitLeader();
    long other = leader == 1 ? 2 : 1;
    for (int i = 0; i < 100; i++) {
      cluster.put("a" + i, "x");
    }
    Await.until(() -> cluster.node(other).kv.size() == 100, WAIT, "replicated");
    get(cluster.host(other).snapshot(0));
    for (int i = 0; i < 50; i++) {
      cluster.put("b" + i, "y");
    }
    Await.until(() -> cluster.node(other).kv.size() == 150, WAIT, "replicated");
    cluster.crash(other);
    cluster.restart(other);
    Await.until(() -> cluster.node(other).kv.size() == 150, WAIT, "recovered after restart");
    cluster.put("c", "z");
    Await.until(() -> "z".equals(cluster.node(other).kv.get("c")), WAIT, "rejoined");
  }

  /** Membership: a new node joins as learner, is promoted, and counts. */
  @Test
  void addNodeThroughMembershipChange() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    get(cluster.host(leader).propose(0, KvStateMachine.put("k", "v")));
    cluster.addNode(4);
    ConfState cs = get(cluster.host(leader).changeMembership(0, ConfChange.addLearner(4)));
    assertEquals(1, cs.learners().length);
    Await.until(() -> "v".equals(cluster.node(4).kv.get("k")), WAIT, "learner replicated");
    cs = get(cluster.host(leader).changeMembership(0, ConfChange.addVoter(4)));
    assertEquals(4, cs.voters().length);
  }

  /** Leadership transfer completes when the target leads. Raft thesis 3.10. */
  @Test
  void transferLeadership() throws Exception {
    cluster = new HostCluster(3, b -> {});
    long leader = awaitLeader();
    long target = leader == 3 ? 1 : 3;
    get(cluster.host(leader).transferLeadership(0, target));
    Await.until(() -> cluster.leader() == target, WAIT, "target leads");
    assertNotEquals(leader, cluster.leader());
  }

  /** A full command queue is reported as back-pressure, never an unbounded queue. */
  @Test
  void fullQueueIsBackPressure() throws Exception {
    cluster = new HostCluster(3, b -> b.queueCapacity(4));
    long leader = awaitLeader();
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      fs.add(cluster.host(leader).propose(0, KvStateMachine.put("k", "v")));
    }
    long refused = 0;
    for (CompletableFuture<Object> f : fs) {
      try {
        get(f);
      } catch (ExecutionException e) {
        RaftOperationException r = assertInstanceOf(RaftOperationException.class, e.getCause());
        assertEquals(RaftOperationException.Reason.BACK_PRESSURE, r.reason());
        assertTrue(r.getMessage().contains("4 commands"), r.getMessage());
        refused++;
      }
    }
    assertTrue(refused > 0, "no proposal was refused with a queue of 4");
  }

  /** A state machine that throws stops its group on that node only; others keep going. */
  @Test
  void failingStateMachineStopsOnlyItsGroup() throws Exception {
    cluster = new HostCluster(1, b -> {});
    awaitLeader();
    io.crema.raft.node.RaftHost host = cluster.host(1);
    io.crema.raft.StateMachine broken =
        new io.crema.raft.StateMachine() {
          @Override
          public void apply(java.util.List<io.crema.raft.Entry> entries, Object[] results) {
            for (io.crema.raft.Entry e : entries) {
              if (e.data().length > 0) {
                throw new IllegalStateException("boom at " + e.index());
              }
            }
          }

          @Override
          public Snapshot snapshot() {
            return out -> {};
          }

          @Override
          public void restore(io.crema.raft.SnapshotMeta meta, java.io.InputStream in) {}
        };
    get(host.startGroup(7, broken, 1));
    Await.until(() -> host.view(7) != null && host.view(7).isLeader(), WAIT, "group 7 leader");
    RaftOperationException e = failure(host.propose(7, KvStateMachine.put("x", "y")));
    assertEquals(RaftOperationException.Reason.INTERNAL, e.reason());
    Await.until(() -> host.view(7) == null, WAIT, "group 7 stopped");
    // Group 0 on the same host still works.
    assertNull(get(host.propose(0, KvStateMachine.put("still", "alive"))));
  }

  /** Operations on a group that is not hosted fail clearly. */
  @Test
  void unknownGroupAndClosedHost() throws Exception {
    cluster = new HostCluster(1, b -> {});
    awaitLeader();
    RaftOperationException e = failure(cluster.host(1).propose(42, new byte[] {1}));
    assertEquals(RaftOperationException.Reason.UNKNOWN_GROUP, e.reason());
    assertNull(cluster.host(1).view(42));
    cluster.host(1).close();
    e = failure(cluster.host(1).propose(0, new byte[] {1}));
    assertEquals(RaftOperationException.Reason.SHUT_DOWN, e.reason());
  }
}
