package io.crema.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.Message;
import io.crema.raft.MessageType;
import org.junit.jupiter.api.Test;

/** Leader election, pre-vote and check-quorum. */
class ElectionTest {

  /** A node that hears nothing campaigns after its randomised timeout and wins. Raft paper 5.2. */
  @Test
  void followerCampaignsAfterElectionTimeoutAndWins() {
    Network net = Network.of(1, 2, 3);
    assertEquals(0, net.leader());
    // Randomised timeout is in [electionTick, 2 * electionTick): 20 ticks always suffice.
    net.tick(1, 20);
    assertEquals(1, net.leader());
    assertEquals(Role.FOLLOWER, net.raft(2).role());
    assertEquals(1, net.raft(2).leader());
    assertEquals(net.raft(1).term(), net.raft(2).term());
  }

  /** Without a quorum of votes, no leader is elected. Raft paper 5.2. */
  @Test
  void candidateWithoutQuorumDoesNotWin() {
    Network net = new Network(b -> b.preVote(false), 1, 2, 3);
    net.isolate(2);
    net.isolate(3);
    net.campaign(1);
    assertEquals(Role.CANDIDATE, net.raft(1).role());
    assertEquals(0, net.leader());
  }

  /** One vote per term: a node that voted for 1 rejects 3 in the same term. Raft paper 5.2. */
  @Test
  void nodeVotesAtMostOncePerTerm() {
    Network net = new Network(b -> b.preVote(false).checkQuorum(false), 1, 2, 3);
    net.isolate(3);
    net.campaign(1);
    assertEquals(1, net.leader());
    long term = net.raft(1).term();
    // Node 3, in the same term as 1's election, asks 2 for a vote: 2 already voted for 1.
    net.heal();
    net.raft(2)
        .step(
            Message.builder(MessageType.VOTE)
                .from(3)
                .to(2)
                .term(term)
                .index(100)
                .logTerm(term)
                .build());
    Ready rd = net.raft(2).ready();
    Message resp =
        rd.messagesAfterPersist().stream()
            .filter(m -> m.type() == MessageType.VOTE_RESPONSE)
            .findFirst()
            .orElseThrow();
    assertTrue(resp.reject());
    net.raft(2).advance(rd);
  }

  /** A candidate whose log is behind gets no vote. Raft paper 5.4.1. */
  @Test
  void voteRequiresUpToDateLog() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(3);
    net.propose(1, "a");
    net.propose(1, "b");
    net.heal();
    net.isolate(1);
    // 3 missed "a" and "b": 2 refuses it, so 3 cannot win even after timeouts.
    net.tick(3, 30);
    assertNotEquals(Role.LEADER, net.raft(3).role());
    // 2 has the log: it can win.
    net.tick(2, 30);
    assertEquals(Role.LEADER, net.raft(2).role());
  }

  /** A partitioned node with pre-vote does not inflate its term. Raft thesis 9.6. */
  @Test
  void preVotePreventsTermInflationByPartitionedNode() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    long term = net.raft(1).term();
    net.isolate(3);
    net.tick(3, 100);
    assertEquals(term, net.raft(3).term());
    assertEquals(Role.PRE_CANDIDATE, net.raft(3).role());
    net.heal();
    net.tickAll(5);
    // Rejoining does not disrupt the leader.
    assertEquals(1, net.leader());
    assertEquals(term, net.raft(1).term());
  }

  /** Without pre-vote the same partition does inflate the term (the check above can fail). */
  @Test
  void withoutPreVoteTermGrows() {
    Network net = new Network(b -> b.preVote(false), 1, 2, 3);
    net.campaign(1);
    long term = net.raft(1).term();
    net.isolate(3);
    net.tick(3, 100);
    assertTrue(net.raft(3).term() > term);
  }

  /** A leader that cannot hear a quorum steps down. Raft thesis 6.2. */
  @Test
  void checkQuorumLeaderStepsDown() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(1);
    net.tick(1, 25);
    assertEquals(Role.FOLLOWER, net.raft(1).role());
  }

  /** Without check-quorum, an isolated leader stays leader (so the check above can fail). */
  @Test
  void withoutCheckQuorumIsolatedLeaderStays() {
    Network net = new Network(b -> b.checkQuorum(false), 1, 2, 3);
    net.campaign(1);
    net.isolate(1);
    net.tick(1, 25);
    assertEquals(Role.LEADER, net.raft(1).role());
  }

  /** Followers inside the leader lease ignore vote requests. Raft thesis 4.2.3. */
  @Test
  void followersInLeaseIgnoreDisruptiveVotes() {
    Network net = new Network(b -> b.preVote(false), 1, 2, 3);
    net.campaign(1);
    long term = net.raft(1).term();
    // 3 stops hearing the leader and campaigns; 2 still hears 1, so it ignores 3.
    net.dropLink(1, 3);
    net.tick(3, 25);
    assertEquals(1, net.leader());
    assertEquals(term, net.raft(2).term());
  }

  /** A single-voter group elects itself at once. Raft paper 5.2. */
  @Test
  void singleVoterElectsItself() {
    Network net = Network.of(1);
    net.campaign(1);
    assertTrue(net.raft(1).isLeader());
    net.propose(1, "x");
    assertEquals(
        "x", new String(net.node(1).appliedData().get(0), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Learners never campaign. Raft thesis 4.2.1. */
  @Test
  void learnerDoesNotCampaign() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.addEmptyNode(4);
    net.raft(1).proposeConfChange(io.crema.raft.ConfChange.addLearner(4));
    net.settle();
    assertTrue(net.raft(4).confState().learners().length == 1);
    net.isolate(4);
    net.tick(4, 50);
    assertFalse(net.raft(4).isLeader());
    assertEquals(Role.FOLLOWER, net.raft(4).role());
  }
}
