package io.crema.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Finds a small failing sub-history of a non-linearizable key.
 *
 * <p>Two transformations never turn a linearizable history into a non-linearizable one, so a
 * candidate built with them that still fails proves the original fails:
 *
 * <ul>
 *   <li><em>Truncation</em> at time T: operations invoked after T are left out, and those still
 *       outstanding at T are weakened (below). In a linearization of the whole, every operation
 *       that completed by T precedes every one invoked after T, so cutting there leaves only
 *       UNKNOWN operations, which can move to the end, on the wrong side.
 *   <li><em>Weakening</em>: reads and failed CASes are left out, and writes, deletes and successful
 *       CASes become UNKNOWN. A linearization of the original is one of the weakened history.
 * </ul>
 *
 * <p>The search truncates just after the operation the checker could not linearize, keeps a subset
 * (the core) of the completed operations and weakens the others. It first tries small cores around
 * that operation, which can also prove a key not linearizable when the full search ran out of
 * budget, then shrinks the core by delta debugging: whole groups of operations about one value,
 * then single operations, ordered so that reads come before writes.
 */
final class Shrinker {
  private static final Comparator<Operation> BY_INVOKE =
      Comparator.comparingLong(Operation::invokeTime);

  private final long maxStepsPerCheck;
  private final Deadline deadline;
  private long remainingSteps;
  private boolean inconclusive;

  /** The shrunk failing sub-history and whether its core is 1-minimal. */
  static final class Shrunk {
    final List<Operation> subHistory;
    final boolean minimal;

    Shrunk(List<Operation> subHistory, boolean minimal) {
      this.subHistory = subHistory;
      this.minimal = minimal;
    }
  }

  Shrinker(long totalSteps, long maxStepsPerCheck, Deadline deadline) {
    this.remainingSteps = totalSteps;
    this.maxStepsPerCheck = maxStepsPerCheck;
    this.deadline = deadline;
  }

  /**
   * A weakened, truncated sub-history of {@code keyOps} around {@code blocked} that is not
   * linearizable, or null if none was found within the budget. Proves {@code keyOps} is not
   * linearizable however large it is. Candidates keep, as completed, {@code blocked}, the
   * operations concerning its values, and the last m completed operations before it, for growing m.
   */
  List<Operation> refuteLocally(String key, List<Operation> keyOps, Operation blocked) {
    List<Operation> truncated = truncate(keyOps, blocked.responseTime());
    List<Integer> byResponse = new ArrayList<>();
    List<Integer> related = new ArrayList<>();
    List<String> blockedValues = valuesOf(blocked);
    for (int i = 0; i < truncated.size(); i++) {
      Operation op = truncated.get(i);
      if (!op.isUnknown()) {
        byResponse.add(i);
        if (op == blocked || valuesOf(op).stream().anyMatch(blockedValues::contains)) {
          related.add(i);
        }
      }
    }
    byResponse.sort(Comparator.comparingLong(i -> truncated.get(i).responseTime()));
    for (int last = 4; hasBudget(); last *= 4) {
      TreeSet<Integer> core = new TreeSet<>(related);
      core.addAll(byResponse.subList(Math.max(0, byResponse.size() - last), byResponse.size()));
      List<Operation> candidate = weaken(truncated, new ArrayList<>(core));
      if (fails(key, candidate)) {
        return candidate;
      }
      if (last >= byResponse.size()) {
        return null;
      }
    }
    return null;
  }

  /**
   * Shrinks {@code keyOps}, known not linearizable; {@code blocked} is the operation the search
   * could not linearize, or null. With {@code local}, first looks for a failing sub-history around
   * {@code blocked}, else starts from the truncation just after it.
   */
  Shrunk shrink(String key, List<Operation> keyOps, Operation blocked, boolean local) {
    List<Operation> ops = keyOps;
    if (blocked != null && hasBudget()) {
      List<Operation> around = local ? refuteLocally(key, keyOps, blocked) : null;
      List<Operation> truncated = truncate(keyOps, blocked.responseTime());
      if (around != null) {
        ops = around;
      } else if (!truncated.equals(keyOps) && fails(key, truncated)) {
        ops = truncated;
      }
    }
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (!ops.get(i).isUnknown()) {
        all.add(i);
      }
    }
    List<List<Integer>> groups = groupByValue(ops, all);
    List<List<Integer>> keptGroups = ddmin(key, ops, groups, false);
    List<List<Integer>> singles = new ArrayList<>();
    for (List<Integer> group : keptGroups) {
      for (int i : group) {
        singles.add(List.of(i));
      }
    }
    boolean minimal = hasBudget();
    inconclusive = false;
    List<List<Integer>> core = ddmin(key, ops, singles, true);
    minimal &= !inconclusive && hasBudget();
    List<Operation> sub = new ArrayList<>(KeyHistory.of(key, weaken(ops, flatten(core))).ops);
    sub.sort(BY_INVOKE);
    return new Shrunk(List.copyOf(sub), minimal);
  }

  /** The values an operation reads, expects or installs. */
  private static List<String> valuesOf(Operation op) {
    Command c = op.command();
    switch (c.kind()) {
      case READ:
        return op.isUnknown() ? List.of() : Collections.singletonList(op.observed());
      case CAS:
        return Arrays.asList(c.expected(), c.newValue());
      default:
        return Collections.singletonList(c.newValue());
    }
  }

  /**
   * Delta debugging over {@code units} (each a list of op indices): tries leaving out chunks of
   * units, halving the chunk size, while the rest still fails. With {@code toFixpoint} the last
   * pass (single units) repeats until nothing more can go, making the result 1-minimal unless a
   * check was inconclusive or the budget ran out.
   */
  private List<List<Integer>> ddmin(
      String key, List<Operation> ops, List<List<Integer>> units, boolean toFixpoint) {
    List<List<Integer>> kept = units;
    int chunk = Math.max(1, (kept.size() + 1) / 2);
    while (hasBudget() && kept.size() > 1) {
      boolean removed = false;
      for (int start = 0; start < kept.size() && hasBudget(); ) {
        List<List<Integer>> candidate = new ArrayList<>(kept.subList(0, start));
        candidate.addAll(kept.subList(Math.min(kept.size(), start + chunk), kept.size()));
        if (!candidate.isEmpty() && fails(key, weaken(ops, flatten(candidate)))) {
          kept = candidate;
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (chunk > 1) {
        chunk = (chunk + 1) / 2;
      } else if (!removed || !toFixpoint) {
        break;
      }
    }
    return kept;
  }

  /**
   * Groups core ops by the value they concern (read: value read; write, delete and successful CAS:
   * value installed; failed CAS: value expected); within a group reads come first.
   */
  private static List<List<Integer>> groupByValue(List<Operation> ops, List<Integer> core) {
    Map<String, List<Integer>> byValue = new HashMap<>();
    List<List<Integer>> groups = new ArrayList<>();
    List<Integer> sorted = new ArrayList<>(core);
    sorted.sort(Comparator.comparingInt((Integer i) -> rank(ops.get(i))).thenComparingInt(i -> i));
    for (int i : sorted) {
      List<Integer> group =
          byValue.computeIfAbsent(
              Objects.toString(concernedValue(ops.get(i)), "\0absent"),
              v -> {
                List<Integer> g = new ArrayList<>();
                groups.add(g);
                return g;
              });
      group.add(i);
    }
    return groups;
  }

  private static String concernedValue(Operation op) {
    switch (op.kind()) {
      case READ:
        return op.observed();
      case CAS:
        return op.casSucceeded() ? op.command().newValue() : op.command().expected();
      default:
        return op.command().newValue();
    }
  }

  /** Reads first: leaving them out is cheap for the search and usually possible. */
  private static int rank(Operation op) {
    if (op.kind() == Command.Kind.READ) {
      return 0;
    }
    return op.kind() == Command.Kind.CAS && !op.casSucceeded() ? 1 : 2;
  }

  private static List<Integer> flatten(List<List<Integer>> units) {
    List<Integer> flat = new ArrayList<>();
    for (List<Integer> unit : units) {
      flat.addAll(unit);
    }
    flat.sort(null);
    return flat;
  }

  private boolean hasBudget() {
    return remainingSteps > 0 && !deadline.passed();
  }

  private boolean fails(String key, List<Operation> candidateOps) {
    KeyHistory candidate = KeyHistory.of(key, candidateOps);
    KeySearch.Outcome outcome =
        KeySearch.run(candidate, Math.min(remainingSteps, maxStepsPerCheck), deadline);
    remainingSteps -= Math.max(1, outcome.steps);
    if (outcome.verdict == KeySearch.Verdict.BUDGET_EXHAUSTED) {
      inconclusive = true;
    }
    return outcome.verdict == KeySearch.Verdict.NOT_LINEARIZABLE;
  }

  /** Truncation at {@code cutTime}, with operations outstanding then weakened. */
  static List<Operation> truncate(List<Operation> keyOps, long cutTime) {
    List<Operation> out = new ArrayList<>(keyOps.size());
    for (Operation op : keyOps) {
      if (op.responseTime() <= cutTime) {
        out.add(op);
      } else if (op.invokeTime() <= cutTime && !isReadOnly(op)) {
        out.add(op.asUnknown());
      }
    }
    return out;
  }

  /** Whether a weakened op is left out: completed reads and failed CASes change nothing. */
  private static boolean isReadOnly(Operation op) {
    return !op.isUnknown()
        && (op.kind() == Command.Kind.READ
            || (op.kind() == Command.Kind.CAS && !op.casSucceeded()));
  }

  /** Keeps the core operations (indices, ascending) as they are and weakens the others. */
  static List<Operation> weaken(List<Operation> keyOps, List<Integer> core) {
    List<Operation> out = new ArrayList<>(keyOps.size());
    int c = 0;
    for (int i = 0; i < keyOps.size(); i++) {
      Operation op = keyOps.get(i);
      if (c < core.size() && core.get(c) == i) {
        out.add(op);
        c++;
      } else if (!isReadOnly(op)) {
        out.add(op.asUnknown());
      }
    }
    return out;
  }
}
