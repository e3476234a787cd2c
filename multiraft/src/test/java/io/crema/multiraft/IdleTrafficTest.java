package io.crema.multiraft;

import static io.crema.multiraft.KvAdapter.bytes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Idle shards cost (almost) nothing on the wire: the host quiesces idle groups and keeps one
 * node-level ping per peer per interval, so 64 idle shards on 3 nodes send about what 1 does.
 */
class IdleTrafficTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long SETTLE_MS = 1_000;
  private static final long MEASURE_MS = 2_000;

  /** Messages per second between 3 idle nodes with {@code shards} shards, each written once. */
  private static double idleMessagesPerSecond(int shards, boolean quiesce) {
    try (TestCluster cluster =
        new TestCluster(
            3, shards, 50, TestCluster.Forwarding.IN_PROCESS, b -> b.quiesce(quiesce))) {
      Await.until(cluster::allActive, WAIT, "every shard active");
      Await.until(cluster::balanced, WAIT, "shard leaders spread over the nodes");
      ShardRouter router = ShardRouter.of(shards);
      boolean[] written = new boolean[shards];
      List<CompletableFuture<Object>> writes = new ArrayList<>();
      for (int i = 0, left = shards; left > 0; i++) {
        byte[] key = bytes("idle-" + i);
        int s = router.shardForKey(key);
        if (!written[s]) {
          written[s] = true;
          left--;
          writes.add(cluster.c(1 + i % 3).put(key, bytes("v")));
        }
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
      pause(SETTLE_MS); // idle groups quiesce after an election timeout of idleness
      long before = cluster.network.delivered();
      long t0 = System.nanoTime();
      pause(MEASURE_MS);
      double rate = (cluster.network.delivered() - before) / ((System.nanoTime() - t0) / 1e9);
      if (quiesce) {
        assertTrue(cluster.balanced(), "leaders moved while idle");
      }
      System.out.printf(
          "idle traffic: %d shards on 3 nodes, quiescence %s: %.0f messages/s%n",
          shards, quiesce ? "on" : "off", rate);
      return rate;
    }
  }

  /** Lets time pass for a rate measurement (not a wait for a condition). */
  private static void pause(long ms) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(10_000_000);
    }
  }

  @Test
  void sixtyFourIdleShardsCostAboutWhatOneCosts() {
    double one = idleMessagesPerSecond(1, true);
    double many = idleMessagesPerSecond(64, true);
    double heartbeating = idleMessagesPerSecond(64, false);
    System.out.printf(
        "idle traffic: 64 shards / 1 shard = %.2f; without quiescence 64 shards cost %.0fx%n",
        many / one, heartbeating / many);
    assertTrue(many <= 2 * one + 50, "64 idle shards: " + many + "/s vs 1 idle shard: " + one);
    // The measurement sees heartbeats when they are there: 64 groups without quiescence (their
    // heartbeats to a peer travel coalesced, one message per duty cycle, so they cost a few times
    // the quiescent traffic, not 64 times).
    assertTrue(heartbeating > 2 * many, "without quiescence: " + heartbeating + "/s");
  }
}
