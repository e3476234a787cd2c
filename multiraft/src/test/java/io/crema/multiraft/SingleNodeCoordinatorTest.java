package io.crema.multiraft;

import static io.crema.multiraft.KvAdapter.bytes;
import static io.crema.multiraft.KvAdapter.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.node.RaftOperationException.Reason;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.testkit.Await;
import io.crema.raft.testkit.host.KvStateMachine;
import io.crema.raft.transport.InMemoryNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One node, four shards: operations, validation, stopping a shard, closing. */
class SingleNodeCoordinatorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private TestCluster cluster;
  private MultiRaftCoordinator<KvStateMachine> c;

  @BeforeEach
  void setUp() {
    cluster = new TestCluster(1, 4, 0, true);
    c = cluster.c(1);
    Await.until(cluster::allActive, WAIT, "every shard active");
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private static RaftOperationException failure(Runnable join) {
    CompletionException e = assertThrows(CompletionException.class, join::run);
    return assertInstanceOf(RaftOperationException.class, e.getCause());
  }

  @Test
  void putGetDeleteAndCustomCommands() {
    assertNull(c.put(bytes("colour"), bytes("blue")).join(), "no previous value");
    assertEquals("blue", c.put(bytes("colour"), bytes("green")).join(), "previous value");
    assertEquals("green", text(c.get(bytes("colour")).join()));
    assertEquals("green", text(c.localGet(bytes("colour"))));
    assertEquals(
        "true", c.propose(bytes("colour"), KvStateMachine.cas("colour", "green", "red")).join());
    assertEquals(
        "false", c.propose(bytes("colour"), KvStateMachine.cas("colour", "green", "x")).join());
    int shard = c.shardForKey(bytes("colour"));
    assertEquals("red", c.stateMachine(shard).get("colour"));
    assertEquals(1, c.read(bytes("colour"), KvStateMachine::size).join());
    assertEquals("red", c.delete(bytes("colour")).join());
    assertNull(c.get(bytes("colour")).join());
    MultiRaftStats stats = c.stats();
    assertEquals(8, stats.totalOperations());
    assertEquals(0, stats.failedOperations());
    assertEquals(0, stats.totalEntries());
    assertEquals(4, stats.localLeaderShards());
  }

  @Test
  void badInputIsRejectedBeforeProposing() {
    assertThrows(IllegalArgumentException.class, () -> c.put(null, bytes("v")));
    assertThrows(IllegalArgumentException.class, () -> c.put(bytes("k"), null));
    IllegalArgumentException ttl =
        assertThrows(IllegalArgumentException.class, () -> c.put(bytes("k"), bytes("v"), -1));
    assertTrue(ttl.getMessage().contains("ttlMs must be >= 0, was -1"), ttl.getMessage());
    IllegalArgumentException word =
        assertThrows(IllegalArgumentException.class, () -> c.put(bytes("two words"), bytes("v")));
    assertTrue(word.getMessage().contains("'two words'"), word.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.get(null));
    assertThrows(IllegalArgumentException.class, () -> c.setShardLeader(0, 9));
    assertThrows(IllegalArgumentException.class, () -> c.setShardLeaderIfNewer(4, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> c.setShardLeaderIfNewer(0, 1, -1));
    assertEquals(0, c.stats().totalOperations() + c.stats().failedOperations());
  }

  @Test
  void aStoppedShardRefusesOperationsAndTheOthersGoOn() {
    byte[] key = bytes("a");
    int shard = c.shardForKey(key);
    c.put(key, bytes("1")).join();
    c.stopShard(shard).join();
    assertEquals(ShardState.STOPPED, c.shardState(shard));
    RaftOperationException e = failure(() -> c.put(key, bytes("2")).join());
    assertEquals(Reason.UNKNOWN_GROUP, e.reason());
    assertTrue(e.getMessage().contains("shard " + shard + " is STOPPED"), e.getMessage());
    assertEquals(Reason.UNKNOWN_GROUP, failure(() -> c.get(key).join()).reason());
    List<ShardInfo> info = c.shardInfo().join();
    assertEquals(ShardState.STOPPED, info.get(shard).state());
    assertEquals(1, info.get(shard).entryCount(), "the replica keeps what it had");
    assertEquals(3, c.stats().activeShards());
    for (int i = 0; i < 50; i++) {
      byte[] k = bytes("other" + i);
      if (c.shardForKey(k) != shard) {
        c.put(k, bytes("v")).join();
      }
    }
    assertEquals(2, c.stats().failedOperations(), "the put and the get on the stopped shard");
  }

  @Test
  void closingStopsEverything() {
    c.close();
    for (int s = 0; s < 4; s++) {
      assertEquals(ShardState.STOPPED, c.shardState(s));
    }
    RaftOperationException e =
        failure(() -> c.proposeLocal(0, KvStateMachine.put("k", "v")).join());
    assertEquals(
        Reason.NO_LEADER, e.reason(), "a closed node takes nothing: certainly not applied");
    assertThrows(IllegalStateException.class, c::start);
  }

  @Test
  void writesIssuedBeforeAnyLeaderIsElectedAreRetriedUntilOne() {
    InMemoryNetwork network = new InMemoryNetwork();
    MultiRaftCoordinator<KvStateMachine> fresh =
        MultiRaftCoordinator.builder(ctx -> new KvStateMachine(), new KvAdapter())
            .numShards(8)
            .replicas(9)
            .hostConfig(
                HostConfig.builder(9)
                    .logStore(new MemoryLogStore())
                    .transport(network.join(9))
                    .tickIntervalMs(10)
                    .build())
            .build();
    try {
      CompletableFuture<Void> started = fresh.start(); // not awaited on purpose
      List<CompletableFuture<Object>> writes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        writes.add(fresh.put(bytes("early" + i), bytes("v" + i)));
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
      started.join();
      assertEquals(64, fresh.stats().totalEntries());
      assertEquals(64, fresh.stats().totalOperations());
    } finally {
      fresh.close();
    }
  }
}
