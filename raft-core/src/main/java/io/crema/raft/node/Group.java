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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One Raft group on a host: its algorithm, state machine, and the clients waiting on it (proposals
 * by log position, reads by read index). Host thread only.
 */
final class Group {
  /** A proposal waiting to be batched into the next append. */
  record Proposal(byte[] data, CompletableFuture<Object> future, long startNs) {}

  /** A proposal appended at (index, term), waiting for that position to be applied. */
  private record Pending(
      long index,
      long term,
      long seq,
      CompletableFuture<Object> future,
      long startNs,
      boolean conf) {}

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
  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>(Comparator.comparingLong(Pending::index).thenComparingLong(Pending::seq));
  private final Map<Long, ReadWait> readsByRequest = new HashMap<>();
  private final PriorityQueue<ReadWait> readsAwaitingApply =
      new PriorityQueue<>(Comparator.comparingLong(w -> w.index));
  private long seq;

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
      ProposalStamper stamper) {
    this.stamper = stamper;
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
  void flushProposals(long nowNs) {
    if (proposalBatch.isEmpty()) {
      return;
    }
    List<byte[]> data = new ArrayList<>(proposalBatch.size());
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
        pending.add(new Pending(first + i, term, seq++, p.future(), p.startNs(), false));
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
    proposalBatch.clear();
  }

  private static void failAll(List<Proposal> ps, RaftOperationException e) {
    for (Proposal p : ps) {
      p.future().completeExceptionally(e);
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
      pending.add(new Pending(node.lastIndex(), node.term(), seq++, future, nowNs, true));
    } catch (RaftOperationException e) {
      future.completeExceptionally(e);
    } catch (ProposalDroppedException e) {
      future.completeExceptionally(mapDropped(e));
    }
  }

  /** Resolves the proposals waiting on a position once something was applied there. */
  private void resolve(Entry e, Object result, long nowNs) {
    Pending p;
    while ((p = pending.peek()) != null && p.index() <= e.index()) {
      pending.poll();
      if (p.index() == e.index() && p.term() == e.term()) {
        long latency = nowNs - p.startNs();
        metrics.recordLatency(latency);
        listener.onProposalApplied(id, latency);
        p.future().complete(result);
      } else {
        p.future()
            .completeExceptionally(
                new RaftOperationException(
                    Reason.SUPERSEDED,
                    id,
                    node.leader(),
                    "the entry at index "
                        + p.index()
                        + " was replaced by a new leader's entry;"
                        + " it was not applied"));
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
        resolve(e, cs, nowNs);
        i++;
        continue;
      }
      int j = i;
      while (j < committed.size() && committed.get(j).type() == EntryType.NORMAL) {
        j++;
      }
      List<Entry> run = committed.subList(i, j);
      Object[] results = new Object[run.size()];
      sm.apply(run, results);
      for (int k = 0; k < run.size(); k++) {
        resolve(run.get(k), results[k], nowNs);
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

  /** After installing a snapshot: everything up to its index counts as applied. */
  void snapshotInstalled(long index, long nowNs) {
    appliedIndex = index;
    entriesSinceSnapshot = 0;
    metrics.snapshotsInstalled++;
    listener.onSnapshotInstalled(id, index);
    // Proposals at or below the snapshot index are decided by entries we will never see applied
    // here: their outcome is unknown to this node.
    Pending p;
    while ((p = pending.peek()) != null && p.index() <= index) {
      pending.poll();
      p.future()
          .completeExceptionally(
              new RaftOperationException(
                  Reason.TIMEOUT,
                  id,
                  node.leader(),
                  "a snapshot replaced the log up to "
                      + index
                      + "; the outcome of the entry at "
                      + p.index()
                      + " is unknown here (it may or may not have been applied)"));
    }
    serveReads();
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
    Pending p;
    while ((p = pending.peek()) != null && nowNs - p.startNs() > timeoutNs) {
      pending.poll();
      p.future()
          .completeExceptionally(
              new RaftOperationException(
                  Reason.TIMEOUT,
                  id,
                  node.leader(),
                  "no outcome for the entry at index "
                      + p.index()
                      + " of group "
                      + id
                      + " within "
                      + timeoutNs / 1_000_000
                      + " ms; it may or may not have been applied"));
    }
    readsByRequest
        .entrySet()
        .removeIf(
            e -> {
              if (nowNs - e.getValue().startNs <= timeoutNs) {
                return false;
              }
              RaftOperationException ex =
                  new RaftOperationException(
                      Reason.TIMEOUT,
                      id,
                      node.leader(),
                      "no read index for group " + id + " within " + timeoutNs / 1_000_000 + " ms");
              for (ReadRequest r : e.getValue().requests) {
                r.future().completeExceptionally(ex);
              }
              return true;
            });
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
    Pending p;
    while ((p = pending.poll()) != null) {
      p.future().completeExceptionally(e);
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
    return pending.size();
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
