package io.crema.raft.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Membership changes (single-server and joint consensus), learners, snapshots and compaction. */
class MembershipAndCompactionTest {

  private static void assertVoters(Network net, long id, long... voters) {
    assertArrayEquals(voters, net.raft(id).confState().voters(), "voters on node " + id);
  }

  /** A new voter joins, catches up from the log and counts for quorum. Raft thesis 4.1. */
  @Test
  void addVoterCatchesUpAndCounts() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.propose(1, "before");
    net.addEmptyNode(4);
    net.raft(1).proposeConfChange(ConfChange.addVoter(4));
    net.settle();
    net.tickAll(2);
    for (long id = 1; id <= 4; id++) {
      assertVoters(net, id, 1, 2, 3, 4);
    }
    assertEquals("before", new String(net.node(4).appliedData().get(0), UTF_8));
    // With 4 voters, quorum is 3: two down means no commit.
    net.isolate(3);
    net.isolate(4);
    long commit = net.raft(1).commitIndex();
    net.propose(1, "stuck");
    assertEquals(commit, net.raft(1).commitIndex());
  }

  /** A removed voter no longer counts; a removed leader steps down. Raft thesis 4.2.2. */
  @Test
  void removeVoterAndRemovedLeaderStepsDown() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.raft(1).proposeConfChange(ConfChange.removeNode(3));
    net.settle();
    assertVoters(net, 2, 1, 2);
    net.isolate(3);
    net.propose(1, "two-of-two");
    assertEquals(1, net.node(2).appliedData().size());
    net.raft(1).proposeConfChange(ConfChange.removeNode(1));
    net.settle();
    assertVoters(net, 2, 2);
    // The removed leader hands leadership to the remaining voter (retrying each election
    // timeout until the target has applied the change and can campaign).
    net.tickAll(12);
    assertFalse(net.raft(1).isLeader());
    assertTrue(net.raft(2).isLeader());
  }

  /** Only one configuration change may be pending; the refusal says why. Raft thesis 4.1. */
  @Test
  void secondPendingChangeRefused() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.raft(1).proposeConfChange(ConfChange.addLearner(4));
    ProposalDroppedException e =
        assertThrows(
            ProposalDroppedException.class,
            () -> net.raft(1).proposeConfChange(ConfChange.addLearner(5)));
    assertEquals(ProposalDroppedException.Reason.INVALID_CONF_CHANGE, e.reason());
    assertTrue(e.getMessage().contains("not applied yet"), e.getMessage());
  }

  /** Removing every voter is refused: no quorum could exist. */
  @Test
  void changeLeavingNoVotersRefused() {
    Network net = Network.of(1);
    net.campaign(1);
    ProposalDroppedException e =
        assertThrows(
            ProposalDroppedException.class,
            () -> net.raft(1).proposeConfChange(ConfChange.removeNode(1)));
    assertTrue(e.getMessage().contains("removes all voters"), e.getMessage());
  }

  /** Changing two voters at once without joint consensus is refused. Raft thesis 4.3. */
  @Test
  void simpleChangeOfTwoVotersRefused() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    ConfChange two =
        new ConfChange(
            ConfChange.Transition.AUTO,
            List.of(
                new ConfChange.Change(ConfChange.Type.ADD_VOTER, 4),
                new ConfChange.Change(ConfChange.Type.REMOVE_NODE, 3)));
    // AUTO with two changes enters joint consensus instead of a simple change.
    assertTrue(two.entersJoint());
    net.addEmptyNode(4);
    net.raft(1).proposeConfChange(two);
    net.settle();
    // Auto-leave: the leader leaves joint on its own once the joint configuration is applied.
    net.tickAll(3);
    for (long id : new long[] {1, 2, 4}) {
      ConfState cs = net.raft(id).confState();
      assertFalse(cs.isJoint(), "node " + id + " still joint: " + cs);
      assertArrayEquals(new long[] {1, 2, 4}, cs.voters());
    }
  }

  /** In a joint configuration both majorities are needed to commit. Raft thesis 4.3. */
  @Test
  void jointConsensusNeedsBothMajorities() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.addEmptyNode(4);
    net.addEmptyNode(5);
    ConfChange explicit =
        new ConfChange(
            ConfChange.Transition.JOINT_EXPLICIT,
            List.of(
                new ConfChange.Change(ConfChange.Type.ADD_VOTER, 4),
                new ConfChange.Change(ConfChange.Type.ADD_VOTER, 5),
                new ConfChange.Change(ConfChange.Type.REMOVE_NODE, 2),
                new ConfChange.Change(ConfChange.Type.REMOVE_NODE, 3)));
    net.raft(1).proposeConfChange(explicit);
    net.settle();
    ConfState cs = net.raft(1).confState();
    assertTrue(cs.isJoint(), cs.toString());
    assertArrayEquals(new long[] {1, 4, 5}, cs.voters());
    assertArrayEquals(new long[] {1, 2, 3}, cs.votersOutgoing());
    // Old majority {1,2,3} unavailable (2 and 3 cut): nothing commits though new {1,4,5} is fine.
    net.isolate(2);
    net.isolate(3);
    long commit = net.raft(1).commitIndex();
    net.propose(1, "needs-both");
    assertEquals(commit, net.raft(1).commitIndex());
    // Old majority back: commits. Then leave joint explicitly.
    net.heal();
    net.tickAll(2);
    assertTrue(net.raft(1).commitIndex() > commit);
    net.raft(1).proposeConfChange(ConfChange.leaveJoint());
    net.settle();
    assertFalse(net.raft(1).confState().isJoint());
    assertArrayEquals(new long[] {1, 4, 5}, net.raft(5).confState().voters());
  }

  /** A learner receives the log but its acknowledgements do not count. Raft thesis 4.2.1. */
  @Test
  void learnerReplicatesButDoesNotVote() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.addEmptyNode(4);
    net.raft(1).proposeConfChange(ConfChange.addLearner(4));
    net.settle();
    net.propose(1, "x");
    assertEquals(1, net.node(4).appliedData().size());
    net.isolate(2);
    net.isolate(3);
    long commit = net.raft(1).commitIndex();
    net.propose(1, "y");
    assertEquals(commit, net.raft(1).commitIndex(), "learner's ack must not count");
    // Promote the learner: it becomes a voter.
    net.heal();
    net.raft(1).proposeConfChange(ConfChange.addVoter(4));
    net.settle();
    assertVoters(net, 1, 1, 2, 3, 4);
  }

  /**
   * A follower that needs compacted entries gets a snapshot and then the rest of the log. Raft
   * paper 7.
   */
  @Test
  void laggingFollowerCatchesUpFromSnapshot() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(3);
    for (int i = 0; i < 20; i++) {
      net.propose(1, "e" + i);
    }
    net.snapshotAndCompact(1, net.raft(1).appliedIndex() + 1);
    net.propose(1, "after");
    net.heal();
    net.delivered.clear();
    net.tickAll(3);
    assertTrue(
        net.delivered.stream().anyMatch(m -> m.type() == MessageType.SNAPSHOT && m.to() == 3));
    assertEquals(21, net.node(3).appliedData().size());
    assertEquals("after", new String(net.node(3).appliedData().get(20), UTF_8));
    assertEquals(net.raft(1).commitIndex(), net.raft(3).commitIndex());
  }

  /**
   * Compacting keeps a restarted node's state consistent: it restarts from its snapshot. Raft paper
   * 7.
   */
  @Test
  void compactionThenRestartKeepsCommitted() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    for (int i = 0; i < 5; i++) {
      net.propose(1, "e" + i);
    }
    long applied = net.raft(2).appliedIndex();
    net.snapshotAndCompact(2, applied - 1);
    assertEquals(applied - 1, net.node(2).store.group(0).firstIndex());
    net.crashAndRestart(2);
    net.settle();
    assertTrue(net.raft(2).commitIndex() >= applied);
    net.propose(1, "more");
    assertEquals(applied + 1, net.raft(2).appliedIndex());
  }
}
