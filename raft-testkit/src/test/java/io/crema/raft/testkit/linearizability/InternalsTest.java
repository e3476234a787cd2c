package io.crema.raft.testkit.linearizability;

import static io.crema.raft.testkit.linearizability.Ops.K;
import static io.crema.raft.testkit.linearizability.Ops.cas;
import static io.crema.raft.testkit.linearizability.Ops.casUnknown;
import static io.crema.raft.testkit.linearizability.Ops.r;
import static io.crema.raft.testkit.linearizability.Ops.w;
import static io.crema.raft.testkit.linearizability.Ops.wUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The package-private pieces: encoding, pruning of irrelevant operations, the memo table. */
class InternalsTest {

  @Test
  void unknownReadsAndUnobservedUnknownMutationsAreDropped() {
    Operation observedWrite = wUnknown(1, "seen", 0);
    KeyHistory kh =
        KeyHistory.of(
            K,
            List.of(
                Operation.unknown(1, Command.read(K), 0),
                wUnknown(2, "never-read", 0),
                observedWrite,
                r(3, "seen", 1, 2)));
    assertEquals(List.of(r(3, "seen", 1, 2), observedWrite), kh.ops);
    assertEquals(1, kh.okCount);
  }

  @Test
  void unknownCasCyclesNobodyElseObservesAreDropped() {
    // Each CAS expects what the other installs, but nothing outside the pair observes either.
    List<Operation> ops =
        List.of(casUnknown(1, null, "x", 0), casUnknown(2, "x", null, 0), w(3, "a", 1, 2));
    assertEquals(List.of(w(3, "a", 1, 2)), KeyHistory.of(K, ops).ops);
    // A read of absent observes what the second installs, and then the first too.
    List<Operation> observed =
        List.of(casUnknown(1, null, "x", 0), casUnknown(2, "x", null, 0), r(3, null, 1, 2));
    assertEquals(3, KeyHistory.of(K, observed).size());
  }

  @Test
  void unknownMutationsInvokedBeforeAFailedCasReturnedAreKept() {
    Operation before = wUnknown(1, "x", 0);
    Operation after = wUnknown(1, "y", 10);
    KeyHistory kh =
        KeyHistory.of(K, List.of(w(2, "a", 0, 1), before, cas(3, "a", "b", false, 2, 5), after));
    assertEquals(List.of(w(2, "a", 0, 1), cas(3, "a", "b", false, 2, 5), before), kh.ops);
  }

  @Test
  void unobservedValuesMergeIntoOne() {
    KeyHistory kh =
        KeyHistory.of(
            K, List.of(w(1, "x", 0, 1), w(1, "y", 2, 3), w(1, "z", 4, 5), r(2, "z", 6, 7)));
    assertEquals(kh.arg[0], kh.arg[1], "x and y are never observed");
    assertNotEquals(kh.arg[1], kh.arg[2]);
    assertEquals("y", kh.valueAfter(new int[] {0, 1}), "reports keep the real value");
  }

  @Test
  void unknownOperationsWithTheSameEffectAreChainedAsTwinsOfOneClass() {
    KeyHistory kh =
        KeyHistory.of(
            K,
            List.of(
                r(9, "v", 100, 101),
                wUnknown(1, "v", 0),
                wUnknown(2, "v", 5),
                wUnknown(3, "w", 6),
                r(9, "w", 100, 101),
                wUnknown(4, "v", 7)));
    // ids: the two reads, then the UNKNOWN writes by invocation: v@0, v@5, w@6, v@7.
    assertEquals(-1, kh.previousTwin[2]);
    assertEquals(2, kh.previousTwin[3]);
    assertEquals(-1, kh.previousTwin[4]);
    assertEquals(3, kh.previousTwin[5]);
    assertEquals(
        List.of(0, 0, 1, 0),
        List.of(kh.twinClass[2], kh.twinClass[3], kh.twinClass[4], kh.twinClass[5]));
    assertEquals(2, kh.twinClasses);
  }

  @Test
  void impossibleObservationsAreFoundWithoutSearch() {
    assertEquals(
        -1, KeyHistory.of(K, List.of(w(1, "a", 0, 1), r(2, "a", 2, 3))).impossibleObservation());
    KeyHistory kh = KeyHistory.of(K, List.of(w(1, "a", 0, 1), cas(2, "b", "c", true, 2, 3)));
    assertEquals(1, kh.impossibleObservation());
  }

  @Test
  void memoTableCoversConfigurationsWithMoreUnknownOperationsInEveryTwinClass() {
    StateCache cache = new StateCache();
    int[] key = {7, 3};
    int[] none = {};
    // (twin class, linearized count) pairs, sorted by class.
    assertEquals(StateCache.ADDED, cache.add(key, 2, new int[] {4, 1, 9, 2}, 4));
    assertEquals(StateCache.COVERED, cache.add(key, 2, new int[] {4, 1, 5, 1, 9, 3}, 6));
    assertEquals(StateCache.ADDED, cache.add(key, 2, new int[] {4, 1, 9, 1}, 4), "fewer in 9");
    assertEquals(StateCache.COVERED, cache.add(key, 2, new int[] {4, 1, 9, 2}, 4), "now covered");
    assertEquals(StateCache.ADDED, cache.add(key, 2, new int[] {5, 1}, 2));
    assertEquals(StateCache.ADDED, cache.add(key, 2, none, 0));
    assertEquals(StateCache.COVERED, cache.add(key, 2, new int[] {5, 1}, 2));
    assertEquals(StateCache.ADDED, cache.add(new int[] {7, 4}, 2, none, 0));
    assertEquals(2, cache.keys());
  }

  @Test
  void memoTableGrows() {
    StateCache cache = new StateCache();
    int[] key = new int[3];
    for (int i = 0; i < 100_000; i++) {
      key[0] = i;
      key[2] = i * 31;
      assertEquals(StateCache.ADDED, cache.add(key, 3, new int[0], 0));
    }
    for (int i = 0; i < 100_000; i += 997) {
      key[0] = i;
      key[2] = i * 31;
      assertEquals(StateCache.COVERED, cache.add(key, 3, new int[0], 0));
    }
    assertEquals(100_000, cache.keys());
  }
}
