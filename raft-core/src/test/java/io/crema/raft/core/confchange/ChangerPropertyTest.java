package io.crema.raft.core.confchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.core.tracker.ProgressTracker;
import io.crema.raft.core.tracker.TrackerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Configuration changes against a set model, with seeded random sequences (-Dconfchange.cases=N,
 * -Dconfchange.seed=S). Raft thesis 4.1 (single-server) and 4.3 (joint consensus).
 */
class ChangerPropertyTest {
  private static final long BASE_SEED = Long.getLong("confchange.seed", 42L);
  private static final int CASES = Integer.getInteger("confchange.cases", 3_000);

  private static ProgressTracker tracker(ConfState cs) {
    ProgressTracker t = new ProgressTracker(TrackerConfig.of(ConfState.EMPTY), 8, 0);
    TreeSet<Long> all = new TreeSet<>();
    for (long id : cs.members()) {
      all.add(id);
    }
    java.util.Map<Long, io.crema.raft.core.tracker.Progress> prs = new java.util.TreeMap<>();
    for (long id : all) {
      prs.put(id, t.newProgress(0, 1, contains(cs.learners(), id)));
    }
    t.reset(TrackerConfig.of(cs), prs);
    return t;
  }

  private static boolean contains(long[] a, long id) {
    for (long x : a) {
      if (x == id) {
        return true;
      }
    }
    return false;
  }

  private static long[] arr(TreeSet<Long> s) {
    return s.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void randomJointChangesMatchSetModel() {
    for (int c = 0; c < CASES; c++) {
      long seed = BASE_SEED + c;
      SplittableRandom rnd = new SplittableRandom(seed);
      TreeSet<Long> voters = new TreeSet<>(List.of(1L, 2L, 3L));
      TreeSet<Long> learners = new TreeSet<>();
      ProgressTracker t = tracker(ConfState.ofVoters(1, 2, 3));
      for (int step = 0; step < 10; step++) {
        List<ConfChange.Change> changes = new ArrayList<>();
        TreeSet<Long> v2 = new TreeSet<>(voters);
        TreeSet<Long> l2 = new TreeSet<>(learners);
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
          long id = 1 + rnd.nextInt(7);
          ConfChange.Type type = ConfChange.Type.values()[rnd.nextInt(3)];
          changes.add(new ConfChange.Change(type, id));
          switch (type) {
            case ADD_VOTER:
              v2.add(id);
              l2.remove(id);
              break;
            case ADD_LEARNER:
              v2.remove(id);
              l2.add(id);
              break;
            default:
              v2.remove(id);
              l2.remove(id);
          }
        }
        ConfChange cc = new ConfChange(ConfChange.Transition.JOINT_EXPLICIT, changes);
        String ctx = "seed " + seed + " step " + step + " change " + cc;
        if (v2.isEmpty()) {
          ProgressTracker fixed = t;
          assertThrows(ConfChangeException.class, () -> new Changer(fixed, 10).apply(cc), ctx);
          continue;
        }
        Changer.Result joint = new Changer(t, 10).apply(cc);
        ConfState js = joint.config().toConfState();
        assertTrue(js.isJoint(), ctx);
        assertArrayEquals(arr(v2), js.voters(), ctx);
        assertArrayEquals(arr(voters), js.votersOutgoing(), ctx);
        t.reset(joint.config(), joint.progress());
        Changer.Result left = new Changer(t, 10).leaveJoint();
        ConfState ls = left.config().toConfState();
        assertFalse(ls.isJoint(), ctx);
        assertArrayEquals(arr(v2), ls.voters(), ctx);
        assertArrayEquals(arr(l2), ls.learners(), ctx);
        // Exactly the members have progress.
        TreeSet<Long> members = new TreeSet<>(v2);
        members.addAll(l2);
        assertEquals(members, new TreeSet<>(left.progress().keySet()), ctx);
        t.reset(left.config(), left.progress());
        voters = v2;
        learners = l2;
      }
    }
  }

  @Test
  void simpleChangeRefusesTwoVoters() {
    ProgressTracker t = tracker(ConfState.ofVoters(1, 2, 3));
    ConfChange two =
        new ConfChange(
            ConfChange.Transition.AUTO,
            List.of(
                new ConfChange.Change(ConfChange.Type.ADD_VOTER, 4),
                new ConfChange.Change(ConfChange.Type.ADD_VOTER, 5)));
    ConfChangeException e =
        assertThrows(ConfChangeException.class, () -> new Changer(t, 5).simple(two));
    assertTrue(e.getMessage().contains("more than one voter"), e.getMessage());
  }

  @Test
  void leaveJointWhenNotJointRefused() {
    ProgressTracker t = tracker(ConfState.ofVoters(1, 2, 3));
    ConfChangeException e =
        assertThrows(ConfChangeException.class, () -> new Changer(t, 5).leaveJoint());
    assertTrue(e.getMessage().contains("not joint"), e.getMessage());
  }

  @Test
  void enterJointTwiceRefused() {
    ProgressTracker t = tracker(ConfState.ofVoters(1, 2, 3));
    ConfChange cc =
        new ConfChange(
            ConfChange.Transition.JOINT_IMPLICIT,
            List.of(new ConfChange.Change(ConfChange.Type.ADD_VOTER, 4)));
    Changer.Result r = new Changer(t, 5).apply(cc);
    t.reset(r.config(), r.progress());
    assertThrows(ConfChangeException.class, () -> new Changer(t, 5).apply(cc));
  }

  /** Demoting an outgoing voter makes it a learner only on leaving joint. Raft thesis 4.3. */
  @Test
  void demotedVoterBecomesLearnerOnLeave() {
    ProgressTracker t = tracker(ConfState.ofVoters(1, 2, 3));
    ConfChange demote =
        new ConfChange(
            ConfChange.Transition.JOINT_EXPLICIT,
            List.of(new ConfChange.Change(ConfChange.Type.ADD_LEARNER, 3)));
    Changer.Result r = new Changer(t, 5).apply(demote);
    ConfState js = r.config().toConfState();
    assertArrayEquals(new long[] {3}, js.learnersNext());
    assertTrue(js.isVoter(3));
    t.reset(r.config(), r.progress());
    ConfState ls = new Changer(t, 5).leaveJoint().config().toConfState();
    assertArrayEquals(new long[] {3}, ls.learners());
    assertArrayEquals(new long[] {1, 2}, ls.voters());
  }
}
