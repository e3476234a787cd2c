package io.crema.raft.testkit.sim;

import io.crema.raft.Entry;
import io.crema.raft.LogCompactedException;
import io.crema.raft.LogReader;
import io.crema.raft.core.Role;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety properties of Raft (paper figure 3), checked as the simulation runs: election safety,
 * log matching, leader completeness, state machine safety, and that commit and apply indexes never
 * go backwards within a node's lifetime.
 */
final class InvariantChecker {
  /** term -> the leader elected in it. */
  private final Map<Long, Long> leaders = new HashMap<>();

  /** index -> (term, entry hash) of what was applied there, by whoever applied it first. */
  private final Map<Long, long[]> applied = new HashMap<>();

  /** index -> application hash after applying through index. */
  private final Map<Long, Long> stateHashes = new HashMap<>();

  private long maxAppliedIndex;
  private long maxCommitSeen;

  long maxCommitSeen() {
    return maxCommitSeen;
  }

  private static void fail(String msg) {
    throw new SimulationFailure.Violation(msg);
  }

  /** Election safety: at most one leader per term. Raft paper 5.2. */
  void onRole(SimNode n, Role role, long term) {
    if (role != Role.LEADER) {
      return;
    }
    Long prev = leaders.putIfAbsent(term, n.id);
    if (prev == null) {
      checkLeaderCompleteness(n, term);
    } else if (prev != n.id) {
      fail("election safety: nodes " + prev + " and " + n.id + " both lead term " + term);
    }
  }

  /** Leader completeness: a new leader holds every entry applied anywhere. Raft paper 5.4. */
  private void checkLeaderCompleteness(SimNode n, long term) {
    LogReader log = n.store.group(0);
    long first = log.firstIndex();
    long last = log.lastIndex();
    for (long i = Math.max(first, 1); i <= maxAppliedIndex; i++) {
      long[] a = applied.get(i);
      if (a == null) {
        continue;
      }
      if (i > last) {
        fail(
            "leader completeness: node "
                + n.id
                + " leads term "
                + term
                + " but its log ends at "
                + last
                + ", before applied entry "
                + i);
      }
      if (log.term(i) != a[0]) {
        fail(
            "leader completeness: node "
                + n.id
                + " leads term "
                + term
                + " with term "
                + log.term(i)
                + " at "
                + i
                + " where term "
                + a[0]
                + " was applied");
      }
    }
  }

  /** State machine safety and monotonic indexes after a node applied entries. Raft paper 5.4.3. */
  void onApplied(SimNode n, List<Entry> entries) {
    for (Entry e : entries) {
      long[] mine = {e.term(), SimStateMachine.entryHash(e)};
      long[] prev = applied.putIfAbsent(e.index(), mine);
      if (prev != null && (prev[0] != mine[0] || prev[1] != mine[1])) {
        fail(
            "state machine safety: node "
                + n.id
                + " applied term "
                + e.term()
                + " at "
                + e.index()
                + " where term "
                + prev[0]
                + " (or other data) was applied before");
      }
      maxAppliedIndex = Math.max(maxAppliedIndex, e.index());
    }
    checkState(n);
  }

  /** The application state after applying through an index is the same on every node. */
  void checkState(SimNode n) {
    long idx = n.sm.lastIndex;
    if (idx == 0) {
      return;
    }
    Long prev = stateHashes.putIfAbsent(idx, n.sm.hash);
    if (prev != null && prev != n.sm.hash) {
      fail("state machine safety: node " + n.id + " holds a different state at index " + idx);
    }
  }

  /** Commit and apply never go backwards within one node lifetime. */
  void onProgress(SimNode n) {
    long c = n.raft.commitIndex();
    if (c < n.lastCommit) {
      fail("commit index of node " + n.id + " went back from " + n.lastCommit + " to " + c);
    }
    if (n.sm.lastIndex < n.lastApplied) {
      fail(
          "applied index of node "
              + n.id
              + " went back from "
              + n.lastApplied
              + " to "
              + n.sm.lastIndex);
    }
    n.lastCommit = c;
    n.lastApplied = n.sm.lastIndex;
    maxCommitSeen = Math.max(maxCommitSeen, c);
  }

  /**
   * Log matching: if two logs hold an entry with the same index and term, they are identical up to
   * it. Raft paper 5.3. Compares the durable logs of every pair of nodes.
   */
  void checkLogMatching(Collection<SimNode> nodes) {
    SimNode[] ns = nodes.toArray(new SimNode[0]);
    for (int a = 0; a < ns.length; a++) {
      for (int b = a + 1; b < ns.length; b++) {
        checkPair(ns[a], ns[b]);
      }
    }
  }

  private static void checkPair(SimNode x, SimNode y) {
    LogReader lx = x.store.group(0);
    LogReader ly = y.store.group(0);
    long lo = Math.max(lx.firstIndex(), ly.firstIndex());
    long hi = Math.min(lx.lastIndex(), ly.lastIndex());
    if (lo > hi) {
      return;
    }
    long match = -1;
    for (long i = hi; i >= lo; i--) {
      if (lx.term(i) == ly.term(i)) {
        match = i;
        break;
      }
    }
    if (match < 0) {
      return;
    }
    List<Entry> ex;
    List<Entry> ey;
    try {
      ex = lx.entries(lo, match + 1, Long.MAX_VALUE);
      ey = ly.entries(lo, match + 1, Long.MAX_VALUE);
    } catch (LogCompactedException e) {
      return;
    }
    for (int i = 0; i < ex.size(); i++) {
      if (!ex.get(i).equals(ey.get(i))) {
        fail(
            "log matching: nodes "
                + x.id
                + " and "
                + y.id
                + " agree at index "
                + match
                + " but differ at "
                + ex.get(i).index()
                + ": "
                + ex.get(i)
                + " vs "
                + ey.get(i));
      }
    }
  }
}
