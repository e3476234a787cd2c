package io.crema.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.testkit.Await;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM over Aeron UDP loopback with in-memory logs. */
class DistributedCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestNodes cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  @Test
  void writesOnAnyNodeAreLinearizableEverywhere() throws Exception {
    cluster = new TestNodes(3, b -> b.shards(4));
    for (int i = 0; i < 100; i++) {
      DistributedCache via = cluster.nodes[i % 3];
      get(via.put("key-" + i, "value-" + i));
      // A read on another node right after the acknowledged write sees it.
      assertEquals("value-" + i, get(cluster.nodes[(i + 1) % 3].consistentGet("key-" + i)));
    }
    for (DistributedCache n : cluster.nodes) {
      Await.until(() -> "value-99".equals(n.get("key-99")), WAIT, "replica of node " + n.nodeId());
    }
  }

  @Test
  void conditionalWritesCountersAndDeletes() throws Exception {
    cluster = new TestNodes(3, b -> b.shards(2));
    DistributedCache a = cluster.nodes[0];
    DistributedCache b = cluster.nodes[1];
    assertTrue(get(a.putIfAbsent("k", "1")));
    assertFalse(get(b.putIfAbsent("k", "2")));
    assertTrue(get(b.compareAndSet("k", "1", "3")));
    assertFalse(get(a.compareAndSet("k", "1", "4")));
    assertEquals("3", get(a.consistentGet("k")));
    assertEquals(5L, get(a.increment("n", 5)));
    assertEquals(3L, get(b.increment("n", -2)));
    get(a.put("text", "not a number"));
    java.util.concurrent.ExecutionException notCounter =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> get(b.increment("text", 1)));
    assertTrue(notCounter.getCause() instanceof InvalidRequestException, notCounter.toString());
    assertTrue(notCounter.getCause().getMessage().contains("not a 64-bit decimal counter"));
    assertTrue(get(b.delete("k")));
    assertFalse(get(a.delete("k")));
    assertNull(get(cluster.nodes[2].consistentGet("k")));
  }

  @Test
  void ttlExpiresTheSameOnEveryNode() throws Exception {
    cluster = new TestNodes(3, b -> {});
    get(cluster.nodes[0].put("t", "short", Duration.ofMillis(300)));
    assertEquals("short", get(cluster.nodes[1].consistentGet("t")));
    for (DistributedCache n : cluster.nodes) {
      Await.until(() -> n.get("t") == null, WAIT, "expiry on node " + n.nodeId());
    }
  }

  /**
   * A write that cannot complete fails within about requestTimeout, not a multiple of it: the
   * cache's retries across leaders share the first attempt's deadline.
   */
  @Test
  void aWriteWithoutQuorumFailsWithinTheRequestTimeout() throws Exception {
    Duration timeout = Duration.ofMillis(1500);
    cluster = new TestNodes(3, null, timeout, b -> {});
    get(cluster.nodes[0].put("before", "1"));
    cluster.stop(1);
    cluster.stop(2);
    DistributedCache alone = cluster.nodes[0];
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      ExecutionException e = assertThrows(ExecutionException.class, () -> get(alone.put("k", "v")));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          e.getCause() instanceof NoLeaderException
              || e.getCause() instanceof CacheTimeoutException,
          String.valueOf(e.getCause()));
      assertTrue(
          elapsedMs <= timeout.toMillis() + 700,
          "failed after " + elapsedMs + " ms, request timeout " + timeout.toMillis() + " ms");
    }
  }

  @Test
  void badInputIsRefusedWithASpecificError() throws Exception {
    cluster = new TestNodes(3, b -> b.maxValueBytes(1024));
    DistributedCache n = cluster.nodes[0];
    InvalidRequestException big =
        assertThrows(InvalidRequestException.class, () -> n.put("k".getBytes(), new byte[1025]));
    assertTrue(
        big.getMessage().contains("1025") && big.getMessage().contains("1024"), big.getMessage());
    InvalidRequestException bigKey =
        assertThrows(InvalidRequestException.class, () -> n.put(new byte[65537], "v".getBytes()));
    assertTrue(
        bigKey.getMessage().contains("65537") && bigKey.getMessage().contains("65536"),
        bigKey.getMessage());
    InvalidRequestException ttl =
        assertThrows(InvalidRequestException.class, () -> n.put("k", "v", Duration.ofSeconds(-1)));
    assertTrue(ttl.getMessage().contains("ttl"), ttl.getMessage());
    assertThrows(InvalidRequestException.class, () -> n.put((String) null, "v"));
    assertThrows(InvalidRequestException.class, () -> n.get((byte[]) null));
    // The cache keeps serving.
    get(n.put("ok", "fine"));
    assertArrayEquals("fine".getBytes(), get(n.consistentGet("ok".getBytes())));
    cluster.stop(2);
    DistributedCache stopped = DistributedCache.create(cluster.config(2));
    stopped.shutdown();
    CacheShutdownException shut =
        assertThrows(CacheShutdownException.class, () -> stopped.put("a", "b"));
    assertTrue(shut.getMessage().contains("shut down"), shut.getMessage());
  }

  @Test
  void leaderLossKeepsEveryAcknowledgedWrite() throws Exception {
    cluster = new TestNodes(3, b -> {});
    for (int i = 0; i < 200; i++) {
      get(cluster.nodes[i % 3].put("a" + i, "v" + i));
    }
    int leader = -1;
    for (int i = 0; i < 3; i++) {
      if (((CremaCache) cluster.nodes[i]).shardView(0).isLeader()) {
        leader = i;
      }
    }
    assertTrue(leader >= 0, "a leader of shard 0");
    cluster.stop(leader);
    int other = (leader + 1) % 3;
    for (int i = 200; i < 300; i++) {
      get(cluster.nodes[other].put("a" + i, "v" + i));
    }
    for (int i = 0; i < 300; i++) {
      assertEquals(
          "v" + i, get(cluster.nodes[(leader + 2) % 3].consistentGet("a" + i)), "key a" + i);
    }
    String prom = cluster.nodes[other].metrics().toPrometheus();
    assertTrue(
        prom.contains("raft_proposals_total") && prom.contains("shard_entries{shard=\"0\"}"), prom);
  }
}
