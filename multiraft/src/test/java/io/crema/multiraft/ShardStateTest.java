package io.crema.multiraft;

import static io.crema.multiraft.ShardState.ACTIVE;
import static io.crema.multiraft.ShardState.INITIALIZING;
import static io.crema.multiraft.ShardState.REMOVING;
import static io.crema.multiraft.ShardState.STOPPED;
import static io.crema.multiraft.ShardState.TRANSFERRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardStateTest {
  @Test
  void onlyTheDocumentedEdgesExist() {
    assertEdges(INITIALIZING, EnumSet.of(ACTIVE, REMOVING, STOPPED));
    assertEdges(ACTIVE, EnumSet.of(TRANSFERRING, REMOVING, STOPPED));
    assertEdges(TRANSFERRING, EnumSet.of(ACTIVE, REMOVING, STOPPED));
    assertEdges(REMOVING, EnumSet.of(STOPPED));
    assertEdges(STOPPED, EnumSet.noneOf(ShardState.class));
  }

  private static void assertEdges(ShardState from, Set<ShardState> to) {
    for (ShardState next : ShardState.values()) {
      assertEquals(to.contains(next), from.canMoveTo(next), from + " -> " + next);
    }
  }

  @Test
  void registryShardFollowsTheEdges() {
    ShardRegistry.Shard<io.crema.raft.testkit.host.KvStateMachine> s =
        new ShardRegistry.Shard<>(0, 0, new io.crema.raft.testkit.host.KvStateMachine());
    assertEquals(INITIALIZING, s.state());
    assertFalse(s.compareAndMove(ACTIVE, TRANSFERRING), "not ACTIVE yet");
    assertTrue(s.moveTo(ACTIVE));
    assertTrue(s.compareAndMove(ACTIVE, TRANSFERRING));
    assertTrue(s.moveTo(REMOVING));
    assertFalse(s.moveTo(ACTIVE), "a removing shard does not come back");
    assertTrue(s.moveTo(STOPPED));
    assertFalse(s.moveTo(INITIALIZING));
    assertTrue(ACTIVE.serving() && TRANSFERRING.serving() && INITIALIZING.serving());
    assertFalse(REMOVING.serving() || STOPPED.serving());
  }
}
