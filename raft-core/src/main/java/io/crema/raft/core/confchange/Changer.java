package io.crema.raft.core.confchange;

import io.crema.raft.ConfChange;
import io.crema.raft.core.quorum.JointConfig;
import io.crema.raft.core.quorum.MajorityConfig;
import io.crema.raft.core.tracker.Progress;
import io.crema.raft.core.tracker.ProgressTracker;
import io.crema.raft.core.tracker.TrackerConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the configuration that a {@link ConfChange} leads to, from a tracker's current one.
 * Pure: the tracker is only read. New members start probing from {@code lastIndex}.
 */
public final class Changer {
  /** A configuration and the progress of its members. */
  public record Result(TrackerConfig config, Map<Long, Progress> progress) {}

  private final ProgressTracker tracker;
  private final long lastIndex;

  public Changer(ProgressTracker tracker, long lastIndex) {
    this.tracker = tracker;
    this.lastIndex = lastIndex;
  }

  /**
   * Applies a change: leave joint, a simple change, or enter joint, as the change says.
   *
   * @throws ConfChangeException if the change is not allowed from the current configuration
   */
  public Result apply(ConfChange cc) {
    if (cc.isLeaveJoint()) {
      return leaveJoint();
    }
    if (cc.entersJoint()) {
      return enterJoint(cc);
    }
    return simple(cc);
  }

  /** Enters a joint configuration: the current voters become the outgoing half. */
  public Result enterJoint(ConfChange cc) {
    Working w = new Working();
    if (w.isJoint()) {
      throw new ConfChangeException("configuration is already joint (" + tracker.config() + ")");
    }
    if (w.incoming.isEmpty()) {
      throw new ConfChangeException("cannot make a configuration with no voters joint");
    }
    w.outgoing.addAll(w.incoming);
    w.apply(cc);
    w.autoLeave = cc.autoLeave();
    return w.finish();
  }

  /** Leaves a joint configuration: the outgoing half is dropped, learnersNext become learners. */
  public Result leaveJoint() {
    Working w = new Working();
    if (!w.isJoint()) {
      throw new ConfChangeException(
          "cannot leave joint: configuration is not joint (" + tracker.config() + ")");
    }
    for (Long id : w.learnersNext) {
      w.learners.add(id);
      w.progress.get(id).learner(true);
    }
    w.learnersNext.clear();
    for (Long id : w.outgoing) {
      if (!w.incoming.contains(id) && !w.learners.contains(id)) {
        w.progress.remove(id);
      }
    }
    w.outgoing.clear();
    w.autoLeave = false;
    return w.finish();
  }

  /** Applies a change that moves at most one voter, without joint consensus. */
  public Result simple(ConfChange cc) {
    Working w = new Working();
    if (w.isJoint()) {
      throw new ConfChangeException(
          "a simple change cannot be applied while joint ("
              + tracker.config()
              + "); leave joint first");
    }
    TreeSet<Long> before = new TreeSet<>(w.incoming);
    w.apply(cc);
    TreeSet<Long> diff = new TreeSet<>(before);
    diff.removeAll(w.incoming);
    TreeSet<Long> added = new TreeSet<>(w.incoming);
    added.removeAll(before);
    diff.addAll(added);
    if (diff.size() > 1) {
      throw new ConfChangeException(
          "more than one voter changed (" + diff + ") without joint consensus");
    }
    return w.finish();
  }

  /** A mutable copy of the configuration being changed. */
  private final class Working {
    final TreeSet<Long> incoming = new TreeSet<>();
    final TreeSet<Long> outgoing = new TreeSet<>();
    final TreeSet<Long> learners = new TreeSet<>();
    final TreeSet<Long> learnersNext = new TreeSet<>();
    final TreeMap<Long, Progress> progress = new TreeMap<>();
    boolean autoLeave;

    Working() {
      TrackerConfig c = tracker.config();
      for (long id : c.voters().incoming().ids()) {
        incoming.add(id);
      }
      for (long id : c.voters().outgoing().ids()) {
        outgoing.add(id);
      }
      for (long id : c.learners()) {
        learners.add(id);
      }
      for (long id : c.learnersNext()) {
        learnersNext.add(id);
      }
      autoLeave = c.autoLeave();
      tracker.progress().forEach((id, p) -> progress.put(id, p.copy()));
    }

    boolean isJoint() {
      return !outgoing.isEmpty();
    }

    void apply(ConfChange cc) {
      for (ConfChange.Change ch : cc.changes()) {
        switch (ch.type()) {
          case ADD_VOTER:
            makeVoter(ch.nodeId());
            break;
          case ADD_LEARNER:
            makeLearner(ch.nodeId());
            break;
          case REMOVE_NODE:
            remove(ch.nodeId());
            break;
          default:
            throw new ConfChangeException("unknown change type " + ch.type());
        }
      }
      if (incoming.isEmpty()) {
        throw new ConfChangeException(
            "change " + cc + " removes all voters: a group with no voters has no quorum");
      }
    }

    void makeVoter(long id) {
      Progress p = progress.get(id);
      if (p == null) {
        progress.put(id, newMember(false));
      } else {
        p.learner(false);
      }
      learners.remove(id);
      learnersNext.remove(id);
      incoming.add(id);
    }

    void makeLearner(long id) {
      Progress p = progress.get(id);
      if (p == null) {
        progress.put(id, newMember(true));
        learners.add(id);
        return;
      }
      if (learners.contains(id)) {
        return;
      }
      incoming.remove(id);
      learners.remove(id);
      learnersNext.remove(id);
      if (outgoing.contains(id)) {
        // Still votes in the outgoing half: becomes a learner only when joint is left.
        learnersNext.add(id);
      } else {
        p.learner(true);
        learners.add(id);
      }
    }

    void remove(long id) {
      if (!progress.containsKey(id)) {
        return;
      }
      incoming.remove(id);
      learners.remove(id);
      learnersNext.remove(id);
      if (!outgoing.contains(id)) {
        progress.remove(id);
      }
    }

    Progress newMember(boolean learner) {
      Progress p = tracker.newProgress(0, Math.max(lastIndex, 1), learner);
      // A new member counts as active so check-quorum does not depose the leader at once.
      p.recentActive(true);
      return p;
    }

    Result finish() {
      TrackerConfig c =
          new TrackerConfig(
              new JointConfig(
                  MajorityConfig.of(toArray(incoming)), MajorityConfig.of(toArray(outgoing))),
              toArray(learners),
              toArray(learnersNext),
              autoLeave);
      checkInvariants(c);
      return new Result(c, progress);
    }

    void checkInvariants(TrackerConfig c) {
      for (long id : c.voters().ids()) {
        requireProgress(id, "voter");
      }
      for (long id : c.learners()) {
        requireProgress(id, "learner");
        if (c.voters().outgoing().contains(id) || c.voters().incoming().contains(id)) {
          throw new ConfChangeException("node " + id + " is both learner and voter");
        }
      }
      for (long id : c.learnersNext()) {
        requireProgress(id, "next learner");
        if (!c.voters().outgoing().contains(id)) {
          throw new ConfChangeException("next learner " + id + " is not an outgoing voter");
        }
      }
      if (!c.voters().isJoint() && (c.learnersNext().length > 0 || c.autoLeave())) {
        throw new ConfChangeException("non-joint configuration with next learners or auto-leave");
      }
    }

    void requireProgress(long id, String role) {
      if (!progress.containsKey(id)) {
        throw new ConfChangeException("no progress for " + role + " " + id);
      }
    }
  }

  private static long[] toArray(TreeSet<Long> s) {
    return s.stream().mapToLong(Long::longValue).toArray();
  }
}
