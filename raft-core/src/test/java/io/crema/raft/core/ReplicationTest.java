package io.crema.raft.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.Entry;
import io.crema.raft.LogBatch;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.core.tracker.ProgressState;
import io.crema.raft.storage.MemoryLogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Log replication, commitment, async persistence, in-flight windows and backtracking. */
class ReplicationTest {

  private static List<String> applied(Network net, long id) {
    return net.node(id).appliedData().stream()
        .map(b -> new String(b, UTF_8))
        .collect(Collectors.toList());
  }

  /** Scenario tests that move leadership by hand run without leader leases. */
  private static Network noLease() {
    return new Network(b -> b.checkQuorum(false), 1, 2, 3);
  }

  /** Proposals on the leader are replicated, committed and applied everywhere. Raft paper 5.3. */
  @Test
  void proposalsReplicateAndApplyOnAllNodes() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    for (int i = 0; i < 10; i++) {
      net.propose(1, "v" + i);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("v" + i);
    }
    for (long id = 1; id <= 3; id++) {
      assertEquals(expected, applied(net, id), "node " + id);
    }
  }

  /** A new leader appends an empty entry of its term first. Raft paper 8. */
  @Test
  void newLeaderAppendsNoOpOfItsTerm() {
    Network net = Network.of(1, 2, 3);
    long before = net.raft(1).lastIndex();
    net.campaign(1);
    assertEquals(before + 1, net.raft(1).lastIndex());
    Entry last = net.node(1).applied.get(net.node(1).applied.size() - 1);
    assertEquals(0, last.data().length);
    assertEquals(net.raft(1).term(), last.term());
  }

  /** A minority cannot commit. Raft paper 5.3. */
  @Test
  void minorityCannotCommit() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    long commit = net.raft(1).commitIndex();
    net.isolate(2);
    net.isolate(3);
    net.propose(1, "lost");
    assertEquals(commit, net.raft(1).commitIndex());
    assertTrue(applied(net, 1).isEmpty());
  }

  /** Non-leaders refuse proposals and name the leader. Raft paper 8. */
  @Test
  void followerRefusesProposalNamingLeader() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    ProposalDroppedException e =
        assertThrows(ProposalDroppedException.class, () -> net.raft(2).propose(new byte[] {1}));
    assertEquals(ProposalDroppedException.Reason.NOT_LEADER, e.reason());
    assertEquals(1, e.leader());
    assertTrue(e.getMessage().contains("leader is node 1"), e.getMessage());
  }

  /**
   * Only entries of the current term are committed by counting replicas; older ones commit with
   * them. Raft paper 5.4.2 (figure 8).
   */
  @Test
  void leaderCommitsOnlyCurrentTermEntriesByCounting() {
    Network net = noLease();
    net.campaign(1);
    // 1 appends an entry that only it has, then loses leadership.
    net.isolate(2);
    net.isolate(3);
    net.propose(1, "old");
    long oldIndex = net.raft(1).lastIndex();
    net.heal();
    net.isolate(1);
    net.campaign(2);
    net.heal();
    // 2 is leader of a newer term; 1 rejoins and its uncommitted entry is overwritten.
    net.tickAll(3);
    assertEquals(2, net.leader());
    assertTrue(net.raft(1).commitIndex() >= oldIndex);
    assertTrue(applied(net, 1).isEmpty(), "the old-term entry was never committed");
  }

  /** A follower with a divergent suffix has it replaced by the leader's log. Raft paper 5.3. */
  @Test
  void conflictingSuffixIsOverwritten() {
    Network net = noLease();
    net.campaign(1);
    net.propose(1, "a");
    net.isolate(1);
    for (int i = 0; i < 5; i++) {
      net.raft(1).propose(("x" + i).getBytes(UTF_8));
    }
    net.settle();
    net.heal();
    net.isolate(1);
    net.campaign(2);
    net.propose(2, "b");
    net.heal();
    net.tickAll(3);
    net.propose(2, "c");
    assertEquals(List.of("a", "b", "c"), applied(net, 1));
    assertEquals(applied(net, 2), applied(net, 1));
  }

  /**
   * A far-behind follower with a long conflicting suffix is repaired in few round trips: the
   * rejection hint skips a whole term at a time. Raft paper 5.3 (optimisation).
   */
  @Test
  void backtrackingSkipsWholeTerms() {
    Network net = noLease();
    net.campaign(1);
    net.isolate(1);
    for (int i = 0; i < 200; i++) {
      net.raft(1).propose(("stale" + i).getBytes(UTF_8));
    }
    net.settle();
    net.heal();
    net.isolate(1);
    net.campaign(2);
    for (int i = 0; i < 50; i++) {
      net.propose(2, "new" + i);
    }
    net.heal();
    net.delivered.clear();
    net.tickAll(2);
    long rejections =
        net.delivered.stream()
            .filter(m -> m.type() == MessageType.APPEND_RESPONSE && m.reject() && m.from() == 1)
            .count();
    assertTrue(rejections <= 2, "rejections: " + rejections);
    assertEquals(applied(net, 2), applied(net, 1));
  }

  /** The leader sends appends before its own append is durable. Raft thesis 10.2.1. */
  @Test
  void leaderSendsAppendsBeforeItsOwnPersistence() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    RaftNode leader = net.raft(1);
    leader.propose("p".getBytes(UTF_8));
    Ready rd = leader.ready();
    assertEquals(1, rd.entries().size());
    assertTrue(
        rd.messages().stream().anyMatch(m -> m.type() == MessageType.APPEND),
        "appends must be in the send-now list");
    assertTrue(rd.messagesAfterPersist().stream().noneMatch(m -> m.type() == MessageType.APPEND));
    // Both followers acknowledge; the leader's own entry is not durable yet, but two of three
    // acknowledgements suffice.
    long index = rd.entries().get(0).index();
    for (long f = 2; f <= 3; f++) {
      leader.step(
          Message.builder(MessageType.APPEND_RESPONSE)
              .from(f)
              .to(1)
              .term(leader.term())
              .index(index)
              .build());
    }
    assertEquals(index, leader.commitIndex());
    // Committed, but not applied before the leader's own append is durable.
    assertTrue(leader.ready().committedEntries().isEmpty());
    MemoryLogStore store = net.node(1).store;
    store.append(rd.addTo(new LogBatch(), 0));
    store.sync();
    leader.advance(rd);
    Ready next = leader.ready();
    assertEquals(index, next.committedEntries().get(0).index());
  }

  /** The leader's own acknowledgement counts only once durable. Raft thesis 10.2.1. */
  @Test
  void leaderSelfAckWaitsForDurability() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    RaftNode leader = net.raft(1);
    long commit = leader.commitIndex();
    leader.propose("p".getBytes(UTF_8));
    Ready rd = leader.ready();
    long index = rd.entries().get(0).index();
    // Only one follower acknowledges; the leader's own copy is not durable yet and must not count.
    leader.step(
        Message.builder(MessageType.APPEND_RESPONSE)
            .from(2)
            .to(1)
            .term(leader.term())
            .index(index)
            .build());
    // 2 of 3 would be a quorum only if the leader's undurable entry counted.
    assertEquals(commit, leader.commitIndex(), "committed before the leader's copy was durable");
    net.node(1).store.append(rd.addTo(new LogBatch(), 0));
    net.node(1).store.sync();
    leader.advance(rd);
    assertEquals(index, leader.commitIndex());
  }

  /** Followers acknowledge appends only after persisting them. Raft paper 5.3 / thesis 10.2.1. */
  @Test
  void followerAcksAfterPersist() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    RaftNode f = net.raft(2);
    f.step(
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .term(net.raft(1).term())
            .index(f.lastIndex())
            .logTerm(net.raft(1).term())
            .entries(List.of(Entry.normal(f.lastIndex() + 1, net.raft(1).term(), new byte[] {7})))
            .commit(net.raft(1).commitIndex())
            .build());
    Ready rd = f.ready();
    assertTrue(rd.messages().stream().noneMatch(m -> m.type() == MessageType.APPEND_RESPONSE));
    assertTrue(
        rd.messagesAfterPersist().stream().anyMatch(m -> m.type() == MessageType.APPEND_RESPONSE));
    assertTrue(rd.mustSync());
  }

  /** The in-flight window bounds unacknowledged appends (count). */
  @Test
  void inflightWindowBoundsUnackedAppends() {
    Network net = new Network(b -> b.maxInflightMsgs(3).maxSizePerMsg(1), 1, 2, 3);
    net.campaign(1);
    net.dropIf(m -> m.type() == MessageType.APPEND_RESPONSE);
    net.delivered.clear();
    for (int i = 0; i < 10; i++) {
      net.raft(1).propose(new byte[] {(byte) i});
      net.settle();
    }
    long appendsTo2 =
        net.delivered.stream()
            .filter(m -> m.type() == MessageType.APPEND && m.to() == 2 && !m.entries().isEmpty())
            .count();
    assertEquals(3, appendsTo2);
    assertEquals(
        ProgressState.REPLICATE.name(), net.raft(1).status().progress().get(2L).split(" ")[0]);
  }

  /** The in-flight window bounds unacknowledged bytes. */
  @Test
  void inflightWindowBoundsBytes() {
    Network net = new Network(b -> b.maxInflightBytes(1000).maxSizePerMsg(1), 1, 2, 3);
    net.campaign(1);
    net.dropIf(m -> m.type() == MessageType.APPEND_RESPONSE);
    net.delivered.clear();
    for (int i = 0; i < 10; i++) {
      net.raft(1).propose(new byte[400]);
      net.settle();
    }
    long appendsTo2 =
        net.delivered.stream()
            .filter(m -> m.type() == MessageType.APPEND && m.to() == 2 && !m.entries().isEmpty())
            .count();
    // 424 bytes each: the third message reaches 1272 >= 1000 and closes the window.
    assertEquals(3, appendsTo2);
  }

  /** Many proposals in one batch travel in one append per follower. */
  @Test
  void batchProposalTravelsInOneAppend() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.delivered.clear();
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(new byte[] {(byte) i});
    }
    net.raft(1).proposeBatch(batch);
    net.settle();
    List<Message> appends =
        net.delivered.stream()
            .filter(m -> m.type() == MessageType.APPEND && m.to() == 2 && m.entries().size() == 100)
            .collect(Collectors.toList());
    assertEquals(1, appends.size());
    assertEquals(100, net.node(3).appliedData().size());
    assertArrayEquals(new byte[] {99}, net.node(3).appliedData().get(99));
  }

  /** The uncommitted-bytes limit refuses proposals with a clear reason (back-pressure). */
  @Test
  void uncommittedLimitRefusesProposals() {
    Network net = new Network(b -> b.maxUncommittedEntriesSize(1000), 1, 2, 3);
    net.campaign(1);
    net.isolate(2);
    net.isolate(3);
    net.raft(1).propose(new byte[600]);
    ProposalDroppedException e =
        assertThrows(ProposalDroppedException.class, () -> net.raft(1).propose(new byte[600]));
    assertEquals(ProposalDroppedException.Reason.UNCOMMITTED_LIMIT, e.reason());
    assertTrue(e.getMessage().contains("1200") && e.getMessage().contains("1000"), e.getMessage());
  }

  /** A crash loses unsynced entries but never synced ones; the node rejoins. Raft paper 5.3. */
  @Test
  void restartedFollowerCatchesUp() {
    Network net = Network.of(1, 2, 3);
    net.campaign(1);
    net.propose(1, "a");
    net.crashAndRestart(3);
    net.propose(1, "b");
    net.tickAll(3);
    assertEquals(List.of("a", "b"), applied(net, 3));
  }
}
