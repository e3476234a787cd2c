package io.crema.raft.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Histories of the size the checker is meant for: a few thousand operations on one key from ten
 * clients that are nearly always busy (about six operations outstanding at any time). Prints the
 * time taken, for the record; asserts only verdicts.
 */
class ScaleTest {
  private static final LinearizabilityChecker CHECKER = LinearizabilityChecker.create();

  private static List<Operation> history(long seed, int alphabet, double unknownRate) {
    return RandomHistories.linearizable(
        new SplittableRandom(seed),
        new RandomHistories.Config()
            .clients(10)
            .opsPerClient(300)
            .alphabet(alphabet)
            .unknownRate(unknownRate)
            .timing(5, 10));
  }

  private static Result timed(String what, List<Operation> ops) {
    long startNs = System.nanoTime();
    Result result = CHECKER.check(ops);
    long tookMs = (System.nanoTime() - startNs) / 1_000_000;
    System.out.printf(
        "[lin-scale] %s: %d ops, %s, %d steps, %d ms%n",
        what, ops.size(), result.verdict(), result.steps(), tookMs);
    return result;
  }

  @Test
  void threeThousandOpsWithReusedValuesAreAccepted() {
    long seed = Seeds.base();
    Result result = timed("5 values, 1% unknown", history(seed, 5, 0.01));
    assertEquals(Result.Verdict.LINEARIZABLE, result.verdict(), () -> Seeds.replay(seed));
  }

  @Test
  void threeThousandOpsWithUniqueValuesAreAccepted() {
    long seed = Seeds.base();
    Result result = timed("unique values, 2% unknown", history(seed, 0, 0.02));
    assertEquals(Result.Verdict.LINEARIZABLE, result.verdict(), () -> Seeds.replay(seed));
  }

  @Test
  void threeThousandOpsWithAStaleReadAtTheEndAreRejected() {
    long seed = Seeds.base();
    List<Operation> ops = new ArrayList<>(history(seed, 0, 0.02));
    Operation firstWrite =
        ops.stream()
            .filter(op -> op.kind() == Command.Kind.WRITE && !op.isUnknown())
            .min(java.util.Comparator.comparingLong(Operation::invokeTime))
            .orElseThrow();
    long end = 1_000_000;
    Operation staleRead =
        Operation.read(99, "k", firstWrite.command().newValue(), end + 2, end + 3);
    ops.add(Operation.write(99, "k", "x", end, end + 1));
    ops.add(staleRead);
    Result result = timed("unique values, 2% unknown, stale read at the end", ops);
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), () -> Seeds.replay(seed));
    Violation v = result.violation().orElseThrow();
    assertEquals(staleRead, v.firstUnlinearizable());
    assertTrue(v.longestLinearizedPrefix().size() > 2_900, v::reason);
  }
}
