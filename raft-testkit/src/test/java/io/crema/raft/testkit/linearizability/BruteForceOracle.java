package io.crema.raft.testkit.linearizability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An independent, exponential oracle for small histories: tries every order of the operations that
 * respects real time, over one map of all keys (so it does not rely on splitting by key). UNKNOWN
 * operations may be left out; the others must all be placed.
 */
final class BruteForceOracle {
  private final List<Operation> ops;
  private final boolean[] placed;

  private BruteForceOracle(List<Operation> ops) {
    this.ops = ops;
    this.placed = new boolean[ops.size()];
  }

  static boolean isLinearizable(List<Operation> ops) {
    if (ops.size() > 12) {
      throw new IllegalArgumentException(
          "oracle is exponential; at most 12 ops, got " + ops.size());
    }
    return new BruteForceOracle(ops).search(new HashMap<>());
  }

  private boolean search(Map<String, String> state) {
    boolean allOkPlaced = true;
    for (int i = 0; i < ops.size(); i++) {
      if (!placed[i] && !ops.get(i).isUnknown()) {
        allOkPlaced = false;
      }
    }
    if (allOkPlaced) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (placed[i] || !predecessorsPlaced(i)) {
        continue;
      }
      Map<String, String> next = apply(ops.get(i), state);
      if (next != null) {
        placed[i] = true;
        boolean found = search(next);
        placed[i] = false;
        if (found) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean predecessorsPlaced(int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!placed[j] && ops.get(j).precedes(ops.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The state after {@code op}, or null if its known output is impossible in {@code state}. */
  private static Map<String, String> apply(Operation op, Map<String, String> state) {
    Command c = op.command();
    String current = state.get(c.key());
    Map<String, String> next = new HashMap<>(state);
    switch (c.kind()) {
      case READ:
        return op.isUnknown() || Objects.equals(current, op.observed()) ? state : null;
      case WRITE:
      case DELETE:
        put(next, c.key(), c.newValue());
        return next;
      case CAS:
        boolean matches = Objects.equals(current, c.expected());
        if (!op.isUnknown() && matches != op.casSucceeded()) {
          return null;
        }
        if (matches) {
          put(next, c.key(), c.newValue());
        }
        return next;
      default:
        throw new AssertionError(c.kind());
    }
  }

  private static void put(Map<String, String> map, String key, String value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }
}
