package io.crema.raft.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomised tests: histories of a real register must be accepted; mutations that provably
 * break them must be rejected, with the mutated operation in the explanation; and on small
 * histories the checker must agree with the brute-force oracle. See {@link Seeds} to replay.
 */
class RandomisedHistoriesTest {
  private static final LinearizabilityChecker CHECKER = LinearizabilityChecker.create();
  private static final LinearizabilityChecker STARVED =
      LinearizabilityChecker.builder().maxStepsPerKey(3).build();

  private static RandomHistories.Config randomConfig(SplittableRandom rnd, boolean uniqueValues) {
    String[] keys = {"k0", "k1", "k2"};
    return new RandomHistories.Config()
        .clients(1 + rnd.nextInt(6))
        .opsPerClient(5 + rnd.nextInt(40))
        .keys(java.util.Arrays.copyOf(keys, 1 + rnd.nextInt(3)))
        .alphabet(uniqueValues ? 0 : rnd.nextInt(5))
        .unknownRate(rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble() * 0.15)
        .timing(1 + rnd.nextInt(8), 1 + rnd.nextInt(20));
  }

  @Test
  void historiesOfARealRegisterAreAccepted() {
    long base = Seeds.base();
    for (int run = 0; run < Seeds.runs(400); run++) {
      long seed = base + run;
      SplittableRandom rnd = new SplittableRandom(seed);
      List<Operation> ops = RandomHistories.linearizable(rnd, randomConfig(rnd, rnd.nextBoolean()));
      Result result = CHECKER.check(ops);
      assertEquals(
          Result.Verdict.LINEARIZABLE,
          result.verdict(),
          () -> Seeds.replay(seed) + ": " + result.describe());
    }
  }

  @Test
  void readOfAValueNeverWrittenIsRejected() {
    assertMutationsRejected(
        false,
        (rnd, ops) -> {
          int read = randomOkRead(rnd, ops);
          return read < 0 ? null : withObserved(ops, read, "never-written");
        });
  }

  @Test
  void readOfAValueWrittenOnlyAfterTheReadReturnedIsRejected() {
    // Values are unique, so the only write of v must be linearized after the read: it cannot
    // have observed v.
    assertMutationsRejected(
        true,
        (rnd, ops) -> {
          List<int[]> pairs = new ArrayList<>();
          for (int r = 0; r < ops.size(); r++) {
            if (!isOkRead(ops.get(r))) {
              continue;
            }
            for (int w = 0; w < ops.size(); w++) {
              Operation op = ops.get(w);
              if (installsValue(op)
                  && op.key().equals(ops.get(r).key())
                  && ops.get(r).precedes(op)) {
                pairs.add(new int[] {r, w});
              }
            }
          }
          if (pairs.isEmpty()) {
            return null;
          }
          int[] pick = pairs.get(rnd.nextInt(pairs.size()));
          return withObserved(ops, pick[0], ops.get(pick[1]).command().newValue());
        });
  }

  @Test
  void readOfAnOverwrittenValueIsRejected() {
    // Values are unique: w1 installs v once, w2 (completed, after w1) changes it, the read starts
    // after w2 returned: it cannot observe v.
    assertMutationsRejected(
        true,
        (rnd, ops) -> {
          List<int[]> triples = new ArrayList<>();
          for (int r = 0; r < ops.size(); r++) {
            Operation read = ops.get(r);
            if (!isOkRead(read)) {
              continue;
            }
            for (int w2 = 0; w2 < ops.size(); w2++) {
              Operation second = ops.get(w2);
              if (!certainlyChanges(second)
                  || !second.key().equals(read.key())
                  || !second.precedes(read)) {
                continue;
              }
              for (int w1 = 0; w1 < ops.size(); w1++) {
                Operation first = ops.get(w1);
                if (installsValue(first)
                    && !first.isUnknown()
                    && first.key().equals(read.key())
                    && first.precedes(second)) {
                  triples.add(new int[] {r, w1});
                }
              }
            }
          }
          if (triples.isEmpty()) {
            return null;
          }
          int[] pick = triples.get(rnd.nextInt(triples.size()));
          return withObserved(ops, pick[0], ops.get(pick[1]).command().newValue());
        });
  }

  /** A mutation of a linearizable history that makes it provably non-linearizable, or null. */
  private interface Mutation {
    Mutated apply(SplittableRandom rnd, List<Operation> ops);
  }

  private static final class Mutated {
    final List<Operation> ops;
    final Operation mutated;

    Mutated(List<Operation> ops, Operation mutated) {
      this.ops = ops;
      this.mutated = mutated;
    }
  }

  private void assertMutationsRejected(boolean uniqueValues, Mutation mutation) {
    long base = Seeds.base();
    int runs = Seeds.runs(300);
    int mutated = 0;
    for (int run = 0; run < runs; run++) {
      long seed = base + run;
      SplittableRandom rnd = new SplittableRandom(seed);
      List<Operation> ops = RandomHistories.linearizable(rnd, randomConfig(rnd, uniqueValues));
      Mutated m = mutation.apply(rnd, ops);
      if (m == null) {
        continue;
      }
      mutated++;
      Result result = CHECKER.check(m.ops);
      Supplier<String> msg = () -> Seeds.replay(seed) + ", mutated " + m.mutated + ": " + result;
      assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), msg);
      Violation v = result.violation().orElseThrow();
      assertEquals(m.mutated.key(), v.key(), msg);
      // Without the mutated read the history is a weakening of a linearizable one, so any
      // failing sub-history must keep it.
      assertTrue(v.failingSubHistory().contains(m.mutated), msg);
      assertEquals(
          Result.Verdict.NOT_LINEARIZABLE, CHECKER.check(v.failingSubHistory()).verdict(), msg);
    }
    assertTrue(mutated >= runs / 3, "only " + mutated + " of " + runs + " histories mutated");
  }

  @Test
  void agreesWithBruteForceOracleOnSmallHistories() {
    long base = Seeds.base();
    int runs = Seeds.runs(3000);
    int rejected = 0;
    for (int run = 0; run < runs; run++) {
      long seed = base + run;
      SplittableRandom rnd = new SplittableRandom(seed);
      RandomHistories.Config cfg =
          new RandomHistories.Config()
              .clients(1 + rnd.nextInt(3))
              .opsPerClient(1 + rnd.nextInt(4))
              .keys(rnd.nextInt(4) == 0 ? new String[] {"x", "y"} : new String[] {"x"})
              .alphabet(1 + rnd.nextInt(2))
              .unknownRate(rnd.nextDouble() * (rnd.nextBoolean() ? 0.3 : 0.8))
              .weights(1 + rnd.nextInt(4), 1 + rnd.nextInt(3), rnd.nextInt(4), rnd.nextInt(2))
              .timing(1 + rnd.nextInt(4), rnd.nextInt(8));
      List<Operation> ops = perturb(rnd, RandomHistories.linearizable(rnd, cfg));
      boolean expected = BruteForceOracle.isLinearizable(ops);
      Result result = CHECKER.check(ops);
      Supplier<String> msg = () -> Seeds.replay(seed) + ": " + History.of(ops) + "\n" + result;
      assertEquals(
          expected ? Result.Verdict.LINEARIZABLE : Result.Verdict.NOT_LINEARIZABLE,
          result.verdict(),
          msg);
      if (!expected) {
        rejected++;
        assertExplanationSound(result.violation().orElseThrow(), msg);
      }
      // With a budget too small for the search, a verdict may be missing but never wrong.
      Result starved = STARVED.check(ops);
      if (starved.verdict() != Result.Verdict.UNKNOWN) {
        assertEquals(
            expected ? Result.Verdict.LINEARIZABLE : Result.Verdict.NOT_LINEARIZABLE,
            starved.verdict(),
            msg);
      }
      if (!starved.isLinearizable() && starved.violation().isPresent()) {
        assertExplanationSound(starved.violation().get(), msg);
      }
    }
    assertTrue(rejected > runs / 10, "too few rejected histories to be a test: " + rejected);
    assertTrue(rejected < runs * 9 / 10, "too few accepted histories to be a test: " + rejected);
  }

  /** The sub-history fails, and if called 1-minimal, un-weakening any one op less makes it pass. */
  private static void assertExplanationSound(Violation v, Supplier<String> msg) {
    assertFalse(BruteForceOracle.isLinearizable(v.failingSubHistory()), msg);
    List<Operation> keyOps = v.keyOperations();
    Map<Operation, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < keyOps.size(); i++) {
      index.put(keyOps.get(i), i);
    }
    List<Integer> core = new ArrayList<>();
    for (Operation op : v.failingSubHistory()) {
      if (!op.isUnknown()) {
        Integer i = index.get(op);
        assertTrue(i != null, msg);
        assertSame(keyOps.get(i), op, msg);
        core.add(i);
      }
    }
    core.sort(null);
    if (v.isSubHistoryMinimal()) {
      for (int drop = 0; drop < core.size(); drop++) {
        List<Integer> smaller = new ArrayList<>(core);
        smaller.remove(drop);
        assertTrue(
            BruteForceOracle.isLinearizable(Shrinker.weaken(keyOps, smaller)),
            () -> "not 1-minimal: " + msg.get());
      }
    }
  }

  /** With probability 1/2, changes one completed output at random (may or may not break it). */
  private static List<Operation> perturb(SplittableRandom rnd, List<Operation> ops) {
    List<Integer> completed = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (!op.isUnknown() && (op.kind() == Command.Kind.READ || op.kind() == Command.Kind.CAS)) {
        completed.add(i);
      }
    }
    if (completed.isEmpty() || rnd.nextBoolean()) {
      return ops;
    }
    int i = completed.get(rnd.nextInt(completed.size()));
    Operation op = ops.get(i);
    if (op.kind() == Command.Kind.CAS) {
      List<Operation> copy = new ArrayList<>(ops);
      copy.set(
          i,
          Operation.completed(
              op.clientId(),
              op.command(),
              op.invokeTime(),
              op.responseTime(),
              null,
              !op.casSucceeded()));
      return copy;
    }
    String[] values = {null, "v0", "v1"};
    String value = values[rnd.nextInt(values.length)];
    return withObserved(ops, i, value).ops;
  }

  private static int randomOkRead(SplittableRandom rnd, List<Operation> ops) {
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (isOkRead(ops.get(i))) {
        reads.add(i);
      }
    }
    return reads.isEmpty() ? -1 : reads.get(rnd.nextInt(reads.size()));
  }

  private static Mutated withObserved(List<Operation> ops, int i, String observed) {
    Operation op = ops.get(i);
    Operation mutated =
        Operation.read(op.clientId(), op.key(), observed, op.invokeTime(), op.responseTime());
    List<Operation> copy = new ArrayList<>(ops);
    copy.set(i, mutated);
    return new Mutated(copy, mutated);
  }

  private static boolean isOkRead(Operation op) {
    return op.kind() == Command.Kind.READ && !op.isUnknown();
  }

  /** May install a non-null value (its only installer, when values are unique). */
  private static boolean installsValue(Operation op) {
    return op.command().isMutation()
        && op.command().newValue() != null
        && (op.isUnknown() || op.kind() != Command.Kind.CAS || op.casSucceeded());
  }

  /** A completed operation that certainly installed some value (possibly absent). */
  private static boolean certainlyChanges(Operation op) {
    return !op.isUnknown()
        && op.command().isMutation()
        && (op.kind() != Command.Kind.CAS || op.casSucceeded());
  }

  @Test
  void uniqueValuesMakeEveryMutationItsValuesOnlyInstaller() {
    // Guards the premise of the mutation tests above.
    SplittableRandom rnd = new SplittableRandom(Seeds.base());
    List<Operation> ops =
        RandomHistories.linearizable(rnd, new RandomHistories.Config().alphabet(0).clients(5));
    List<String> installed = new ArrayList<>();
    for (Operation op : ops) {
      if (op.command().isMutation() && op.command().newValue() != null) {
        assertFalse(installed.contains(op.command().newValue()), op::toString);
        installed.add(op.command().newValue());
      }
    }
    assertTrue(installed.stream().allMatch(Objects::nonNull));
    assertTrue(installed.size() > 10);
  }
}
