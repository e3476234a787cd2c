package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.Replicas.applyOne;
import static io.crema.cache.statemachine.Replicas.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.Entry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheStateMachineTest {
  private static final long NOW = 1_700_000_000_000L;
  private final AtomicLong wall = new AtomicLong(NOW);
  private final CacheCommands cmd = CacheCommands.withDefaultLimits();
  private final CacheStateMachine sm =
      CacheStateMachine.create(CacheStateMachineConfig.builder().wallClockMs(wall::get).build());
  private long index;

  private Object apply(byte[] command) {
    return applyOne(sm, ++index, command);
  }

  @Test
  void putThenGetReturnsCopyWithVersion() {
    assertSame(CacheResult.Status.OK, apply(cmd.put(bytes("a"), bytes("1"), 0, NOW, null)));
    byte[] v = sm.get(bytes("a"));
    assertArrayEquals(bytes("1"), v);
    v[0] = 'x';
    assertArrayEquals(bytes("1"), sm.get(bytes("a")), "reads return private copies");
    assertEquals(1, sm.getVersioned(bytes("a")).version());
    assertEquals(1, sm.appliedIndex());
    assertEquals(NOW, sm.logTimeMs());
  }

  private Key storedKey(byte[] key) {
    Key wanted = Key.copyOf(key, 0, key.length);
    for (Key k : ((DefaultCacheStateMachine) sm).currentState().map.keySet()) {
      if (k.equals(wanted)) {
        return k;
      }
    }
    return null;
  }

  /**
   * An overwrite finds the key with the apply thread's probe: the cache keeps the key object it
   * holds and never stores the probe, whether the command is small (value kept as a view) or much
   * larger than its value (value copied), and a put already expired when applied removes the key.
   */
  @Test
  void anOverwriteKeepsTheStoredKeyAndNeverStoresTheProbe() {
    apply(cmd.put(bytes("a"), bytes("1"), 0, NOW, null));
    Key stored = storedKey(bytes("a"));
    apply(cmd.put(bytes("a"), bytes("2"), 0, NOW, null));
    assertSame(stored, storedKey(bytes("a")), "the cache keeps its own key object");
    assertArrayEquals(bytes("2"), sm.get(bytes("a")));
    assertEquals(2, sm.getVersioned(bytes("a")).version());

    byte[] longKey = new byte[200];
    java.util.Arrays.fill(longKey, (byte) 7);
    apply(cmd.put(longKey, bytes("x"), 0, NOW, null));
    Key storedLong = storedKey(longKey);
    apply(
        cmd.put(
            longKey, bytes("y"), 0, NOW, null)); // value copied out of the 200-byte key's command
    assertSame(storedLong, storedKey(longKey));
    assertArrayEquals(bytes("y"), sm.get(longKey));

    apply(cmd.put(bytes("a"), bytes("3"), 1_000, NOW - 10_000, null)); // its TTL ran out already
    assertNull(sm.get(bytes("a")));
    assertNull(storedKey(bytes("a")));
    apply(cmd.put(bytes("a"), bytes("4"), 0, NOW, null)); // a new key again
    assertArrayEquals(bytes("4"), sm.get(bytes("a")));
    assertEquals(2, Replicas.contents(sm).size()); // and no stored key is the probe
  }

  @Test
  void emptyEntriesAreNoOpsWithNullResult() {
    Object[] results = new Object[2];
    sm.apply(List.of(Entry.normal(1, 1, new byte[0]), Entry.normal(2, 1, cmd.tick(NOW))), results);
    assertNull(results[0]);
    assertSame(CacheResult.Status.OK, results[1]);
    assertEquals(2, sm.appliedIndex());
  }

  @Test
  void conditionalWrites() {
    apply(cmd.put(bytes("a"), bytes("1"), 0, NOW, null));
    assertEquals(
        new CacheResult.Conflict(1), apply(cmd.putIfAbsent(bytes("a"), bytes("2"), 0, NOW, null)));
    assertSame(CacheResult.Status.OK, apply(cmd.putIfAbsent(bytes("b"), bytes("2"), 0, NOW, null)));
    assertEquals(
        new CacheResult.Conflict(1),
        apply(cmd.compareAndSetValue(bytes("a"), bytes("x"), bytes("3"), 0, NOW, null)));
    assertSame(
        CacheResult.Status.OK,
        apply(cmd.compareAndSetValue(bytes("a"), bytes("1"), bytes("3"), 0, NOW, null)));
    assertEquals(
        new CacheResult.Conflict(5),
        apply(cmd.compareAndSetVersion(bytes("a"), 1, bytes("4"), 0, NOW, null)));
    assertSame(
        CacheResult.Status.OK,
        apply(cmd.compareAndSetVersion(bytes("a"), 5, bytes("4"), 0, NOW, null)));
    assertSame(
        CacheResult.Status.OK,
        apply(cmd.compareAndSetVersion(bytes("new"), 0, bytes("n"), 0, NOW, null)));
    assertEquals(
        new CacheResult.Conflict(0),
        apply(cmd.compareAndSetValue(bytes("absent"), bytes(""), bytes("n"), 0, NOW, null)));
    assertArrayEquals(bytes("4"), sm.get(bytes("a")));
    assertSame(CacheResult.Status.OK, apply(cmd.delete(bytes("a"), NOW, null)));
    assertSame(CacheResult.Status.NOT_FOUND, apply(cmd.delete(bytes("a"), NOW, null)));
    assertNull(sm.get(bytes("a")));
  }

  @Test
  void countersAreDecimalAndCheckedAtApply() {
    assertEquals(new CacheResult.Counter(5), apply(cmd.increment(bytes("c"), 5, 0, NOW, null)));
    assertEquals(new CacheResult.Counter(-2), apply(cmd.increment(bytes("c"), -7, 0, NOW, null)));
    assertArrayEquals(bytes("-2"), sm.get(bytes("c")));
    apply(cmd.put(bytes("s"), bytes("hello"), 0, NOW, null));
    assertSame(CacheResult.Status.NOT_A_COUNTER, apply(cmd.increment(bytes("s"), 1, 0, NOW, null)));
    apply(cmd.put(bytes("m"), bytes(Long.toString(Long.MAX_VALUE)), 0, NOW, null));
    assertSame(CacheResult.Status.OVERFLOW, apply(cmd.increment(bytes("m"), 1, 0, NOW, null)));
    apply(cmd.put(bytes("z"), bytes("007"), 0, NOW, null));
    assertSame(CacheResult.Status.NOT_A_COUNTER, apply(cmd.increment(bytes("z"), 1, 0, NOW, null)));
    apply(cmd.put(bytes("min"), bytes(Long.toString(Long.MIN_VALUE)), 0, NOW, null));
    assertEquals(
        new CacheResult.Counter(Long.MIN_VALUE + 1),
        apply(cmd.increment(bytes("min"), 1, 0, NOW, null)));
  }

  @Test
  void precheckRejectsIncrementOfNonCounterBeforeProposing() {
    apply(cmd.put(bytes("s"), bytes("hello"), 0, NOW, null));
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class,
            () -> sm.precheck(cmd.increment(bytes("s"), 1, 0, NOW, null)));
    assertTrue(e.getMessage().contains("5-byte value"), e.getMessage());
    sm.precheck(cmd.increment(bytes("fresh"), 1, 0, NOW, null));
  }

  @Test
  void expiryFollowsLogTimeNotTheLocalClock() {
    apply(cmd.put(bytes("t"), bytes("v"), 100, NOW, null));
    wall.set(NOW - 1_000_000); // local clock far behind: log time still rules apply
    apply(cmd.tick(NOW + 99));
    assertEquals(
        new CacheResult.Conflict(1),
        apply(cmd.putIfAbsent(bytes("t"), bytes("w"), 0, NOW + 99, null)));
    apply(cmd.tick(NOW + 100));
    assertNull(sm.get(bytes("t")), "expired at log time even though the local clock is behind");
    assertSame(
        CacheResult.Status.OK, apply(cmd.putIfAbsent(bytes("t"), bytes("w"), 0, NOW + 100, null)));
  }

  @Test
  void localReadsHideEntriesExpiredByTheLocalClock() {
    apply(cmd.put(bytes("t"), bytes("v"), 100, NOW, null));
    assertArrayEquals(bytes("v"), sm.get(bytes("t")));
    wall.set(NOW + 100);
    assertNull(sm.get(bytes("t")));
    assertNull(sm.getVersioned(bytes("t")));
    // ... but the replicated state still has it until log time passes
    assertEquals(
        new CacheResult.Conflict(1),
        apply(cmd.putIfAbsent(bytes("t"), bytes("w"), 0, NOW + 1, null)));
    CacheStats stats = sm.stats();
    assertEquals(1, stats.hitCount());
    assertEquals(2, stats.missCount());
  }

  @Test
  void logTimeNeverGoesBackwards() {
    apply(cmd.tick(NOW + 1000));
    apply(cmd.put(bytes("t"), bytes("v"), 500, NOW, null)); // stamped by a slower new leader
    assertEquals(NOW + 1000, sm.logTimeMs());
    assertNull(sm.get(bytes("t")), "expire-at NOW+500 is already past log time NOW+1000");
  }

  @Test
  void incrementKeepsExistingExpiry() {
    apply(cmd.increment(bytes("c"), 1, 100, NOW, null));
    apply(cmd.increment(bytes("c"), 1, 0, NOW + 50, null));
    assertEquals(NOW + 100, sm.getVersioned(bytes("c")).expireAtMs());
  }

  @Test
  void retriedRequestsApplyOnce() {
    byte[] incr = cmd.increment(bytes("c"), 10, 0, NOW, new RequestId(9, 1, 0));
    assertEquals(new CacheResult.Counter(10), apply(incr));
    assertEquals(new CacheResult.Counter(10), apply(incr), "retry gets the original result");
    assertArrayEquals(bytes("10"), sm.get(bytes("c")));
    assertEquals(
        new CacheResult.Counter(11),
        apply(cmd.increment(bytes("c"), 1, 0, NOW, new RequestId(9, 2, 1))));
    assertSame(CacheResult.Status.STALE_REQUEST, apply(incr), "acknowledged request is stale");
    assertArrayEquals(bytes("11"), sm.get(bytes("c")));
  }

  @Test
  void dedupWindowIsBounded() {
    CacheStateMachine small =
        CacheStateMachine.create(CacheStateMachineConfig.builder().dedup(2, 2).build());
    byte[] first = cmd.increment(bytes("c"), 1, 0, NOW, new RequestId(1, 1, 0));
    applyOne(small, 1, first);
    applyOne(small, 2, cmd.increment(bytes("c"), 1, 0, NOW, new RequestId(1, 2, 0)));
    applyOne(small, 3, cmd.increment(bytes("c"), 1, 0, NOW, new RequestId(1, 3, 0)));
    assertSame(
        CacheResult.Status.STALE_REQUEST, applyOne(small, 4, first), "window of 2 forgot seq 1");
    applyOne(small, 5, cmd.increment(bytes("d"), 1, 0, NOW, new RequestId(2, 1, 0)));
    applyOne(small, 6, cmd.increment(bytes("d"), 1, 0, NOW, new RequestId(3, 1, 0)));
    assertEquals(2, Replicas.sessions(small).size(), "least recently used client dropped");
    assertArrayEquals(bytes("3"), small.get(bytes("c")));
  }

  @Test
  void invalidCommittedEntryStopsTheGroup() {
    byte[] bad = cmd.put(bytes("k"), bytes("v"), 0, NOW, null);
    bad[0] = 2;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> apply(bad));
    assertTrue(e.getMessage().contains("committed entry 1"), e.getMessage());
  }

  @Test
  void configBuilderFailsFast() {
    assertThrows(
        IllegalStateException.class,
        () -> CacheStateMachineConfig.builder().maximumEntries(1).maximumEntries(2));
    assertThrows(
        IllegalArgumentException.class, () -> CacheStateMachineConfig.builder().maximumEntries(0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CacheStateMachineConfig.builder()
                .maximumWeightBytes(1000)
                .safetyCapWeightBytes(999)
                .build());
  }
}
