package io.crema.raft.testkit.linearizability;

import java.util.List;

/**
 * Why one key's history is not linearizable. Immutable.
 *
 * <p>{@link #failingSubHistory()} is self-contained evidence: checking it alone also fails, and its
 * failure implies the failure of the whole. It keeps some completed operations of the key as they
 * were and the others weakened (reads and failed CASes left out; writes, deletes and successful
 * CASes turned UNKNOWN, or left out when nothing observes them), with the operations invoked after
 * {@link #firstUnlinearizable()} returned left out. {@link #longestLinearizedPrefix()} shows how
 * far the search got on the whole key.
 *
 * <p>Tip: histories whose writes use unique values make both the check and the explanation much
 * cheaper, since each read then names the write it saw.
 */
public final class Violation {
  /** Operations shown per list by {@link #describe()}. */
  private static final int SHOWN = 40;

  private final String key;
  private final List<Operation> keyOperations;
  private final List<Operation> longestLinearizedPrefix;
  private final String valueAfterPrefix;
  private final Operation firstUnlinearizable;
  private final List<Operation> failingSubHistory;
  private final boolean subHistoryMinimal;
  private final String reason;

  Violation(
      String key,
      List<Operation> keyOperations,
      List<Operation> longestLinearizedPrefix,
      String valueAfterPrefix,
      Operation firstUnlinearizable,
      List<Operation> failingSubHistory,
      boolean subHistoryMinimal,
      String reason) {
    this.key = key;
    this.keyOperations = List.copyOf(keyOperations);
    this.longestLinearizedPrefix = List.copyOf(longestLinearizedPrefix);
    this.valueAfterPrefix = valueAfterPrefix;
    this.firstUnlinearizable = firstUnlinearizable;
    this.failingSubHistory = List.copyOf(failingSubHistory);
    this.subHistoryMinimal = subHistoryMinimal;
    this.reason = reason;
  }

  /** The key whose register history is not linearizable. */
  public String key() {
    return key;
  }

  /** Every operation of the history on {@link #key()}, by invocation time. */
  public List<Operation> keyOperations() {
    return keyOperations;
  }

  /**
   * The longest sequence of operations the search managed to linearize, in linearization order (it
   * may include UNKNOWN operations that took effect). Empty when the failure was found without a
   * search (an operation observes a value nothing installs).
   */
  public List<Operation> longestLinearizedPrefix() {
    return longestLinearizedPrefix;
  }

  /** The register value after {@link #longestLinearizedPrefix()} ({@code null}: absent). */
  public String valueAfterPrefix() {
    return valueAfterPrefix;
  }

  /**
   * The completed operation with the earliest response that is not in the longest prefix: the one
   * the search could not place next.
   */
  public Operation firstUnlinearizable() {
    return firstUnlinearizable;
  }

  /**
   * The smallest failing sub-history found, by invocation time; see the class comment for how it
   * relates to the full history.
   */
  public List<Operation> failingSubHistory() {
    return failingSubHistory;
  }

  /**
   * Whether the shrinking finished: then weakening any one more of the completed operations of
   * {@link #failingSubHistory()} makes it linearizable (it is 1-minimal). False if the shrink
   * budget ran out first; the sub-history still fails.
   */
  public boolean isSubHistoryMinimal() {
    return subHistoryMinimal;
  }

  /** One sentence on what went wrong. */
  public String reason() {
    return reason;
  }

  /**
   * A multi-line report of everything above; long lists are cut to the part nearest the failure
   * (the accessors have them whole).
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("key \"").append(key).append("\" is not linearizable: ").append(reason);
    sb.append("\nfailing sub-history (").append(failingSubHistory.size()).append(" operations, ");
    sb.append(subHistoryMinimal ? "1-minimal" : "shrink budget ran out, may not be minimal");
    sb.append("; other operations of the key left out or weakened to UNKNOWN)");
    appendOps(sb, failingSubHistory, failingSubHistory.size() - SHOWN, failingSubHistory.size());
    sb.append("\nlongest linearized prefix (").append(longestLinearizedPrefix.size());
    sb.append(" operations, value after it ").append(Command.show(valueAfterPrefix)).append(")");
    int prefixLength = longestLinearizedPrefix.size();
    appendOps(sb, longestLinearizedPrefix, prefixLength - SHOWN, prefixLength);
    sb.append("\nthen could not linearize: ").append(firstUnlinearizable);
    sb.append("\nthe ").append(keyOperations.size()).append(" operations on the key");
    int at = Math.max(0, keyOperations.indexOf(firstUnlinearizable));
    appendOps(sb, keyOperations, at - SHOWN / 2, at + SHOWN / 2);
    return sb.toString();
  }

  /** Appends {@code ops[from..to)}, clamped, saying how many were left out. */
  private static void appendOps(StringBuilder sb, List<Operation> ops, int from, int to) {
    int start = Math.max(0, from);
    int end = Math.min(ops.size(), Math.max(to, start));
    if (start > 0 || end < ops.size()) {
      sb.append(" (showing ").append(start).append("..").append(end).append(')');
    }
    sb.append(':');
    for (Operation op : ops.subList(start, end)) {
      sb.append("\n  ").append(op);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
