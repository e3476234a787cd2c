package io.crema.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.MessageType;
import org.junit.jupiter.api.Test;

/**
 * Client interaction: ReadIndex and lease reads (Raft paper 8, thesis 6.4), leadership transfer.
 */
class ReadOnlyAndTransferTest {

  /** A leader answers a read with its commit index once a heartbeat quorum confirms it. */
  @Test
  void leaderReadIndexConfirmedByHeartbeatQuorum() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.propose(1, "a");
    long commit = net.raft(1).commitIndex();
    net.delivered.clear();
    net.raft(1).readIndex(42);
    net.settle();
    assertEquals(1, net.node(1).reads.size());
    ReadState rs = net.node(1).reads.get(0);
    assertEquals(42, rs.requestId());
    assertEquals(commit, rs.index());
    assertTrue(
        net.delivered.stream()
            .anyMatch(m -> m.type() == MessageType.HEARTBEAT && m.context() != 0));
  }

  /** Without a quorum of heartbeat acks the read is not answered. Raft thesis 6.4. */
  @Test
  void leaderReadIndexWaitsForQuorum() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.raft(1).readIndex(7);
    net.settle();
    assertTrue(net.node(1).reads.isEmpty());
  }

  /** Concurrent reads between two Readys share one heartbeat round. Raft thesis 6.4 (batching). */
  @Test
  void concurrentReadsShareOneHeartbeatRound() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.delivered.clear();
    for (int i = 1; i <= 50; i++) {
      net.raft(1).readIndex(i);
    }
    net.settle();
    assertEquals(50, net.node(1).reads.size());
    long rounds =
        net.delivered.stream()
            .filter(m -> m.type() == MessageType.HEARTBEAT && m.context() != 0 && m.to() == 2)
            .count();
    assertEquals(1, rounds);
  }

  /** A follower's read is served by the leader; the answer covers every acknowledged write. */
  @Test
  void followerReadIndexViaLeader() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.propose(1, "w");
    long commit = net.raft(1).commitIndex();
    net.raft(3).readIndex(9);
    net.settle();
    assertEquals(1, net.node(3).reads.size());
    assertEquals(9, net.node(3).reads.get(0).requestId());
    assertEquals(commit, net.node(3).reads.get(0).index());
  }

  /** A read with no leader is rejected at once so the caller can retry. */
  @Test
  void readWithoutLeaderRejected() {
    Network net = Network.of(1, 2, 3);
    net.raft(2).readIndex(5);
    net.settle();
    assertEquals(1, net.node(2).reads.size());
    assertTrue(net.node(2).reads.get(0).rejected());
  }

  /** A new leader answers reads only after committing an entry of its term. Raft paper 8. */
  @Test
  void newLeaderDefersReadsUntilItsTermCommits() {
    Network net = Network.of(1, 2, 3);
    net.dropIf(m -> m.type() == MessageType.APPEND_RESPONSE);
    net.campaign(1);
    assertTrue(net.raft(1).isLeader());
    net.raft(1).readIndex(1);
    net.settle();
    assertTrue(net.node(1).reads.isEmpty());
    net.heal();
    net.tickAll(2);
    assertEquals(1, net.node(1).reads.size());
    assertEquals(net.raft(1).commitIndex(), net.node(1).reads.get(0).index());
  }

  /** Lease reads answer without a round trip; they require check-quorum. Raft thesis 6.4.1. */
  @Test
  void leaseReadAnswersLocallyAndRequiresCheckQuorum() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RaftConfig.builder(1)
                    .checkQuorum(false)
                    .readOnlyOption(ReadOnlyOption.LEASE_BASED)
                    .build());
    assertTrue(e.getMessage().contains("checkQuorum"), e.getMessage());
    Network net = new Network(b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED), 1, 2, 3);
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.raft(1).readIndex(3);
    net.settle();
    assertEquals(1, net.node(1).reads.size());
  }

  /** Leadership moves to an up-to-date target via TimeoutNow. Raft thesis 3.10. */
  @Test
  void transferLeadershipToUpToDateFollower() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.propose(1, "x");
    net.raft(1).transferLeader(3);
    net.settle();
    assertEquals(3, net.leader());
    assertEquals(Role.FOLLOWER, net.raft(1).role());
  }

  /** A lagging target is caught up first, then takes over. Raft thesis 3.10. */
  @Test
  void transferCatchesUpLaggingTarget() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(3);
    for (int i = 0; i < 10; i++) {
      net.propose(1, "p" + i);
    }
    net.heal();
    net.raft(1).transferLeader(3);
    net.settle();
    net.tickAll(2);
    assertEquals(3, net.leader());
    assertEquals(10, net.node(3).appliedData().size());
  }

  /** During a transfer proposals are refused with a clear reason; it aborts after a timeout. */
  @Test
  void transferRefusesProposalsAndAbortsAfterElectionTimeout() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.isolate(3);
    net.raft(1).transferLeader(3);
    net.settle();
    ProposalDroppedException e =
        assertThrows(ProposalDroppedException.class, () -> net.raft(1).propose(new byte[] {1}));
    assertEquals(ProposalDroppedException.Reason.LEADER_TRANSFER_IN_PROGRESS, e.reason());
    assertTrue(e.getMessage().contains("node 3"), e.getMessage());
    net.tick(1, 10);
    assertEquals(0, net.raft(1).status().leadTransferee());
    net.raft(1).propose(new byte[] {2});
    net.settle();
    assertTrue(net.raft(1).isLeader());
  }

  /** A transfer request sent to a follower is forwarded to the leader. */
  @Test
  void transferRequestOnFollowerIsForwarded() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.raft(2).transferLeader(2);
    net.settle();
    assertEquals(2, net.leader());
    assertFalse(net.raft(1).isLeader());
  }
}
