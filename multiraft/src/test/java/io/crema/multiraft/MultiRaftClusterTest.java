package io.crema.multiraft;

import static io.crema.multiraft.KvAdapter.bytes;
import static io.crema.multiraft.KvAdapter.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.node.RaftOperationException;
import io.crema.raft.node.RaftOperationException.Reason;
import io.crema.raft.testkit.Await;
import io.crema.raft.testkit.host.KvStateMachine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes, sixteen shards, one JVM, in-memory transport. */
class MultiRaftClusterTest {
  private static final int SHARDS = 16;
  private static final long[] NODES = {1, 2, 3};
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void startBalanced(boolean forwarding) {
    cluster = new TestCluster(3, SHARDS, 50, forwarding);
    Await.until(cluster::allActive, WAIT, "every shard active on every node");
    Await.until(cluster::balanced, WAIT, "shard leaders spread over the nodes");
  }

  /** Keys "prefix-i" in order until every shard has at least {@code perShard} of them. */
  private static Map<String, String> keysCoveringEveryShard(String prefix, int perShard) {
    ShardRouter router = ShardRouter.of(SHARDS);
    int[] counts = new int[SHARDS];
    int covered = 0;
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 0; covered < SHARDS; i++) {
      String k = prefix + "-" + i;
      kv.put(k, "v" + i);
      if (++counts[router.shardForKey(bytes(k))] == perShard) {
        covered++;
      }
    }
    return kv;
  }

  /** Writes every pair, spreading the calls over the given nodes; all must succeed. */
  private void writeAll(Map<String, String> kv, long... via) {
    List<CompletableFuture<Object>> writes = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> e : kv.entrySet()) {
      MultiRaftCoordinator<KvStateMachine> c = cluster.c(via[i++ % via.length]);
      writes.add(c.put(bytes(e.getKey()), bytes(e.getValue())));
    }
    CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
  }

  private void assertReadable(Map<String, String> kv, long node) {
    for (Map.Entry<String, String> e : kv.entrySet()) {
      assertEquals(
          e.getValue(),
          text(cluster.c(node).get(bytes(e.getKey())).join()),
          "value of " + e.getKey() + " read on node " + node);
    }
  }

  private static int[] perShard(Map<String, String> kv, boolean sizes) {
    ShardRouter router = ShardRouter.of(SHARDS);
    int[] out = new int[SHARDS];
    for (Map.Entry<String, String> e : kv.entrySet()) {
      out[router.shardForKey(bytes(e.getKey()))] +=
          sizes ? e.getKey().length() + e.getValue().length() : 1;
    }
    return out;
  }

  @Test
  void aWriteCanBeGivenItsOwnRetryBudget() {
    startBalanced(true);
    MultiRaftCoordinator<KvStateMachine> c = cluster.c(1);
    byte[] key = bytes("budget");
    assertNull(c.propose(key, KvStateMachine.put("budget", "1"), Duration.ofSeconds(20)).join());
    assertEquals("1", c.propose(key, KvStateMachine.put("budget", "2"), WAIT).join());
    for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1)}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> c.propose(key, new byte[1], bad));
      assertTrue(e.getMessage().contains("budget must be positive"), e.getMessage());
    }
  }

  @Test
  void servesEveryShardAndReportsWhatWasWritten() {
    startBalanced(true);
    Map<Long, Integer> counts = cluster.leaderCounts();
    for (long n : NODES) {
      assertTrue(counts.get(n) >= 5, "node " + n + " leads " + counts.get(n) + " of 16: " + counts);
    }
    Map<String, String> kv = keysCoveringEveryShard("k", 3);
    writeAll(kv, 1, 2, 3);
    long bytes =
        kv.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length()).sum();
    for (long n : NODES) {
      assertReadable(kv, n);
      Await.until(
          () -> cluster.c(n).stats().totalEntries() == kv.size(),
          WAIT,
          "node " + n + " to hold " + kv.size() + " entries");
      MultiRaftStats stats = cluster.c(n).stats();
      assertEquals(SHARDS, stats.totalShards());
      assertEquals(SHARDS, stats.activeShards());
      assertEquals(bytes, stats.totalSizeBytes());
      assertEquals(counts.get(n), stats.localLeaderShards(), "leaders of node " + n);
      assertEquals(0, stats.failedOperations());
    }
    long writesAndReads = 0;
    for (long n : NODES) {
      MultiRaftStats stats = cluster.c(n).stats();
      writesAndReads += stats.totalOperations();
      assertTrue(stats.operationsPerSecond() > 0, "node " + n + ": " + stats);
    }
    assertEquals(kv.size() + 3L * kv.size(), writesAndReads, "writes once, reads on each node");

    int[] entries = perShard(kv, false);
    int[] sizes = perShard(kv, true);
    for (long n : NODES) {
      List<ShardInfo> info = cluster.c(n).shardInfo().join();
      assertEquals(SHARDS, info.size());
      for (ShardInfo s : info) {
        int id = s.shardId();
        assertEquals(ShardState.ACTIVE, s.state(), "node " + n + " " + s);
        assertEquals(entries[id], s.entryCount(), "node " + n + " " + s);
        assertEquals(sizes[id], s.sizeBytes(), "node " + n + " " + s);
        assertEquals(List.of(1L, 2L, 3L), s.members());
        assertEquals(cluster.c(s.leader()).host().view(id).isLeader(), true, "leader of " + s);
        assertTrue(s.term() >= 1, s.toString());
        // At least one leader no-op plus the writes; everything committed was applied here.
        assertTrue(s.commitIndex() >= entries[id] + 1, s.toString());
        assertEquals(s.commitIndex(), s.appliedIndex(), s.toString());
      }
      assertEquals(cluster.c(n).shardLeaders().size(), SHARDS);
    }

    List<String> deleted = new ArrayList<>(kv.keySet()).subList(0, 10);
    for (String k : deleted) {
      assertEquals(kv.get(k), cluster.c(2).delete(bytes(k)).join(), "delete returns the value");
      assertNull(cluster.c(3).get(bytes(k)).join());
    }
    Await.until(
        () -> cluster.c(1).stats().totalEntries() == kv.size() - deleted.size(),
        WAIT,
        "deletes applied on node 1");
  }

  /**
   * With completion threads, every write completes (local and forwarded ones, on all nodes) and no
   * caller's callback runs on a host's event loop.
   */
  @Test
  void completionThreadsDeliverEveryOutcomeOffTheHostLoop() {
    cluster = new TestCluster(3, SHARDS, 50, TestCluster.Forwarding.IN_PROCESS, b -> {}, true);
    Await.until(cluster::allActive, WAIT, "every shard active on every node");
    java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Object>> writes = new ArrayList<>();
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 0; i < 600; i++) {
      String k = "c" + i;
      kv.put(k, "v" + i);
      writes.add(
          cluster
              .c(1 + i % 3)
              .put(bytes(k), bytes("v" + i))
              .whenComplete((v, e) -> threads.add(Thread.currentThread().getName())));
    }
    for (CompletableFuture<Object> w : writes) {
      w.join();
    }
    assertReadable(kv, 2);
    String caller = Thread.currentThread().getName(); // a write done before its callback was added
    for (String t : threads) {
      assertTrue(
          t.startsWith("crema-multiraft-completions-") || t.equals(caller),
          "a callback ran on " + t);
    }
    assertTrue(
        threads.stream().anyMatch(t -> t.startsWith("crema-multiraft-completions-")),
        "callbacks ran on " + threads);
  }

  @Test
  void survivesANodeStopAndTakesItsLeadersBackWhenItReturns() {
    startBalanced(true);
    Map<String, String> before = keysCoveringEveryShard("before", 2);
    writeAll(before, 1, 2, 3);

    cluster.stop(3);
    for (long n : new long[] {1, 2}) {
      cluster.c(n).invalidateLeaderForNode(3); // as discovery would
    }
    Map<String, String> during = keysCoveringEveryShard("during", 2);
    writeAll(during, 1, 2); // every shard, including those node 3 led: retried until re-elected
    Await.until(cluster::balanced, WAIT, "leaders spread over nodes 1 and 2");
    Map<Long, Integer> counts = cluster.leaderCounts();
    assertEquals(Map.of(1L, 8, 2L, 8), counts);
    assertReadable(before, 1);
    assertReadable(during, 2);

    cluster.start(3);
    Await.until(cluster::allActive, WAIT, "node 3's shards active again");
    Await.until(
        () -> cluster.balanced() && cluster.leaderCounts().get(3L) >= 5,
        WAIT,
        "node 3 to take its share of leaders back");
    assertReadable(before, 3);
    assertReadable(during, 3);
    Map<String, String> after = keysCoveringEveryShard("after", 1);
    writeAll(after, 3);
    assertReadable(after, 1);
    for (long n : NODES) {
      assertEquals(0, cluster.c(n).stats().failedOperations(), "failed operations on node " + n);
    }
  }

  @Test
  void withoutAForwarderAFollowerNamesTheLeader() {
    startBalanced(false);
    byte[] key = bytes("somewhere");
    int shard = ShardRouter.of(SHARDS).shardForKey(key);
    long leader = cluster.c(1).shardLeaders().get(shard);
    long follower = leader == 1 ? 2 : 1;
    CompletionException e =
        assertThrows(
            CompletionException.class, () -> cluster.c(follower).put(key, bytes("v")).join());
    RaftOperationException r = assertInstanceOf(RaftOperationException.class, e.getCause());
    assertEquals(Reason.NOT_LEADER, r.reason());
    assertEquals(leader, r.leader());
    assertTrue(!r.mayHaveBeenApplied());
    cluster.c(leader).put(key, bytes("v")).join();
    assertEquals("v", text(cluster.c(follower).get(key).join()), "reads work on any node");
  }

  @Test
  void leaderTrackingTakesNewerEpochsOnly() {
    startBalanced(true);
    MultiRaftCoordinator<KvStateMachine> c = cluster.c(1);
    long leader = c.shardLeaders().get(0);
    long term = cluster.c(leader).host().view(0).term();
    long other = leader == 2 ? 3 : 2;
    assertTrue(!c.setShardLeaderIfNewer(0, other, term - 1), "an older epoch is ignored");
    assertEquals(leader, c.shardLeaders().get(0));
    c.setShardLeader(0, other);
    assertEquals(leader, c.shardLeaders().get(0), "this node's own view of the term wins");
    assertTrue(c.invalidateLeaderForNode(leader) >= 1);
    assertTrue(c.setShardLeaderIfNewer(0, other, term + 1));
    assertEquals(other, c.shardLeaders().get(0));
    // A wrong leader costs a redirect, not a failure: a write to shard 0 still lands.
    byte[] key = bytes("tracked");
    for (int i = 0; c.shardForKey(key) != 0; i++) {
      key = bytes("tracked-" + i);
    }
    c.put(key, bytes("yes")).join();
    assertEquals("yes", text(c.get(key).join()));
    assertEquals(leader, c.shardLeaders().get(0), "the redirect corrected the table");
  }

  @Test
  void placementSpreadsLeadersFromOneNodeOverAll() {
    cluster = new TestCluster(3, SHARDS, 0, true); // automatic placement off: rounds by hand
    Await.until(cluster::allActive, WAIT, "every shard active on every node");
    Await.until(
        () -> {
          Map<Long, Integer> counts = cluster.leaderCounts();
          if (counts != null && counts.get(1L) == SHARDS) {
            return true;
          }
          for (int s = 0; s < SHARDS; s++) {
            if (!cluster.c(1).host().view(s).isLeader()) {
              cluster.c(1).host().transferLeadership(s, 1); // forwarded to the leader
            }
          }
          return false;
        },
        WAIT,
        "node 1 to lead every shard");
    assertEquals(-1, cluster.c(1).rebalanceLeaders(), "the busiest node never gives leaders away");
    Await.until(
        () -> {
          cluster.c(2).rebalanceLeaders();
          cluster.c(3).rebalanceLeaders();
          return cluster.balanced();
        },
        WAIT,
        "nodes 2 and 3 to pull their share");
    Map<Long, Integer> counts = cluster.leaderCounts();
    for (long n : NODES) {
      assertTrue(counts.get(n) >= 5 && counts.get(n) <= 6, "leaders per node: " + counts);
    }
    Map<String, String> kv = keysCoveringEveryShard("spread", 1);
    writeAll(kv, 1);
    assertReadable(kv, 3);
  }

  @Test
  void forwardsThroughTheHostsTransport() {
    cluster = new TestCluster(3, SHARDS, 50, TestCluster.Forwarding.HOST, b -> {});
    Await.until(cluster::allActive, WAIT, "every shard active on every node");
    Await.until(cluster::balanced, WAIT, "shard leaders spread over the nodes");
    Map<String, String> kv = keysCoveringEveryShard("wire", 2);
    writeAll(kv, 1); // two thirds of these travel to their leader as CLIENT_REQUESTs
    assertReadable(kv, 3);
    String k = kv.keySet().iterator().next();
    assertEquals(
        kv.get(k), cluster.c(2).put(bytes(k), bytes("new")).join(), "result over the wire");
    assertEquals(0, cluster.c(1).stats().failedOperations());
  }
}
