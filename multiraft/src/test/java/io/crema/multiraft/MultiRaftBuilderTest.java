package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.node.HostConfig;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.testkit.host.KvStateMachine;
import io.crema.raft.transport.InMemoryNetwork;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MultiRaftBuilderTest {
  private final InMemoryNetwork network = new InMemoryNetwork();

  private HostConfig config(long node) {
    return HostConfig.builder(node)
        .logStore(new MemoryLogStore())
        .transport(network.join(node))
        .build();
  }

  private static MultiRaftBuilder<KvStateMachine> builder() {
    return MultiRaftCoordinator.builder(ctx -> new KvStateMachine(), new KvAdapter());
  }

  private static void assertMessage(
      String expected, Class<? extends Throwable> type, Executable e) {
    Throwable t = assertThrows(type, e);
    assertTrue(
        t.getMessage().contains(expected), "message '" + t.getMessage() + "' lacks " + expected);
  }

  @Test
  void rejectsBadSettingsNamingValueAndLimit() {
    assertMessage(
        "numShards must be in [1, 1024], was 0",
        IllegalArgumentException.class,
        () -> builder().numShards(0));
    assertMessage(
        "numShards must be in [1, 1024], was 1025",
        IllegalArgumentException.class,
        () -> builder().numShards(1025));
    assertMessage(
        "replica node ids must be > 0, was -1",
        IllegalArgumentException.class,
        () -> builder().replicas(1, -1));
    assertMessage(
        "replica node 2 is listed twice",
        IllegalArgumentException.class,
        () -> builder().replicas(2, 1, 2));
    assertMessage(
        "defaultTtlMs must be >= 0, was -5",
        IllegalArgumentException.class,
        () -> builder().defaultTtlMs(-5));
    assertMessage(
        "operationTimeoutMs must be >= 1, was 0",
        IllegalArgumentException.class,
        () -> builder().operationTimeoutMs(0));
    assertMessage(
        "numShards was already set",
        IllegalStateException.class,
        () -> builder().numShards(4).numShards(8));
    assertMessage(
        "state machine factory must not be null",
        IllegalArgumentException.class,
        () -> MultiRaftCoordinator.builder(null, new KvAdapter()));
  }

  @Test
  void buildChecksTheSettingsTogether() {
    assertMessage(
        "numShards is required",
        IllegalArgumentException.class,
        () -> builder().replicas(1).hostConfig(config(1)).build());
    assertMessage(
        "replicas is required",
        IllegalArgumentException.class,
        () -> builder().numShards(2).hostConfig(config(2)).build());
    assertMessage(
        "exactly one of host and hostConfig is required",
        IllegalArgumentException.class,
        () -> builder().numShards(2).replicas(1).build());
    assertMessage(
        "replicas [2, 3] do not include this node 4",
        IllegalArgumentException.class,
        () -> builder().numShards(2).replicas(3, 2).hostConfig(config(4)).build());
    assertMessage(
        "nodeId 6 does not match the host's node id 5",
        IllegalArgumentException.class,
        () -> builder().nodeId(6).numShards(2).replicas(5).hostConfig(config(5)).build());
  }

  @Test
  void factorySeesEachShardWithItsSettings() {
    List<ShardContext> seen = new ArrayList<>();
    MultiRaftCoordinator<KvStateMachine> c =
        MultiRaftCoordinator.builder(
                ctx -> {
                  seen.add(ctx);
                  return new KvStateMachine();
                },
                new KvAdapter())
            .numShards(3)
            .replicas(7)
            .hostConfig(config(7))
            .shardCapacityBytes(1 << 20)
            .defaultTtlMs(60_000)
            .groupIdBase(100)
            .build();
    try {
      assertEquals(
          List.of(
              new ShardContext(0, 100, 7, 1 << 20, 60_000),
              new ShardContext(1, 101, 7, 1 << 20, 60_000),
              new ShardContext(2, 102, 7, 1 << 20, 60_000)),
          seen);
      assertEquals(7, c.nodeId());
      assertEquals(3, c.numShards());
      assertEquals(ShardState.INITIALIZING, c.shardState(2));
      assertMessage(
          "shard must be in [0, 3), was 3", IllegalArgumentException.class, () -> c.shardState(3));
    } finally {
      c.close();
    }
  }
}
