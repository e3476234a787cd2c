package io.crema.raft.testkit.linearizability;

import java.util.List;
import java.util.Optional;

/**
 * The verdict of a {@link LinearizabilityChecker} run. Immutable.
 *
 * <p>{@link Verdict#LINEARIZABLE} and {@link Verdict#NOT_LINEARIZABLE} are definite. {@link
 * Verdict#UNKNOWN} means the search budget ran out on some key before a verdict was reached and no
 * other key was found not linearizable: it is never reported as linearizable.
 */
public final class Result {

  /** The possible verdicts. */
  public enum Verdict {
    /** Every key's history has a linearization. */
    LINEARIZABLE,
    /** Some key's history has none; see {@link Result#violation()}. */
    NOT_LINEARIZABLE,
    /** The budget ran out before a verdict; see {@link Result#undecidedKeys()}. */
    UNKNOWN
  }

  private final Verdict verdict;
  private final int operations;
  private final int keysChecked;
  private final long steps;
  private final List<String> undecidedKeys;
  private final Violation violation;
  private final String budget;

  Result(
      Verdict verdict,
      int operations,
      int keysChecked,
      long steps,
      List<String> undecidedKeys,
      Violation violation,
      String budget) {
    this.verdict = verdict;
    this.operations = operations;
    this.keysChecked = keysChecked;
    this.steps = steps;
    this.undecidedKeys = List.copyOf(undecidedKeys);
    this.violation = violation;
    this.budget = budget;
  }

  /** The verdict. */
  public Verdict verdict() {
    return verdict;
  }

  /** True only for a definite {@link Verdict#LINEARIZABLE}. */
  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /**
   * Whether the search budget ran out on at least one key (the verdict is then not LINEARIZABLE).
   */
  public boolean budgetExhausted() {
    return !undecidedKeys.isEmpty();
  }

  /** The keys on which the budget ran out, in the order checked. */
  public List<String> undecidedKeys() {
    return undecidedKeys;
  }

  /** The violation found, present iff the verdict is {@link Verdict#NOT_LINEARIZABLE}. */
  public Optional<Violation> violation() {
    return Optional.ofNullable(violation);
  }

  /** The number of operations in the checked history. */
  public int operations() {
    return operations;
  }

  /** The number of keys searched before the verdict (a violation stops the check). */
  public int keysChecked() {
    return keysChecked;
  }

  /** Model steps the search took over all keys, not counting shrinking. */
  public long steps() {
    return steps;
  }

  /** A human-readable account of the verdict, with the violation report if there is one. */
  public String describe() {
    String stats =
        operations + " operations, " + keysChecked + " keys checked, " + steps + " steps";
    switch (verdict) {
      case LINEARIZABLE:
        return "linearizable (" + stats + ")";
      case UNKNOWN:
        return "UNKNOWN, not proven linearizable: the search budget ("
            + budget
            + ") ran out on keys "
            + undecidedKeys
            + "; no violation found on the other keys ("
            + stats
            + ")";
      case NOT_LINEARIZABLE:
        return "NOT linearizable (" + stats + "): " + violation.describe();
      default:
        throw new AssertionError(verdict);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
