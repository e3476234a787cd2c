package io.crema.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * An immutable set of {@link Operation}s to check, ordered by invocation time (ties keep the order
 * they were given in). Build one by hand with {@link #of}, or record one from running clients with
 * {@link #recorder}.
 */
public final class History {
  private static final Comparator<Operation> BY_INVOKE =
      Comparator.comparingLong(Operation::invokeTime);

  private final List<Operation> operations;

  private History(List<Operation> operations) {
    this.operations = operations;
  }

  /**
   * A history of the given operations, sorted by invocation time (stable).
   *
   * @throws NullPointerException if {@code operations} or any element is null
   */
  public static History of(Collection<? extends Operation> operations) {
    List<Operation> copy = new ArrayList<>(operations.size());
    for (Operation op : operations) {
      copy.add(Objects.requireNonNull(op, "operation"));
    }
    copy.sort(BY_INVOKE);
    return new History(Collections.unmodifiableList(copy));
  }

  /** A history of the given operations; see {@link #of(Collection)}. */
  public static History of(Operation... operations) {
    return of(List.of(operations));
  }

  /**
   * A thread-safe recorder that stamps invocations and completions with {@code nanoClock}, which
   * must be monotonic across all recording threads ({@code System::nanoTime} is).
   */
  public static HistoryRecorder recorder(LongSupplier nanoClock) {
    return new HistoryRecorder(nanoClock);
  }

  /** All operations, by invocation time. */
  public List<Operation> operations() {
    return operations;
  }

  /** The number of operations, including UNKNOWN ones. */
  public int size() {
    return operations.size();
  }

  /** The operations of each key, by invocation time; keys in natural (sorted) order. */
  public Map<String, List<Operation>> byKey() {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : operations) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    byKey.replaceAll((k, ops) -> Collections.unmodifiableList(ops));
    return Collections.unmodifiableMap(byKey);
  }

  /** One operation per line, by invocation time. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("History of ").append(size()).append(" operations");
    for (Operation op : operations) {
      sb.append("\n  ").append(op);
    }
    return sb.toString();
  }
}
