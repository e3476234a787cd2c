package io.crema.raft.testkit.linearizability;

import static io.crema.raft.testkit.linearizability.Ops.cas;
import static io.crema.raft.testkit.linearizability.Ops.casUnknown;
import static io.crema.raft.testkit.linearizability.Ops.del;
import static io.crema.raft.testkit.linearizability.Ops.r;
import static io.crema.raft.testkit.linearizability.Ops.w;
import static io.crema.raft.testkit.linearizability.Ops.wUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Small histories whose verdict is known by hand. Every case is also checked against the brute
 * force oracle, so a wrong expectation here is caught too.
 */
class HandWrittenHistoriesTest {
  private static final LinearizabilityChecker CHECKER = LinearizabilityChecker.create();

  static Result assertLinearizable(Operation... ops) {
    List<Operation> history = List.of(ops);
    assertTrue(BruteForceOracle.isLinearizable(history), "oracle disagrees with the test");
    Result result = CHECKER.check(history);
    assertEquals(Result.Verdict.LINEARIZABLE, result.verdict(), result::describe);
    assertTrue(result.isLinearizable());
    assertTrue(result.violation().isEmpty());
    return result;
  }

  static Violation assertNotLinearizable(Operation... ops) {
    List<Operation> history = List.of(ops);
    assertFalse(BruteForceOracle.isLinearizable(history), "oracle disagrees with the test");
    Result result = CHECKER.check(history);
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), result::describe);
    assertFalse(result.isLinearizable());
    Violation v = result.violation().orElseThrow();
    assertFalse(
        BruteForceOracle.isLinearizable(v.failingSubHistory()),
        () -> "failing sub-history is linearizable: " + v.describe());
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, CHECKER.check(v.failingSubHistory()).verdict());
    return v;
  }

  @Nested
  class Accepted {
    @Test
    void emptyHistory() {
      Result result = assertLinearizable();
      assertEquals(0, result.operations());
    }

    @Test
    void sequentialReadWriteCasDelete() {
      assertLinearizable(
          r(1, null, 0, 1),
          w(1, "a", 2, 3),
          r(2, "a", 4, 5),
          cas(1, "a", "b", true, 6, 7),
          cas(2, "a", "c", false, 8, 9),
          r(2, "b", 10, 11),
          del(1, 12, 13),
          r(2, null, 14, 15),
          cas(1, null, "d", true, 16, 17),
          r(1, "d", 18, 19));
    }

    @Test
    void overlappingWritesReadInEitherOrder() {
      assertLinearizable(w(1, "a", 0, 10), w(2, "b", 0, 10), r(3, "a", 11, 12));
      assertLinearizable(w(1, "a", 0, 10), w(2, "b", 0, 10), r(3, "b", 11, 12));
    }

    @Test
    void readsDuringConcurrentWritesSeeBothOrders() {
      // Reader 3 sees a then b, while both writes are still outstanding.
      assertLinearizable(
          w(1, "a", 0, 100), w(2, "b", 0, 100), r(3, "a", 1, 2), r(3, "b", 3, 4), r(4, "b", 5, 6));
    }

    @Test
    void readConcurrentWithWriteMaySeeOldOrNewValue() {
      assertLinearizable(w(1, "a", 0, 1), w(1, "b", 2, 10), r(2, "a", 3, 4), r(3, "b", 5, 6));
    }

    @Test
    void touchingIntervalsAreConcurrent() {
      // The read starts at the instant the write ends: it may be ordered before it.
      assertLinearizable(w(1, "a", 0, 5), r(2, null, 5, 6));
    }

    @Test
    void casRaceWithOneWinner() {
      assertLinearizable(
          cas(1, null, "x", true, 0, 10), cas(2, null, "y", false, 0, 10), r(3, "x", 11, 12));
      assertLinearizable(
          cas(1, null, "x", false, 0, 10), cas(2, null, "y", true, 0, 10), r(3, "y", 11, 12));
    }

    @Test
    void casSucceedsTwiceWhenTheValueIsWrittenAgain() {
      assertLinearizable(
          w(1, "a", 0, 1),
          cas(2, "a", "b", true, 2, 20),
          w(1, "a", 3, 4),
          cas(3, "a", "c", true, 5, 20),
          r(1, "c", 21, 22));
    }

    @Test
    void keysAreIndependentRegisters() {
      assertLinearizable(
          Operation.write(1, "x", "1", 0, 1),
          Operation.read(2, "y", null, 2, 3),
          Operation.write(2, "y", "2", 4, 5),
          Operation.read(1, "x", "1", 6, 7),
          Operation.read(1, "y", "2", 8, 9));
    }
  }

  @Nested
  class Rejected {
    @Test
    void staleReadAfterCompletedWrite() {
      Violation v = assertNotLinearizable(w(1, "a", 0, 1), r(2, null, 2, 3));
      assertEquals("k", v.key());
      assertEquals(Set.of(w(1, "a", 0, 1), r(2, null, 2, 3)), Set.copyOf(v.failingSubHistory()));
      assertTrue(v.isSubHistoryMinimal());
      assertEquals(r(2, null, 2, 3), v.firstUnlinearizable());
    }

    @Test
    void staleReadOfAnOverwrittenValue() {
      Violation v =
          assertNotLinearizable(
              w(1, "a", 0, 1), r(3, "a", 2, 3), w(2, "b", 4, 5), r(3, "b", 6, 7), r(3, "a", 8, 9));
      assertEquals(
          List.of(w(1, "a", 0, 1), r(3, "a", 2, 3), w(2, "b", 4, 5), r(3, "b", 6, 7)),
          v.longestLinearizedPrefix());
      assertEquals("b", v.valueAfterPrefix());
      assertEquals(r(3, "a", 8, 9), v.firstUnlinearizable());
      assertTrue(v.failingSubHistory().contains(r(3, "a", 8, 9)), v::describe);
      // e.g. the three reads with both writes weakened: a, then b, then a again, each written once.
      long completed = v.failingSubHistory().stream().filter(op -> !op.isUnknown()).count();
      assertTrue(completed <= 3, v::describe);
    }

    @Test
    void twoReadersSeeConcurrentWritesInOppositeOrders() {
      assertNotLinearizable(
          w(1, "a", 0, 100),
          w(2, "b", 0, 100),
          r(3, "a", 1, 2),
          r(3, "b", 3, 4),
          r(4, "b", 1, 2),
          r(4, "a", 3, 4));
    }

    @Test
    void casSucceedsTwiceOnTheSameExpectedValue() {
      Violation v =
          assertNotLinearizable(
              w(1, "a", 0, 1), cas(2, "a", "b", true, 2, 10), cas(3, "a", "c", true, 2, 10));
      assertEquals(3, v.failingSubHistory().size(), v::describe);
    }

    @Test
    void readOfAValueNeverWritten() {
      Violation v = assertNotLinearizable(w(1, "a", 0, 1), r(2, "z", 2, 3), w(1, "b", 4, 5));
      assertEquals(List.of(r(2, "z", 2, 3)), v.failingSubHistory());
      assertTrue(v.reason().contains("no operation on the key installs"), v::reason);
      assertEquals(r(2, "z", 2, 3), v.firstUnlinearizable());
    }

    @Test
    void lostAcknowledgedWrite() {
      // b was acknowledged, yet a later CAS still finds a.
      assertNotLinearizable(w(1, "a", 0, 1), w(2, "b", 2, 3), cas(3, "a", "c", true, 4, 5));
    }

    @Test
    void readSeesDeletedValue() {
      assertNotLinearizable(w(1, "a", 0, 1), del(2, 2, 3), r(1, "a", 4, 5));
    }

    @Test
    void failedCasWhenTheExpectedValueWasCertainlyThere() {
      assertNotLinearizable(w(1, "a", 0, 1), cas(2, "a", "b", false, 2, 3));
    }

    @Test
    void violationOnOneKeyAmongManyNamesTheKey() {
      Result result =
          CHECKER.check(
              List.of(
                  Operation.write(1, "a", "1", 0, 1),
                  Operation.read(2, "a", "1", 2, 3),
                  Operation.write(1, "b", "1", 0, 1),
                  Operation.read(2, "b", null, 2, 3),
                  Operation.read(2, "c", null, 2, 3)));
      assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict());
      Violation v = result.violation().orElseThrow();
      assertEquals("b", v.key());
      assertEquals(2, v.keyOperations().size());
      assertTrue(result.describe().contains("key \"b\" is not linearizable"), result::describe);
      assertTrue(result.describe().contains("c2 read(b) = <absent> [2, 3]"), result::describe);
    }
  }

  @Nested
  class UnknownOutcomes {
    @Test
    void unknownWriteMayHaveTakenEffect() {
      assertLinearizable(wUnknown(1, "a", 0), r(2, "a", 5, 6), r(2, "a", 7, 8));
    }

    @Test
    void unknownWriteMayNeverTakeEffect() {
      assertLinearizable(wUnknown(1, "a", 0), r(2, null, 5, 6), r(2, null, 100, 101));
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterTheClientGaveUp() {
      assertLinearizable(wUnknown(1, "a", 0), r(2, null, 100, 101), r(2, "a", 200, 201));
    }

    @Test
    void unknownWriteSeenThenUnseenWithoutOtherWritesIsRejected() {
      Violation v = assertNotLinearizable(wUnknown(1, "a", 0), r(2, "a", 5, 6), r(2, null, 7, 8));
      assertTrue(v.isSubHistoryMinimal());
      assertEquals(3, v.failingSubHistory().size(), v::describe);
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsInvocation() {
      assertNotLinearizable(r(2, "a", 0, 1), wUnknown(1, "a", 5));
    }

    @Test
    void unknownWriteIsOverwrittenByLaterAcknowledgedWrite() {
      assertLinearizable(wUnknown(1, "a", 0), w(2, "b", 1, 2), r(3, "b", 3, 4));
      assertLinearizable(wUnknown(1, "a", 0), w(2, "b", 1, 2), r(3, "a", 3, 4));
      assertNotLinearizable(
          wUnknown(1, "a", 0), w(2, "b", 1, 2), r(3, "a", 3, 4), r(3, "b", 5, 6), r(3, "a", 7, 8));
    }

    @Test
    void unknownCasTakesEffectOnlyIfItCan() {
      assertLinearizable(w(1, "a", 0, 1), casUnknown(2, "a", "b", 2), r(3, "b", 5, 6));
      assertLinearizable(w(1, "a", 0, 1), casUnknown(2, "a", "b", 2), r(3, "a", 5, 6));
      assertNotLinearizable(
          w(1, "a", 0, 1), casUnknown(2, "a", "b", 2), r(3, "b", 5, 6), r(3, "a", 7, 8));
      // The CAS expects x, which is never there: it cannot have installed b.
      assertNotLinearizable(w(1, "a", 0, 1), casUnknown(2, "x", "b", 2), r(3, "b", 5, 6));
    }

    @Test
    void unknownReadIsIgnored() {
      assertLinearizable(
          w(1, "a", 0, 1), Operation.unknown(2, Command.read(Ops.K), 2), r(3, "a", 5, 6));
    }

    @Test
    void unobservedUnknownWriteCanExplainAFailedCas() {
      // Only the unknown write of x (never read) explains why the CAS found something else than
      // a: such writes must not be dropped when the key has a failed CAS.
      assertLinearizable(w(1, "a", 0, 1), wUnknown(2, "x", 2), cas(3, "a", "b", false, 5, 6));
      assertNotLinearizable(w(1, "a", 0, 1), cas(3, "a", "b", false, 5, 6));
    }
  }
}
