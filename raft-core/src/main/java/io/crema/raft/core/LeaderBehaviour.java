package io.crema.raft.core;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.LogCompactedException;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.core.confchange.Changer;
import io.crema.raft.core.confchange.ConfChangeException;
import io.crema.raft.core.tracker.Progress;
import io.crema.raft.core.tracker.ProgressState;
import java.util.List;

/**
 * The leader: replication, commitment, heartbeats, reads, transfers (Raft paper 5.3, 6, thesis
 * 6.4).
 */
final class LeaderBehaviour implements RoleBehaviour {
  static final LeaderBehaviour INSTANCE = new LeaderBehaviour();

  private LeaderBehaviour() {}

  @Override
  public void tick(Raft r) {
    r.heartbeatElapsed++;
    r.electionElapsed++;
    if (r.electionElapsed >= r.config.electionTick()) {
      r.electionElapsed = 0;
      if (r.config.checkQuorum()) {
        r.step(Message.builder(MessageType.CHECK_QUORUM).from(r.id).build());
      }
      if (r.role == Role.LEADER && r.leadTransferee != 0) {
        // Thesis 3.10: the transfer did not finish within an election timeout; give up.
        r.leadTransferee = 0;
      }
      if (r.role == Role.LEADER) {
        handOffIfRemoved(r);
      }
    }
    if (r.role != Role.LEADER) {
      return;
    }
    if (r.heartbeatElapsed >= r.config.heartbeatTick()) {
      r.heartbeatElapsed = 0;
      broadcastHeartbeat(r, 0);
    }
  }

  @Override
  public void step(Raft r, Message m) {
    switch (m.type()) {
      case BEAT:
        broadcastHeartbeat(r, 0);
        return;
      case CHECK_QUORUM:
        if (!r.tracker.quorumActive()) {
          // Thesis 6.2: we cannot hear a quorum; another leader may exist. Step down.
          r.becomeFollower(r.term, 0);
          return;
        }
        r.tracker.visit(
            (pid, p) -> {
              if (pid != r.id) {
                p.recentActive(false);
              }
            });
        return;
      case READ_INDEX:
        handleReadIndex(r, m);
        return;
      case TRANSFER_LEADER:
        handleTransfer(r, m.context());
        return;
      default:
        break;
    }
    Progress pr = r.tracker.get(m.from());
    if (pr == null) {
      return;
    }
    switch (m.type()) {
      case APPEND_RESPONSE:
        handleAppendResponse(r, m, pr);
        break;
      case HEARTBEAT_RESPONSE:
        handleHeartbeatResponse(r, m, pr);
        break;
      case SNAPSHOT_STATUS:
        if (pr.state() == ProgressState.SNAPSHOT) {
          if (m.reject()) {
            pr.becomeSnapshot(0);
          }
          pr.becomeProbe();
          // Wait for a heartbeat response before probing again.
          pr.sentEntries(0, 0, pr.next() - 1);
        }
        break;
      case UNREACHABLE:
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Replication (Raft paper 5.3)

  private void handleAppendResponse(Raft r, Message m, Progress pr) {
    pr.recentActive(true);
    if (m.reject()) {
      // Fast backtracking: skip to where the follower's log may agree, a term at a time.
      long nextProbe = m.rejectHint();
      if (m.logTerm() > 0) {
        nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.logTerm());
      }
      if (pr.maybeDecrTo(m.index(), nextProbe)) {
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        sendAppend(r, m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    switch (pr.state()) {
      case PROBE:
        pr.becomeReplicate();
        break;
      case SNAPSHOT:
        if (pr.match() + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
        break;
      default:
        pr.inflights().freeLe(m.index());
        break;
    }
    if (r.maybeCommit()) {
      onCommitAdvanced(r);
    } else if (wasPaused) {
      sendAppend(r, m.from(), false);
    }
    // Fill the in-flight window.
    while (sendAppend(r, m.from(), false)) {
      // keep sending
    }
    if (m.from() == r.leadTransferee && pr.match() == r.log.lastIndex()) {
      sendTimeoutNow(r, m.from());
    }
  }

  private void handleHeartbeatResponse(Raft r, Message m, Progress pr) {
    pr.recentActive(true);
    // The follower is alive: resume probing, and if it is behind send one append even through a
    // full window, so that a window whose messages were all lost recovers (the follower rejects
    // and we back off to probing).
    pr.resumeProbe();
    if (pr.match() < r.log.lastIndex() && pr.state() != ProgressState.SNAPSHOT) {
      sendAppend(r, m.from(), true, true);
    }
    if (m.context() != 0 && r.config.readOnlyOption() == ReadOnlyOption.SAFE) {
      for (ReadIndexQueue.Request req :
          r.readIndexQueue.ack(m.context(), m.from(), r.tracker.config().voters())) {
        answerRead(r, req.from(), req.requestId(), req.index());
      }
    }
  }

  /** The commit index moved: tell everyone, and serve reads that waited for it. */
  void onCommitAdvanced(Raft r) {
    broadcastAppend(r);
    if (!r.readsAwaitingCommit.isEmpty() && r.committedEntryInCurrentTerm()) {
      List<Message> waiting = List.copyOf(r.readsAwaitingCommit);
      r.readsAwaitingCommit.clear();
      for (Message m : waiting) {
        handleReadIndex(r, m);
      }
    }
  }

  /** Sends appends (or empty probes) to every peer. */
  void broadcastAppend(Raft r) {
    r.tracker.visit(
        (pid, p) -> {
          if (pid != r.id) {
            sendAppend(r, pid, true);
          }
        });
  }

  /** Sends the next append to a peer if its progress allows. Returns true if a message was sent. */
  boolean sendAppend(Raft r, long to, boolean sendIfEmpty) {
    return sendAppend(r, to, sendIfEmpty, false);
  }

  private boolean sendAppend(Raft r, long to, boolean sendIfEmpty, boolean ignoreFullWindow) {
    Progress pr = r.tracker.get(to);
    if (pr == null) {
      return false;
    }
    boolean windowFull =
        pr.state() == ProgressState.REPLICATE && pr.inflights().full() && ignoreFullWindow;
    if (pr.isPaused() && !windowFull) {
      return false;
    }
    long prevIndex = pr.next() - 1;
    long prevTerm = r.log.term(prevIndex);
    if (prevTerm == 0 && prevIndex > 0) {
      return sendSnapshot(r, to, pr);
    }
    List<Entry> ents;
    long last = r.log.lastIndex();
    if (pr.next() > last) {
      ents = List.of();
    } else {
      try {
        ents = r.log.slice(pr.next(), last + 1, r.config.maxSizePerMsg());
      } catch (LogCompactedException e) {
        return sendSnapshot(r, to, pr);
      }
    }
    if (windowFull) {
      // Only an empty probe may pass a full window.
      ents = List.of();
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    long bytes = 0;
    for (Entry e : ents) {
      bytes += e.sizeBytes();
    }
    r.send(
        r.msg(MessageType.APPEND)
            .to(to)
            .term(r.term)
            .index(prevIndex)
            .logTerm(prevTerm)
            .entries(ents)
            .commit(r.log.committed())
            .build());
    pr.sentEntries(
        ents.size(), bytes, ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index());
    return true;
  }

  private boolean sendSnapshot(Raft r, long to, Progress pr) {
    if (!pr.recentActive()) {
      // Do not send a snapshot to a peer we have not heard from lately.
      return false;
    }
    SnapshotMeta snap = r.log.snapshot();
    if (snap.isEmpty()) {
      throw new IllegalStateException(
          "peer "
              + to
              + " needs compacted entries but no snapshot exists (first index "
              + r.log.firstIndex()
              + ")");
    }
    r.send(r.msg(MessageType.SNAPSHOT).to(to).term(r.term).snapshot(snap).build());
    pr.becomeSnapshot(snap.index());
    return true;
  }

  /** Heartbeats carry min(commit, match) so a follower never commits past what it matches. */
  void broadcastHeartbeat(Raft r, long readRound) {
    broadcastHeartbeat(r, readRound, false);
  }

  /** Heartbeats marked quiesce: the group is idle and fully replicated. */
  void broadcastQuiesce(Raft r) {
    broadcastHeartbeat(r, 0, true);
  }

  private void broadcastHeartbeat(Raft r, long readRound, boolean quiesce) {
    r.tracker.visit(
        (pid, p) -> {
          if (pid != r.id) {
            r.send(
                r.msg(MessageType.HEARTBEAT)
                    .to(pid)
                    .term(r.term)
                    .commit(Math.min(p.match(), r.log.committed()))
                    .context(readRound)
                    .reject(quiesce)
                    .build());
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Proposals

  private static void refuseDuringTransfer(Raft r) {
    if (r.leadTransferee != 0) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.LEADER_TRANSFER_IN_PROGRESS,
          r.lead,
          "leadership is being transferred to node " + r.leadTransferee + "; retry shortly");
    }
  }

  /** Appends client entries and replicates them. */
  void propose(Raft r, List<Entry> ents) {
    refuseDuringTransfer(r);
    if (r.tracker.get(r.id) == null) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.NOT_A_VOTER, 0, "this leader was removed from the group");
    }
    long bytes = 0;
    for (Entry e : ents) {
      bytes += e.data().length;
    }
    long limit = r.config.maxUncommittedEntriesSize();
    if (limit > 0 && r.uncommittedBytes > 0 && r.uncommittedBytes + bytes > limit) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.UNCOMMITTED_LIMIT,
          r.lead,
          "uncommitted entries would reach "
              + (r.uncommittedBytes + bytes)
              + " bytes, over the limit of "
              + limit);
    }
    for (Entry e : ents) {
      if (e.type() == EntryType.CONF_CHANGE) {
        throw new ProposalDroppedException(
            ProposalDroppedException.Reason.INVALID_REQUEST,
            r.lead,
            "configuration changes go through proposeConfChange");
      }
    }
    r.uncommittedBytes += bytes;
    r.appendEntries(ents);
    broadcastAppend(r);
  }

  /** Validates a configuration change against the current one and proposes it. */
  void proposeConfChange(Raft r, ConfChange cc) {
    refuseDuringTransfer(r);
    if (r.pendingConfIndex > r.log.applied()) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.INVALID_CONF_CHANGE,
          r.lead,
          "a configuration change at index "
              + r.pendingConfIndex
              + " is not applied yet (applied "
              + r.log.applied()
              + "); one change at a time");
    }
    try {
      new Changer(r.tracker, r.log.lastIndex()).apply(cc);
    } catch (ConfChangeException e) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.INVALID_CONF_CHANGE, r.lead, e.getMessage());
    }
    r.appendEntries(
        List.of(new Entry(r.log.lastIndex() + 1, r.term, EntryType.CONF_CHANGE, cc.encode())));
    r.pendingConfIndex = r.log.lastIndex();
    broadcastAppend(r);
  }

  // ---------------------------------------------------------------------------------------------
  // Reads (thesis 6.4)

  private void handleReadIndex(Raft r, Message m) {
    if (r.tracker.isSingleton(r.id)) {
      answerRead(r, m.from(), m.context(), r.log.committed());
      return;
    }
    if (!r.committedEntryInCurrentTerm()) {
      // Our commit index may be behind until an entry of our term commits.
      r.readsAwaitingCommit.add(m);
      return;
    }
    if (r.config.readOnlyOption() == ReadOnlyOption.LEASE_BASED) {
      answerRead(r, m.from(), m.context(), r.log.committed());
      return;
    }
    r.readIndexQueue.add(m.from(), m.context(), r.log.committed());
  }

  /** Starts a heartbeat round for reads queued since the last one (one round per batch). */
  void flushReadRound(Raft r) {
    if (r.readIndexQueue.needsRound()) {
      broadcastHeartbeat(r, r.readIndexQueue.startRound(r.id));
    }
  }

  private void answerRead(Raft r, long from, long requestId, long index) {
    if (from == r.id || from == 0) {
      r.readStates.add(new ReadState(index, requestId));
    } else {
      r.send(
          r.msg(MessageType.READ_INDEX_RESPONSE)
              .to(from)
              .term(r.term)
              .index(index)
              .context(requestId)
              .build());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Leadership transfer (thesis 3.10)

  private void handleTransfer(Raft r, long transferee) {
    Progress pr = r.tracker.get(transferee);
    if (pr == null || pr.learner() || !r.tracker.isVoter(transferee)) {
      return;
    }
    if (r.leadTransferee != 0) {
      if (r.leadTransferee == transferee) {
        return;
      }
      r.leadTransferee = 0;
    }
    if (transferee == r.id) {
      return;
    }
    r.electionElapsed = 0;
    r.leadTransferee = transferee;
    if (pr.match() == r.log.lastIndex()) {
      sendTimeoutNow(r, transferee);
    } else {
      sendAppend(r, transferee, true);
    }
  }

  /**
   * A leader that applied a configuration without itself as voter keeps leading (so that the
   * remaining voters learn that the change committed) and hands leadership to the most up-to-date
   * remaining voter, retrying every election timeout. Stepping down at once instead can leave the
   * remaining voters in a joint configuration that needs the removed node's vote, which its longer
   * log then refuses: no leader could ever be elected.
   */
  void handOffIfRemoved(Raft r) {
    if (!r.config.stepDownOnRemoval() || r.tracker.isVoter(r.id) || r.leadTransferee != 0) {
      return;
    }
    long best = 0;
    long bestMatch = -1;
    for (long v : r.tracker.config().voters().ids()) {
      Progress p = r.tracker.get(v);
      if (p != null && p.match() > bestMatch) {
        best = v;
        bestMatch = p.match();
      }
    }
    if (best != 0) {
      handleTransfer(r, best);
    }
  }

  private void sendTimeoutNow(Raft r, long to) {
    r.send(r.msg(MessageType.TIMEOUT_NOW).to(to).term(r.term).build());
  }
}
