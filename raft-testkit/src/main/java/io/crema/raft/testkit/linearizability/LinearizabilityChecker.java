package io.crema.raft.testkit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks whether a {@link History} of a key-value store is linearizable, each key being a register
 * with read, write, delete and compare-and-set that starts absent.
 *
 * <p>Keys are independent registers, so the history is split by key and each key is searched on its
 * own (linearizability is compositional). A key is searched with the Wing–Gong algorithm with
 * Lowe's memoization of (linearized set, value) configurations. The search is exponential in the
 * worst case, so it runs within a budget: {@link Builder#maxStepsPerKey} model steps and a memo
 * table of at most 256 MiB per key, and an optional overall {@link Builder#timeout}. A key on which
 * the budget runs out is undecided, and the result is then {@link Result.Verdict#UNKNOWN} unless
 * another key is not linearizable: never a false "linearizable". Before giving up on a key, the
 * checker tries to prove it not linearizable from a small sub-history around where the search
 * stopped (see {@link Builder#maxShrinkSteps}).
 *
 * <p>On a violation the checker stops, reports the first failing key in key order, and shrinks its
 * history to a small failing sub-history within {@link Builder#maxShrinkSteps} (see {@link
 * Violation}). Instances are immutable and thread-safe; {@code check} may run concurrently.
 */
public final class LinearizabilityChecker {
  /** Default {@link Builder#maxStepsPerKey}. */
  public static final long DEFAULT_MAX_STEPS_PER_KEY = 20_000_000L;

  /** Default {@link Builder#maxShrinkSteps}. */
  public static final long DEFAULT_MAX_SHRINK_STEPS = 2_000_000L;

  /** Budget of the first, quick search of a key; see {@code checkKey}. */
  private static final long QUICK_STEPS = 1_000_000L;

  private final long maxStepsPerKey;
  private final long maxShrinkSteps;
  private final Duration timeout;

  private LinearizabilityChecker(Builder b) {
    this.maxStepsPerKey = b.maxStepsPerKey;
    this.maxShrinkSteps = b.maxShrinkSteps;
    this.timeout = b.timeout;
  }

  /** A checker with the default budgets and no timeout. */
  public static LinearizabilityChecker create() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Checks the operations as a {@link History}; see {@link #check(History)}. */
  public Result check(List<Operation> operations) {
    return check(History.of(operations));
  }

  /**
   * Checks {@code history}. Blocks the calling thread for the duration of the search; never throws
   * for a well-formed history, whatever its verdict.
   */
  public Result check(History history) {
    Deadline deadline = Deadline.after(timeout, System::nanoTime);
    List<String> undecided = new ArrayList<>();
    long steps = 0;
    int keysChecked = 0;
    for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
      String key = e.getKey();
      if (deadline.passed()) {
        undecided.add(key);
        continue;
      }
      keysChecked++;
      KeyCheck check = checkKey(KeyHistory.of(key, e.getValue()), e.getValue(), deadline);
      steps += check.steps;
      if (check.violation != null) {
        return new Result(
            Result.Verdict.NOT_LINEARIZABLE,
            history.size(),
            keysChecked,
            steps,
            undecided,
            check.violation,
            budget());
      }
      if (check.undecided) {
        undecided.add(key);
      }
    }
    Result.Verdict verdict =
        undecided.isEmpty() ? Result.Verdict.LINEARIZABLE : Result.Verdict.UNKNOWN;
    return new Result(verdict, history.size(), keysChecked, steps, undecided, null, budget());
  }

  /** The verdict on one key. */
  private static final class KeyCheck {
    long steps;
    boolean undecided;
    Violation violation;
  }

  /**
   * Searches one key, first with a small budget: if that runs out, a violation close to where the
   * search stopped is often quick to prove from a small sub-history, which saves exhausting the
   * full budget. Only then the full search, and the same attempt where it stops.
   */
  private KeyCheck checkKey(KeyHistory kh, List<Operation> keyOps, Deadline deadline) {
    KeyCheck check = new KeyCheck();
    Shrinker shrinker = newShrinker(deadline);
    long[] budgets = {Math.min(QUICK_STEPS, maxStepsPerKey), maxStepsPerKey};
    for (int round = 0; round < budgets.length; round++) {
      if (round > 0 && budgets[round] == budgets[round - 1]) {
        break;
      }
      KeySearch.Outcome outcome = KeySearch.run(kh, budgets[round], deadline);
      check.steps += outcome.steps;
      if (outcome.verdict == KeySearch.Verdict.LINEARIZABLE) {
        return check;
      }
      List<Operation> refuted = null;
      if (outcome.verdict == KeySearch.Verdict.BUDGET_EXHAUSTED && outcome.blocked >= 0) {
        refuted = shrinker.refuteLocally(kh.key, keyOps, kh.ops.get(outcome.blocked));
      }
      if (outcome.verdict == KeySearch.Verdict.NOT_LINEARIZABLE || refuted != null) {
        check.violation = explain(kh, keyOps, outcome, shrinker, refuted);
        return check;
      }
    }
    check.undecided = true;
    return check;
  }

  private Shrinker newShrinker(Deadline deadline) {
    long perCheck = Math.min(maxStepsPerKey, Math.max(10_000L, maxShrinkSteps / 8));
    return new Shrinker(maxShrinkSteps, perCheck, deadline);
  }

  /**
   * Describes a violation found by the search ({@code refuted} null) or, after the search ran out
   * of budget, by the failing sub-history {@code refuted}.
   */
  private Violation explain(
      KeyHistory kh,
      List<Operation> keyOps,
      KeySearch.Outcome outcome,
      Shrinker shrinker,
      List<Operation> refuted) {
    List<Operation> prefix = new ArrayList<>(outcome.linearization.length);
    for (int op : outcome.linearization) {
      prefix.add(kh.ops.get(op));
    }
    String valueAfterPrefix = kh.valueAfter(outcome.linearization);
    Operation blocked = outcome.blocked < 0 ? null : kh.ops.get(outcome.blocked);
    String reason;
    if (refuted != null) {
      reason =
          "the search ran out of budget after linearizing at most "
              + prefix.size()
              + " operations, but the sub-history around "
              + blocked
              + " below is not linearizable, so neither is the whole";
    } else if (outcome.linearization.length == 0 && outcome.steps == 0) {
      reason = blocked + " observes a value that no operation on the key installs";
    } else {
      reason =
          "no linearization exists; the longest linearizable prefix found has "
              + prefix.size()
              + " operations and leaves "
              + Command.show(valueAfterPrefix)
              + ", after which "
              + blocked
              + " cannot be placed";
    }
    Shrinker.Shrunk shrunk =
        refuted == null
            ? shrinker.shrink(kh.key, keyOps, blocked, true)
            : shrinker.shrink(kh.key, refuted, blocked, false);
    return new Violation(
        kh.key,
        keyOps,
        prefix,
        valueAfterPrefix,
        blocked,
        shrunk.subHistory,
        shrunk.minimal,
        reason);
  }

  private String budget() {
    return "maxStepsPerKey="
        + maxStepsPerKey
        + (timeout == null ? "" : ", timeout=" + timeout)
        + ", memo table <= 256 MiB per key";
  }

  /**
   * Configures a {@link LinearizabilityChecker}. Each setting may be given once; a bad or repeated
   * setting fails at once with {@link IllegalArgumentException} or {@link IllegalStateException}.
   */
  public static final class Builder {
    private long maxStepsPerKey = DEFAULT_MAX_STEPS_PER_KEY;
    private long maxShrinkSteps = DEFAULT_MAX_SHRINK_STEPS;
    private Duration timeout;
    private boolean maxStepsSet;
    private boolean shrinkSet;

    private Builder() {}

    /**
     * The most model steps (attempts to linearize one operation) the search may take on one key
     * before declaring it undecided; at least 1. Default {@value #DEFAULT_MAX_STEPS_PER_KEY}.
     */
    public Builder maxStepsPerKey(long maxSteps) {
      if (maxStepsSet) {
        throw new IllegalStateException("maxStepsPerKey already set to " + maxStepsPerKey);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxStepsPerKey must be >= 1, was " + maxSteps);
      }
      maxStepsSet = true;
      maxStepsPerKey = maxSteps;
      return this;
    }

    /**
     * The most model steps spent explaining a violation: shrinking it to a small sub-history, and,
     * when the search ran out of budget on a key, looking for a small sub-history around where it
     * stopped that is not linearizable (which proves the key is not). 0 disables both (the
     * sub-history is then the key's whole history less the operations that cannot matter: UNKNOWN
     * reads, and UNKNOWN mutations nothing observes). Default {@value #DEFAULT_MAX_SHRINK_STEPS}.
     */
    public Builder maxShrinkSteps(long maxSteps) {
      if (shrinkSet) {
        throw new IllegalStateException("maxShrinkSteps already set to " + maxShrinkSteps);
      }
      if (maxSteps < 0) {
        throw new IllegalArgumentException("maxShrinkSteps must be >= 0, was " + maxSteps);
      }
      shrinkSet = true;
      maxShrinkSteps = maxSteps;
      return this;
    }

    /**
     * Wall-clock limit (monotonic clock) for one whole {@code check}, shrinking included; keys not
     * decided by then are undecided. Positive. Default: none.
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (this.timeout != null) {
        throw new IllegalStateException("timeout already set to " + this.timeout);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The configured checker. */
    public LinearizabilityChecker build() {
      return new LinearizabilityChecker(this);
    }
  }
}
