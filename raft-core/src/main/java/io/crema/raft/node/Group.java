package io.crema.raft.node;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.StateMachine;
import io.crema.raft.core.ProposalDroppedException;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.ReadState;
import io.crema.raft.core.Ready;
import io.crema.raft.core.Role;
import io.crema.raft.node.RaftOperationException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One Raft group on a host: its algorithm, state machine, and the clients waiting on it (proposals
 * by log position, reads by read index). Host thread only.
 */
final class Group {
  /**
   * A proposal waiting to be batched into the next append: made here ({@code future} set), or
   * forwarded by follower {@code from} as its request {@code requestId} ({@code future} null: the
   * follower is told where the command went and completes its caller when it applies that entry).
   */
  record Proposal(byte[] data, CompletableFuture<Object> future, long from, long requestId) {
    Proposal(byte[] data, CompletableFuture<Object> future) {
      this(data, future, 0, 0);
    }
  }

  /** Reads that share one ReadIndex request. */
  private static final class ReadWait {
    final List<ReadRequest> requests;
    final long startNs;
    long index = -1;

    ReadWait(List<ReadRequest> requests, long startNs) {
      this.requests = requests;
      this.startNs = startNs;
    }
  }

  /** A read: completes with the query's value (or the read index when there is no query). */
  record ReadRequest(CompletableFuture<Object> future, Supplier<?> query) {}

  final long id;
  final RaftNode node;
  final StateMachine sm;
  final GroupMetrics metrics = new GroupMetrics();
  final GroupView view;
  private final HostListener listener;

  final List<Proposal> proposalBatch = new ArrayList<>();
  final List<ReadRequest> readBatch = new ArrayList<>();

  /** In increasing index order (see {@link #addPending}): the head is the next to be decided. */
  private final PendingQueue pending = new PendingQueue();

  /**
   * Follower side: commands this node forwarded, by the log position the leader appended them at
   * (see {@link #awaitForwarded}); in increasing index order.
   */
  private final PendingQueue forwarded = new PendingQueue();

  /** Where appended forwarded commands are reported and failed proposals answered. */
  private final Forwarding forwarding;

  private final Long2ObjectHashMap<ReadWait> readsByRequest = new Long2ObjectHashMap<>();
  private final PriorityQueue<ReadWait> readsAwaitingApply =
      new PriorityQueue<>(Comparator.comparingLong(w -> w.index));

  long appliedIndex;
  long entriesSinceSnapshot;

  /** Not ticked: the group is idle (see {@link io.crema.raft.core.RaftNode#quiesce()}). */
  boolean quiescent;

  /** Leader ticks without activity. */
  int idleTicks;

  boolean snapshotting;
  private Role lastRole;
  private long lastLeader;
  private long transferTarget;
  private CompletableFuture<Void> transferFuture;
  private long transferDeadlineNs;

  private final ProposalStamper stamper;

  Group(
      long id,
      RaftNode node,
      StateMachine sm,
      long appliedIndex,
      HostListener listener,
      ProposalStamper stamper,
      Forwarding forwarding) {
    this.stamper = stamper;
    this.forwarding = forwarding;
    this.id = id;
    this.node = node;
    this.sm = sm;
    this.appliedIndex = appliedIndex;
    this.listener = listener;
    this.lastRole = node.role();
    this.lastLeader = node.leader();
    this.view = new GroupView(id);
    view.update(node, appliedIndex);
  }

  /** Activity: tick again and restart the idle count. */
  void wake() {
    quiescent = false;
    idleTicks = 0;
  }

  // -----------------------------------------------------------------------------------------------
  // Proposals

  /** Appends this cycle's proposals as one batch, or fails them all with the reason. */
  // Reused per batch (nothing keeps them): the stamped commands, the state machine's results.
  private final List<byte[]> commandScratch = new ArrayList<>();

  private Object[] results = new Object[64];

  void flushProposals(long nowNs) {
    if (proposalBatch.isEmpty()) {
      return;
    }
    List<byte[]> data = commandScratch;
    try {
      requireLeader();
      for (Proposal p : proposalBatch) {
        data.add(stamper.stamp(id, p.data()));
      }
      node.proposeBatch(data);
      long last = node.lastIndex();
      long term = node.term();
      long first = last - proposalBatch.size() + 1;
      for (int i = 0; i < proposalBatch.size(); i++) {
        Proposal p = proposalBatch.get(i);
        if (p.future() == null) {
          forwarding.accepted(p.from(), id, p.requestId(), first + i, term);
        } else {
          addPending(first + i, term, p.future(), nowNs);
        }
      }
      metrics.proposals += proposalBatch.size();
    } catch (RaftOperationException e) {
      failAll(proposalBatch, e);
    } catch (ProposalDroppedException e) {
      failAll(proposalBatch, mapDropped(e));
    } catch (RuntimeException e) {
      failAll(
          proposalBatch,
          new RaftOperationException(
              Reason.INVALID, id, "a command could not be prepared: " + e.getMessage(), e));
    }
    data.clear();
    proposalBatch.clear();
  }

  private void failAll(List<Proposal> ps, RaftOperationException e) {
    for (Proposal p : ps) {
      forwarding.fail(p, id, e);
    }
  }

  private void requireLeader() {
    if (!node.isLeader()) {
      long leader = node.leader();
      throw new RaftOperationException(
          leader == 0 ? Reason.NO_LEADER : Reason.NOT_LEADER,
          id,
          leader,
          leader == 0
              ? "group " + id + " has no leader right now"
              : "node "
                  + node.id()
                  + " is not the leader of group "
                  + id
                  + "; node "
                  + leader
                  + " is");
    }
  }

  RaftOperationException mapDropped(ProposalDroppedException e) {
    Reason r;
    switch (e.reason()) {
      case NOT_LEADER:
        r = e.leader() == 0 ? Reason.NO_LEADER : Reason.NOT_LEADER;
        break;
      case LEADER_TRANSFER_IN_PROGRESS:
        r = Reason.LEADER_TRANSFER;
        break;
      case UNCOMMITTED_LIMIT:
        r = Reason.BACK_PRESSURE;
        break;
      case NOT_A_VOTER:
        r = Reason.NOT_LEADER;
        break;
      default:
        r = Reason.INVALID;
    }
    return new RaftOperationException(r, id, e.leader(), e.getMessage());
  }

  /** Proposes a membership change; the future completes with the new membership once applied. */
  void proposeConfChange(ConfChange cc, CompletableFuture<Object> future, long nowNs) {
    wake();
    try {
      requireLeader();
      node.proposeConfChange(cc);
      addPending(node.lastIndex(), node.term(), future, nowNs);
    } catch (RaftOperationException e) {
      future.completeExceptionally(e);
    } catch (ProposalDroppedException e) {
      future.completeExceptionally(mapDropped(e));
    }
  }

  /**
   * Queues a proposal appended at its position. Positions only grow while one leader term lasts; a
   * position at or below an older waiting one means this node lost leadership, its log was cut back
   * and it leads again: the older entries at those positions were removed from its log, and since a
   * committed entry is never removed from a later leader's log, they were never committed. They are
   * failed now, which keeps the queue ordered by index.
   */
  private void addPending(long index, long term, CompletableFuture<Object> f, long startNs) {
    while (!pending.isEmpty() && pending.lastIndex() >= index) {
      long old = pending.lastIndex();
      pending.pollLast().completeExceptionally(superseded(old));
    }
    pending.addLast(index, term, f, startNs);
  }

  private RaftOperationException superseded(long index) {
    return new RaftOperationException(
        Reason.SUPERSEDED,
        id,
        node.leader(),
        "the entry at index "
            + index
            + " was replaced by a new leader's entry; it was not applied");
  }

  /**
   * Follower side: a command this node forwarded was appended by the leader at {@code index} in
   * {@code term}; its caller completes with this node's own result when that entry is applied here
   * (replicas compute the same results), or fails if another entry is applied at that position.
   */
  void awaitForwarded(long index, long term, CompletableFuture<Object> f, long startNs) {
    if (index <= appliedIndex) {
      // The leader's word came after this node applied the position (an answer held back by
      // back-pressure): the result is gone.
      f.completeExceptionally(
          new RaftOperationException(
              Reason.TIMEOUT,
              id,
              node.leader(),
              "the leader appended the command at "
                  + index
                  + ", which was applied here before the leader said so; its outcome is unknown"
                  + " here (it may or may not have been applied)"));
      return;
    }
    forwarded.insert(index, term, f, startNs);
  }

  /**
   * Resolves what waits in {@code q} (proposals made here, or commands forwarded from here) on a
   * position once something was applied there.
   */
  private void resolve(PendingQueue q, Entry e, Object result, long nowNs) {
    while (!q.isEmpty() && q.headIndex() <= e.index()) {
      long index = q.headIndex();
      boolean same = index == e.index() && q.headTerm() == e.term();
      long latency = nowNs - q.headStartNs();
      CompletableFuture<Object> f = q.pollHead();
      if (same) {
        metrics.recordLatency(latency);
        listener.onProposalApplied(id, latency);
        f.complete(result);
      } else {
        f.completeExceptionally(superseded(index));
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Reads

  /** Sends one ReadIndex request for all reads gathered this cycle. */
  void flushReads(long requestId, long nowNs) {
    if (readBatch.isEmpty()) {
      return;
    }
    readsByRequest.put(requestId, new ReadWait(new ArrayList<>(readBatch), nowNs));
    readBatch.clear();
    node.readIndex(requestId);
  }

  private void onReadState(ReadState rs) {
    ReadWait w = readsByRequest.remove(rs.requestId());
    if (w == null) {
      return;
    }
    if (rs.rejected()) {
      RaftOperationException e =
          new RaftOperationException(
              Reason.NO_LEADER, id, node.leader(), "no leader could serve a read of group " + id);
      for (ReadRequest r : w.requests) {
        r.future().completeExceptionally(e);
      }
      return;
    }
    w.index = rs.index();
    readsAwaitingApply.add(w);
  }

  private void serveReads() {
    ReadWait w;
    while ((w = readsAwaitingApply.peek()) != null && w.index <= appliedIndex) {
      readsAwaitingApply.poll();
      for (ReadRequest r : w.requests) {
        try {
          r.future().complete(r.query() == null ? w.index : r.query().get());
        } catch (RuntimeException e) {
          r.future().completeExceptionally(e);
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Ready handling (after the host persisted the Ready's writes)

  /** Notes role and leader changes seen in a Ready. */
  void onReadyTaken(Ready rd) {
    if (rd.role() != lastRole || rd.leader() != lastLeader) {
      if (rd.role() == Role.CANDIDATE && lastRole != Role.CANDIDATE) {
        metrics.elections++;
      }
      if (rd.leader() != lastLeader) {
        metrics.leaderChanges++;
      }
      boolean wasLeader = lastRole == Role.LEADER;
      lastRole = rd.role();
      lastLeader = rd.leader();
      listener.onRoleChange(id, rd.role(), node.term(), rd.leader());
      if (wasLeader != (rd.role() == Role.LEADER)) {
        sm.onRoleChange(rd.role() == Role.LEADER, node.term());
      }
      if (transferFuture != null && rd.leader() == transferTarget) {
        transferFuture.complete(null);
        transferFuture = null;
      }
    }
  }

  /** Applies the committed entries of a persisted Ready and answers what waited on them. */
  void applyCommitted(Ready rd, long nowNs) {
    List<Entry> committed = rd.committedEntries();
    int i = 0;
    while (i < committed.size()) {
      Entry e = committed.get(i);
      if (e.type() == EntryType.CONF_CHANGE) {
        ConfState cs = node.applyConfChange(ConfChange.decode(e.data()));
        resolve(pending, e, cs, nowNs);
        resolve(forwarded, e, cs, nowNs);
        i++;
        continue;
      }
      int j = i;
      while (j < committed.size() && committed.get(j).type() == EntryType.NORMAL) {
        j++;
      }
      List<Entry> run = committed.subList(i, j);
      Object[] results = resultsFor(run.size());
      sm.apply(run, results);
      for (int k = 0; k < run.size(); k++) {
        resolve(pending, run.get(k), results[k], nowNs);
        resolve(forwarded, run.get(k), results[k], nowNs);
        results[k] = null;
      }
      i = j;
    }
    if (!committed.isEmpty()) {
      appliedIndex = committed.get(committed.size() - 1).index();
      metrics.applied += committed.size();
      entriesSinceSnapshot += committed.size();
    }
    for (ReadState rs : rd.readStates()) {
      onReadState(rs);
    }
    serveReads();
  }

  /**
   * The state machine's results array for a run of n entries, reused from run to run: the state
   * machine writes a result per entry and keeps no reference (the StateMachine contract); the array
   * may be longer than n.
   */
  private Object[] resultsFor(int n) {
    if (results.length < n) {
      results = new Object[Math.max(n, results.length * 2)];
    }
    return results;
  }

  /** After installing a snapshot: everything up to its index counts as applied. */
  void snapshotInstalled(long index, long nowNs) {
    appliedIndex = index;
    entriesSinceSnapshot = 0;
    metrics.snapshotsInstalled++;
    listener.onSnapshotInstalled(id, index);
    // Proposals at or below the snapshot index are decided by entries we will never see applied
    // here: their outcome is unknown to this node.
    failUpTo(pending, index);
    failUpTo(forwarded, index);
    serveReads();
  }

  private void failUpTo(PendingQueue q, long index) {
    while (!q.isEmpty() && q.headIndex() <= index) {
      long at = q.headIndex();
      q.pollHead()
          .completeExceptionally(
              new RaftOperationException(
                  Reason.TIMEOUT,
                  id,
                  node.leader(),
                  "a snapshot replaced the log up to "
                      + index
                      + "; the outcome of the entry at "
                      + at
                      + " is unknown here (it may or may not have been applied)"));
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Transfers and timeouts

  void transferLeadership(long target, CompletableFuture<Void> future, long deadlineNs) {
    wake();
    if (transferFuture != null) {
      transferFuture.completeExceptionally(
          new RaftOperationException(
              Reason.LEADER_TRANSFER, id, node.leader(), "superseded by a transfer to " + target));
    }
    if (node.leader() == target) {
      future.complete(null);
      return;
    }
    transferTarget = target;
    transferFuture = future;
    transferDeadlineNs = deadlineNs;
    node.transferLeader(target);
  }

  /** Fails what waited too long. */
  void expire(long nowNs, long timeoutNs) {
    expire(pending, nowNs, timeoutNs);
    expire(forwarded, nowNs, timeoutNs);
    expireReadsAndTransfer(nowNs, timeoutNs);
  }

  // Proposals start in about index order, so the head is about the oldest.
  private void expire(PendingQueue q, long nowNs, long timeoutNs) {
    while (!q.isEmpty() && nowNs - q.headStartNs() > timeoutNs) {
      long at = q.headIndex();
      q.pollHead()
          .completeExceptionally(
              new RaftOperationException(
                  Reason.TIMEOUT,
                  id,
                  node.leader(),
                  "no outcome for the entry at index "
                      + at
                      + " of group "
                      + id
                      + " within "
                      + timeoutNs / 1_000_000
                      + " ms; it may or may not have been applied"));
    }
  }

  private void expireReadsAndTransfer(long nowNs, long timeoutNs) {
    // Checked every tick for every group, quiescent ones included: nothing is allocated when no
    // read is waiting.
    if (!readsByRequest.isEmpty()) {
      for (Long2ObjectHashMap<ReadWait>.ValueIterator it = readsByRequest.values().iterator();
          it.hasNext(); ) {
        ReadWait w = it.next();
        if (nowNs - w.startNs <= timeoutNs) {
          continue;
        }
        it.remove();
        RaftOperationException ex =
            new RaftOperationException(
                Reason.TIMEOUT,
                id,
                node.leader(),
                "no read index for group " + id + " within " + timeoutNs / 1_000_000 + " ms");
        for (ReadRequest r : w.requests) {
          r.future().completeExceptionally(ex);
        }
      }
    }
    if (transferFuture != null && nowNs > transferDeadlineNs) {
      transferFuture.completeExceptionally(
          new RaftOperationException(
              Reason.TIMEOUT,
              id,
              node.leader(),
              "leadership of group "
                  + id
                  + " did not move to node "
                  + transferTarget
                  + " in time"));
      transferFuture = null;
    }
  }

  /** Fails everything still waiting (group stopped or host closed). */
  void failAllWaiting(RaftOperationException e) {
    failAll(proposalBatch, e);
    proposalBatch.clear();
    for (ReadRequest r : readBatch) {
      r.future().completeExceptionally(e);
    }
    readBatch.clear();
    while (!pending.isEmpty()) {
      pending.pollHead().completeExceptionally(e);
    }
    while (!forwarded.isEmpty()) {
      forwarded.pollHead().completeExceptionally(e);
    }
    for (ReadWait w : readsByRequest.values()) {
      w.requests.forEach(r -> r.future().completeExceptionally(e));
    }
    readsByRequest.clear();
    ReadWait w;
    while ((w = readsAwaitingApply.poll()) != null) {
      w.requests.forEach(r -> r.future().completeExceptionally(e));
    }
    if (transferFuture != null) {
      transferFuture.completeExceptionally(e);
      transferFuture = null;
    }
  }

  int pendingCount() {
    return pending.size() + forwarded.size();
  }

  Supplier<GroupStatus> status() {
    return () ->
        new GroupStatus(
            id,
            node.role(),
            node.term(),
            node.leader(),
            node.commitIndex(),
            appliedIndex,
            node.lastIndex(),
            node.confState(),
            metrics.snapshot());
  }
}
