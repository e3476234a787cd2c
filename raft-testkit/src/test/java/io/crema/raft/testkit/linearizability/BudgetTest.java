package io.crema.raft.testkit.linearizability;

import static io.crema.raft.testkit.linearizability.Ops.r;
import static io.crema.raft.testkit.linearizability.Ops.w;
import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The budget: running out gives UNKNOWN, never a false verdict. */
class BudgetTest {
  /** Enough steps to linearize the histories below to their end, not to refute them. */
  private static final long STARVED = 100_000;

  /** A linearizable history of 1,600 completed ops on {@code key}: many search steps. */
  private static List<Operation> bigHistory(String key, long seed) {
    return RandomHistories.linearizable(
        new SplittableRandom(seed),
        new RandomHistories.Config()
            .keys(key)
            .clients(8)
            .opsPerClient(200)
            .alphabet(3)
            .unknownRate(0));
  }

  /** {@link #bigHistory} with a read, late in the history, of a value nobody wrote after it. */
  private static List<Operation> bigViolation(String key) {
    List<Operation> ops = new ArrayList<>(bigHistory(key, 7));
    long lastResponse = 0;
    for (Operation op : ops) {
      lastResponse = Math.max(lastResponse, op.isUnknown() ? op.invokeTime() : op.responseTime());
    }
    // Everything completed; then the value is read as "v0" and, right after, as "v1" and "v0".
    ops.add(Operation.write(99, key, "v0", lastResponse + 1, lastResponse + 2));
    ops.add(Operation.read(99, key, "v1", lastResponse + 3, lastResponse + 4));
    return ops;
  }

  @Test
  void exhaustedStepBudgetIsUnknownNotLinearizable() {
    List<Operation> ops = bigHistory("k", 1);
    assertTrue(LinearizabilityChecker.create().check(ops).isLinearizable());

    Result result = LinearizabilityChecker.builder().maxStepsPerKey(100).build().check(ops);
    assertEquals(Result.Verdict.UNKNOWN, result.verdict(), result::describe);
    assertFalse(result.isLinearizable());
    assertTrue(result.budgetExhausted());
    assertEquals(List.of("k"), result.undecidedKeys());
    assertTrue(result.violation().isEmpty());
    assertEquals(100, result.steps());
    assertTrue(result.describe().contains("not proven linearizable"), result::describe);
  }

  @Test
  void exhaustedStepBudgetIsUnknownNotAViolationEither() {
    List<Operation> ops = bigViolation("k");
    assertEquals(
        Result.Verdict.NOT_LINEARIZABLE, LinearizabilityChecker.create().check(ops).verdict());
    Result result = LinearizabilityChecker.builder().maxStepsPerKey(100).build().check(ops);
    assertEquals(Result.Verdict.UNKNOWN, result.verdict(), result::describe);
    assertTrue(result.violation().isEmpty());
  }

  @Test
  void violationNearWhereTheSearchRanOutIsStillProven() {
    List<Operation> ops =
        new ArrayList<>(
            RandomHistories.linearizable(
                new SplittableRandom(5),
                new RandomHistories.Config().clients(6).opsPerClient(300).alphabet(0)));
    Operation firstWrite =
        ops.stream()
            .filter(op -> op.kind() == Command.Kind.WRITE && !op.isUnknown())
            .min(java.util.Comparator.comparingLong(Operation::invokeTime))
            .orElseThrow();
    long end = 1_000_000;
    Operation write = Operation.write(99, "k", "x", end, end + 1);
    Operation staleRead =
        Operation.read(99, "k", firstWrite.command().newValue(), end + 2, end + 3);
    ops.add(write);
    ops.add(staleRead);
    LinearizabilityChecker starved =
        LinearizabilityChecker.builder().maxStepsPerKey(STARVED).build();

    Result result = starved.check(ops);
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), result::describe);
    Violation v = result.violation().orElseThrow();
    assertTrue(v.reason().contains("ran out of budget"), v::reason);
    assertEquals(staleRead, v.firstUnlinearizable());
    assertTrue(v.failingSubHistory().contains(staleRead), v::describe);
    assertEquals(
        Result.Verdict.NOT_LINEARIZABLE,
        LinearizabilityChecker.create().check(v.failingSubHistory()).verdict());

    assertEquals(
        Result.Verdict.UNKNOWN,
        LinearizabilityChecker.builder()
            .maxStepsPerKey(STARVED)
            .maxShrinkSteps(0)
            .build()
            .check(ops)
            .verdict(),
        "without the local refutation the budget is not enough");
    ops.remove(staleRead);
    assertTrue(starved.check(ops).isLinearizable());
  }

  @Test
  void violationOnAnotherKeyIsDefiniteDespiteAnUndecidedKey() {
    List<Operation> ops = new ArrayList<>(bigHistory("a", 3));
    ops.add(Operation.write(1, "b", "x", 0, 1));
    ops.add(Operation.read(2, "b", null, 2, 3));
    Result result = LinearizabilityChecker.builder().maxStepsPerKey(100).build().check(ops);
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), result::describe);
    assertEquals("b", result.violation().orElseThrow().key());
    assertEquals(List.of("a"), result.undecidedKeys());
    assertEquals(2, result.keysChecked());
  }

  @Test
  void timeoutIsUnknown() {
    List<Operation> ops = bigHistory("k", 4);
    Result result =
        LinearizabilityChecker.builder().timeout(Duration.ofNanos(1)).build().check(ops);
    assertEquals(Result.Verdict.UNKNOWN, result.verdict(), result::describe);
    assertTrue(result.describe().contains("timeout=PT0.000000001S"), result::describe);
  }

  @Test
  void shrinkBudgetRunningOutStillGivesAFailingSubHistory() {
    // Unique values; after everything completed, x is written and the first value written read.
    List<Operation> ops =
        new ArrayList<>(
            RandomHistories.linearizable(
                new SplittableRandom(11),
                new RandomHistories.Config()
                    .clients(4)
                    .opsPerClient(200)
                    .alphabet(0)
                    .unknownRate(0.02)));
    Operation firstWrite =
        ops.stream()
            .filter(op -> op.kind() == Command.Kind.WRITE && !op.isUnknown())
            .min(java.util.Comparator.comparingLong(Operation::invokeTime))
            .orElseThrow();
    long end = 100_000;
    Operation write = Operation.write(99, "k", "x", end, end + 1);
    Operation staleRead =
        Operation.read(99, "k", firstWrite.command().newValue(), end + 2, end + 3);
    ops.add(write);
    ops.add(staleRead);

    Violation cut =
        LinearizabilityChecker.builder().maxShrinkSteps(1).build().check(ops).violation().get();
    assertFalse(cut.isSubHistoryMinimal());
    assertTrue(cut.failingSubHistory().size() > 3);
    assertEquals(
        Result.Verdict.NOT_LINEARIZABLE,
        LinearizabilityChecker.create().check(cut.failingSubHistory()).verdict());

    Violation full = LinearizabilityChecker.create().check(ops).violation().orElseThrow();
    assertTrue(full.isSubHistoryMinimal(), full::describe);
    List<Operation> completed =
        full.failingSubHistory().stream().filter(op -> !op.isUnknown()).collect(toList());
    // e.g. the first write, x written, the stale read; or an early read of the first value with
    // its write weakened, a later delete, the stale read.
    assertEquals(3, completed.size(), full::describe);
    assertTrue(completed.contains(staleRead), full::describe);
    assertEquals(
        Result.Verdict.NOT_LINEARIZABLE,
        LinearizabilityChecker.create().check(full.failingSubHistory()).verdict());
  }

  @Test
  void noShrinkingKeepsTheWholeKeyHistory() {
    Violation v =
        LinearizabilityChecker.builder()
            .maxShrinkSteps(0)
            .build()
            .check(List.of(w(1, "a", 0, 1), r(2, "a", 2, 3), r(3, null, 4, 5)))
            .violation()
            .orElseThrow();
    assertEquals(
        List.of(w(1, "a", 0, 1), r(2, "a", 2, 3), r(3, null, 4, 5)), v.failingSubHistory());
    assertFalse(v.isSubHistoryMinimal());
  }

  @Test
  void builderRejectsBadAndRepeatedSettings() {
    assertThrows(
        IllegalArgumentException.class, () -> LinearizabilityChecker.builder().maxStepsPerKey(0));
    assertThrows(
        IllegalArgumentException.class, () -> LinearizabilityChecker.builder().maxShrinkSteps(-1));
    assertThrows(
        IllegalArgumentException.class,
        () -> LinearizabilityChecker.builder().timeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> LinearizabilityChecker.builder().timeout(Duration.ofSeconds(-1)));
    IllegalStateException repeated =
        assertThrows(
            IllegalStateException.class,
            () -> LinearizabilityChecker.builder().maxStepsPerKey(5).maxStepsPerKey(6));
    assertTrue(repeated.getMessage().contains("5"), repeated::getMessage);
    assertThrows(
        IllegalStateException.class,
        () ->
            LinearizabilityChecker.builder()
                .timeout(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(2)));
  }
}
