package io.crema.raft.testkit.sim;

import io.crema.raft.Entry;

/**
 * The simulated application: it folds every applied entry into a running hash, so two replicas that
 * applied the same prefix hold the same value. A snapshot is a copy.
 */
final class SimStateMachine {
  long lastIndex;
  long hash;
  long count;

  SimStateMachine copy() {
    SimStateMachine c = new SimStateMachine();
    c.lastIndex = lastIndex;
    c.hash = hash;
    c.count = count;
    return c;
  }

  void apply(Entry e) {
    if (e.index() != lastIndex + 1) {
      throw new SimulationFailure.Violation(
          "state machine applied index " + e.index() + " after " + lastIndex + " (gap or repeat)");
    }
    lastIndex = e.index();
    hash = hash * 1_000_003L + entryHash(e);
    count++;
  }

  static long entryHash(Entry e) {
    long h = e.term() * 31 + e.type().ordinal();
    for (byte b : e.data()) {
      h = h * 131 + b;
    }
    return h;
  }
}
