package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.Replicas.applyOne;
import static io.crema.cache.statemachine.Replicas.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvictionTest {
  private static final long NOW = 1_700_000_000_000L;
  private final CacheCommands cmd = CacheCommands.withDefaultLimits();

  private static CacheStateMachine machine(long maxEntries, long maxWeight, EvictionProposer p) {
    CacheStateMachineConfig.Builder b =
        CacheStateMachineConfig.builder()
            .maximumEntries(maxEntries)
            .maximumWeightBytes(maxWeight)
            .evictionBatch(16);
    if (p != null) {
      b.evictionProposer(p);
    }
    return CacheStateMachine.create(b.build());
  }

  @Test
  void leaderProposesEvictionsThatEveryReplicaApplies() {
    List<byte[]> proposed = new ArrayList<>();
    CacheStateMachine leader = machine(100, 1 << 20, proposed::add);
    CacheStateMachine follower = machine(100, 1 << 20, null);
    leader.onRoleChange(true, 1);
    long index = 0;
    for (int i = 0; i < 1000; i++) {
      List<byte[]> batch = new ArrayList<>(proposed);
      proposed.clear();
      batch.add(cmd.put(bytes("k" + i), bytes("v" + i), 0, NOW + i, null));
      if (i % 3 == 0) {
        leader.get(bytes("k0")); // the leader's reads keep k0 hot
      }
      Replicas.apply(leader, index + 1, batch);
      Replicas.apply(follower, index + 1, batch);
      index += batch.size();
    }
    assertTrue(leader.stats().evictionCount() >= 850, "evicted " + leader.stats().evictionCount());
    assertEquals(leader.stats().evictionCount(), follower.stats().evictionCount());
    assertEquals(Replicas.contents(leader), Replicas.contents(follower));
    assertTrue(Replicas.contents(leader).size() <= 100 + 16 * 4, "bounded by capacity + pending");
    assertNotNull(leader.get(bytes("k0")), "frequently read key survives (W-TinyLFU)");
    assertEquals(0, follower.stats().safetyEvictionCount());
  }

  @Test
  void followersNeverEvictOnTheirOwnBelowTheSafetyCap() {
    CacheStateMachine follower = machine(10, 1 << 20, e -> {});
    for (int i = 1; i <= 200; i++) {
      applyOne(follower, i, cmd.put(bytes("k" + i), bytes("v"), 0, NOW, null));
    }
    assertEquals(200, Replicas.contents(follower).size());
    assertEquals(0, follower.stats().evictionCount());
  }

  @Test
  void evictOfARewrittenKeyIsANoOp() {
    CacheStateMachine sm = machine(10, 1 << 20, null);
    applyOne(sm, 1, cmd.put(bytes("a"), bytes("1"), 0, NOW, null));
    applyOne(sm, 2, cmd.put(bytes("a"), bytes("2"), 0, NOW, null));
    applyOne(sm, 3, CacheCommands.evict(NOW, List.of(new Key(bytes("a"))), new long[] {1}));
    assertNotNull(sm.get(bytes("a")), "EVICT named version 1, the key is at version 2");
    applyOne(sm, 4, CacheCommands.evict(NOW, List.of(new Key(bytes("a"))), new long[] {2}));
    assertNull(sm.get(bytes("a")));
    assertEquals(1, sm.stats().evictionCount());
  }

  @Test
  void weightBoundTriggersEvictionToo() {
    List<byte[]> proposed = new ArrayList<>();
    CacheStateMachine leader = machine(1_000_000, 50 * 1024, proposed::add);
    leader.onRoleChange(true, 1);
    long index = 0;
    for (int i = 0; i < 200; i++) {
      List<byte[]> batch = new ArrayList<>(proposed);
      proposed.clear();
      batch.add(cmd.put(bytes("k" + i), new byte[1024], 0, NOW, null));
      Replicas.apply(leader, index + 1, batch);
      index += batch.size();
    }
    long weight = leader.stats().weightedSize();
    assertTrue(weight <= 50 * 1024 + 16 * 4 * 1200, "weight " + weight);
    assertTrue(leader.stats().evictionCount() > 100);
  }

  @Test
  void weightsCountEightByteUnitsAndStatsReportBytes() {
    Key k = new Key(new byte[16]);
    StoredValue v = new StoredValue(new byte[16], 1, 0);
    int units = StoredValue.weigh(k, v);
    assertEquals((16 + 16 + StoredValue.ENTRY_OVERHEAD_BYTES + 7) / 8, units);
    assertTrue(units < 128, "a small entry's weight is one of the shared Integer boxes");
    CacheStateMachine sm =
        CacheStateMachine.create(
            CacheStateMachineConfig.builder().maximumWeightBytes(1 << 20).build());
    applyOne(sm, 1, cmd.put(new byte[16], new byte[16], 0, NOW, null));
    applyOne(sm, 2, cmd.put(new byte[] {1}, new byte[3], 0, NOW, null));
    long expected = 8L * units + 8L * ((1 + 3 + StoredValue.ENTRY_OVERHEAD_BYTES + 7) / 8);
    assertEquals(expected, sm.stats().weightedSize(), "bytes, rounded up to whole units");
  }

  @Test
  void hardSafetyCapEvictsLocallyAndIsCounted() {
    CacheStateMachine sm =
        CacheStateMachine.create(
            CacheStateMachineConfig.builder()
                .maximumWeightBytes(10_000)
                .safetyCapWeightBytes(20_000)
                .build());
    for (int i = 1; i <= 500; i++) {
      applyOne(sm, i, cmd.put(bytes("k" + i), new byte[100], 0, NOW, null));
    }
    CacheStats stats = sm.stats();
    assertTrue(stats.safetyEvictionCount() > 0, stats.toString());
    assertTrue(stats.weightedSize() <= 20_000, stats.toString());
  }

  @Test
  void roleChangeForgetsPendingEvictions() {
    List<byte[]> proposed = new ArrayList<>();
    DefaultCacheStateMachine leader = (DefaultCacheStateMachine) machine(5, 1 << 20, proposed::add);
    leader.onRoleChange(true, 1);
    for (int i = 1; i <= 20; i++) {
      applyOne(leader, i, cmd.put(bytes("k" + i), bytes("v"), 0, NOW, null));
    }
    assertTrue(leader.pendingEvictions() > 0);
    assertTrue(!proposed.isEmpty());
    leader.onRoleChange(false, 2);
    assertEquals(0, leader.pendingEvictions());
  }
}
