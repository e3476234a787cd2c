package io.crema.raft.core;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.HardState;
import io.crema.raft.LogReader;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Raft group on one node: the deterministic algorithm, driven by its host. Not thread-safe; one
 * thread drives it. Inputs are {@link #tick()}, {@link #step(Message)} and the proposal and read
 * methods; outputs come out as a {@link Ready}, acknowledged with {@link #advance(Ready)}.
 *
 * <p>The node reads no clock and does no I/O: time is ticks, storage is read through the {@link
 * LogReader} given at creation and written by the host from each {@code Ready}.
 */
public final class RaftNode {
  private final Raft raft;
  private HardState lastHardState;
  private Role lastRole;
  private long lastLeader;
  private final ArrayList<Entry> proposalScratch = new ArrayList<>();

  private RaftNode(RaftConfig config, LogReader storage) {
    this.raft = new Raft(config, storage);
    this.lastHardState = raft.hardState();
    this.lastRole = raft.role;
    this.lastLeader = raft.lead;
  }

  /**
   * Creates a node over a group's storage, restoring term, vote, commit index and membership from
   * it. A new group's storage must first be bootstrapped with the initial members ({@link
   * Bootstrap}) on every initial member; a node joining an existing group starts empty and learns
   * the membership from the leader's log.
   */
  public static RaftNode create(RaftConfig config, LogReader storage) {
    return new RaftNode(config, storage);
  }

  /** Advances logical time by one tick: elections and heartbeats are counted in ticks. */
  public void tick() {
    raft.tick();
  }

  /**
   * Feeds a message received from a peer. Messages of other groups or addressed to other nodes are
   * ignored; so are local kinds, which only this class creates.
   */
  public void step(Message m) {
    if (m.type().isLocal() || m.type().isHost()) {
      return;
    }
    if (m.groupId() != raft.groupId || m.to() != raft.id) {
      return;
    }
    if (m.type().isResponse()
        && raft.tracker.get(m.from()) == null
        && m.type() != MessageType.READ_INDEX_RESPONSE) {
      // A response from a node that is no longer a member.
      return;
    }
    raft.step(m);
  }

  /** Starts an election now (if this node may campaign). */
  public void campaign() {
    raft.step(Message.builder(MessageType.HUP).from(raft.id).build());
  }

  /**
   * Proposes one command. The entry is appended and replicated if this node is the leader.
   *
   * @throws ProposalDroppedException with the reason (not leader: with the known leader) otherwise
   */
  public void propose(byte[] data) {
    requireLeader();
    LeaderBehaviour.INSTANCE.propose(
        raft, List.of(new Entry(raft.log.lastIndex() + 1, raft.term, EntryType.NORMAL, data)));
  }

  /**
   * Proposes many commands as one batch (one append, one replication round).
   *
   * @throws ProposalDroppedException with the reason; none of the batch was appended
   */
  public void proposeBatch(List<byte[]> commands) {
    requireLeader();
    if (commands.isEmpty()) {
      return;
    }
    // Built at the positions they will take; the log copies the references, so the list is
    // reused from batch to batch.
    ArrayList<Entry> ents = proposalScratch;
    long next = raft.log.lastIndex() + 1;
    for (int i = 0; i < commands.size(); i++) {
      ents.add(new Entry(next++, raft.term, EntryType.NORMAL, commands.get(i)));
    }
    try {
      LeaderBehaviour.INSTANCE.propose(raft, ents);
    } finally {
      ents.clear();
    }
  }

  /**
   * Proposes a membership change. It takes effect on each node when the host applies the committed
   * entry through {@link #applyConfChange(ConfChange)}.
   *
   * @throws ProposalDroppedException if not leader, another change is pending, or the change is
   *     invalid for the current configuration (the message says why)
   */
  public void proposeConfChange(ConfChange cc) {
    requireLeader();
    LeaderBehaviour.INSTANCE.proposeConfChange(raft, cc);
  }

  private void requireLeader() {
    if (raft.role != Role.LEADER) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.NOT_LEADER,
          raft.lead,
          "node "
              + raft.id
              + " is not the leader of group "
              + raft.groupId
              + (raft.lead == 0 ? " (no leader known)" : " (leader is node " + raft.lead + ")"));
    }
  }

  /**
   * Requests a linearizable read point. The answer comes as a {@link ReadState} with the same id in
   * a later {@link Ready}: once the state machine has applied its index, reading local state is
   * linearizable. On a follower the request goes to the leader. Requests made between two Readys
   * share one heartbeat round.
   */
  public void readIndex(long requestId) {
    raft.step(
        Message.builder(MessageType.READ_INDEX)
            .from(raft.id)
            .to(raft.id)
            .context(requestId)
            .build());
  }

  /**
   * Asks the leader to hand leadership to {@code transferee}: the leader catches it up and sends
   * TimeoutNow; proposals are refused meanwhile; it gives up after an election timeout.
   */
  public void transferLeader(long transferee) {
    if (transferee <= 0) {
      throw new IllegalArgumentException("transferee must be a node id > 0, was " + transferee);
    }
    raft.step(
        Message.builder(MessageType.TRANSFER_LEADER).from(raft.id).context(transferee).build());
  }

  /**
   * Whether this leader's group is idle and fully replicated: every member holds the whole log,
   * everything is committed and applied, and no read, transfer or configuration change is under
   * way. Only then may it {@link #quiesce()}.
   */
  public boolean canQuiesce() {
    Raft r = raft;
    if (r.role != Role.LEADER
        || r.leadTransferee != 0
        || r.readIndexQueue.size() > 0
        || !r.readsAwaitingCommit.isEmpty()
        || r.tracker.config().voters().isJoint()) {
      return false;
    }
    long last = r.log.lastIndex();
    if (r.log.committed() != last || r.log.applied() != last || r.log.stableLastIndex() != last) {
      return false;
    }
    for (io.crema.raft.core.tracker.Progress p : r.tracker.progress().values()) {
      if (p.match() != last) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sends every member a quiesce heartbeat ({@code HEARTBEAT} with {@code reject} set): the host of
   * each follower stops ticking the group until anything but another quiesce heartbeat arrives for
   * it, and the leader's host stops ticking it too. Idle groups then cost no traffic.
   *
   * @throws IllegalStateException unless {@link #canQuiesce()}
   */
  public void quiesce() {
    if (!canQuiesce()) {
      throw new IllegalStateException("group " + raft.groupId + " cannot quiesce now");
    }
    LeaderBehaviour.INSTANCE.broadcastQuiesce(raft);
  }

  /** Tells the leader that a message to a peer could not be delivered. */
  public void reportUnreachable(long peer) {
    raft.step(Message.builder(MessageType.UNREACHABLE).from(peer).build());
  }

  /** Tells the leader how sending a snapshot to a peer ended. */
  public void reportSnapshot(long peer, boolean success) {
    raft.step(Message.builder(MessageType.SNAPSHOT_STATUS).from(peer).reject(!success).build());
  }

  /**
   * Applies a committed configuration change (call it when applying its entry, in log order).
   *
   * @return the membership now in force, for the host to persist with its next snapshot
   */
  public ConfState applyConfChange(ConfChange cc) {
    return raft.applyConfChange(cc);
  }

  /** Whether there is anything for the host to do. */
  public boolean hasReady() {
    Raft r = raft;
    return !r.msgs.isEmpty()
        || !r.msgsAfterPersist.isEmpty()
        || !r.readStates.isEmpty()
        || r.log.unstable().hasNextEntries()
        || r.log.unstable().nextSnapshot() != null
        || r.log.hasNextCommitted()
        || r.readIndexQueue.needsRound()
        || r.role != lastRole
        || r.lead != lastLeader
        || hardStateChanged();
  }

  private boolean hardStateChanged() {
    return raft.term != lastHardState.term()
        || raft.vote != lastHardState.vote()
        || raft.log.committed() != lastHardState.commit();
  }

  /**
   * Collects what the host must do now and marks it handed out: a following call returns only what
   * happened since. Every Ready must be passed to {@link #advance(Ready)} once its writes are
   * durable and its committed entries applied, in order.
   */
  public Ready ready() {
    Raft r = raft;
    if (r.role == Role.LEADER) {
      LeaderBehaviour.INSTANCE.flushReadRound(r);
    }
    HardState hs = null;
    boolean voteOrTermChanged = false;
    if (hardStateChanged()) {
      hs = r.hardState();
      voteOrTermChanged = hs.term() != lastHardState.term() || hs.vote() != lastHardState.vote();
      lastHardState = hs;
    }
    List<Entry> entries = r.log.unstable().nextEntries();
    SnapshotMeta snap = r.log.unstable().nextSnapshot();
    List<Entry> committed = r.log.nextCommitted();
    r.log.unstable().acceptInProgress();
    if (!committed.isEmpty()) {
      r.log.acceptApplying(committed.get(committed.size() - 1).index());
      if (r.role == Role.LEADER) {
        long bytes = 0;
        for (Entry e : committed) {
          bytes += e.data().length;
        }
        r.uncommittedBytes = Math.max(0, r.uncommittedBytes - bytes);
      }
    }
    // A new commit index alone need not be durable (as in etcd): lost in a crash, it is learned
    // again from the leader; entries, a snapshot, a term or a vote must be.
    boolean mustSync = voteOrTermChanged || snap != null || !entries.isEmpty();
    Ready rd =
        new Ready(
            r.role,
            r.lead,
            hs,
            entries,
            snap,
            drain(r.msgs),
            drain(r.msgsAfterPersist),
            committed,
            drain(r.readStates),
            mustSync);
    lastRole = r.role;
    lastLeader = r.lead;
    return rd;
  }

  private static <T> List<T> drain(List<T> list) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<T> out = List.copyOf(list);
    list.clear();
    return out;
  }

  /**
   * Acknowledges a Ready: its writes are durable and its committed entries applied (conf changes
   * through {@link #applyConfChange}). The leader counts its own durable entries toward commit only
   * from here.
   */
  public void advance(Ready rd) {
    if (rd.snapshot() != null) {
      raft.log.unstable().stableSnapshotTo(rd.snapshot().index());
      raft.log.snapshotApplied(rd.snapshot().index());
    }
    List<Entry> es = rd.entries();
    if (!es.isEmpty()) {
      Entry last = es.get(es.size() - 1);
      raft.onPersisted(last.index(), last.term());
    }
    advanceApplied(rd);
  }

  /**
   * Acknowledges that a Ready's committed entries are applied, possibly before its writes are
   * durable: entries are handed out for applying only once durable here, so applying them need not
   * wait for the Ready's own sync (a host with asynchronous storage writes applies at once and
   * calls {@link #advance} later, which does not repeat this).
   */
  public void advanceApplied(Ready rd) {
    List<Entry> ce = rd.committedEntries();
    if (!ce.isEmpty()) {
      long last = ce.get(ce.size() - 1).index();
      if (last > raft.log.applied()) {
        raft.onApplied(last);
      }
    }
  }

  /**
   * Whether a snapshot received from the leader waits to be installed: from the step that accepts
   * it until the {@link #advance} of the Ready that carries it. The host reads that snapshot from
   * its store then, so it must not commit another received snapshot in between.
   */
  public boolean installingSnapshot() {
    return raft.log.unstable().snapshot() != null;
  }

  /** The latest snapshot known to the log (taken locally or installed). */
  public SnapshotMeta snapshotMeta() {
    return raft.log.snapshot();
  }

  /** A point-in-time view for monitoring and tests. */
  public Status status() {
    Raft r = raft;
    Map<Long, String> prs = new LinkedHashMap<>();
    if (r.role == Role.LEADER) {
      r.tracker.visit((id, p) -> prs.put(id, p.toString()));
    }
    return new Status(
        r.id,
        r.groupId,
        r.role,
        r.term,
        r.vote,
        r.lead,
        r.log.committed(),
        r.log.applied(),
        r.log.lastIndex(),
        r.leadTransferee,
        r.tracker.config().toConfState(),
        prs);
  }

  public long id() {
    return raft.id;
  }

  public long groupId() {
    return raft.groupId;
  }

  public Role role() {
    return raft.role;
  }

  public boolean isLeader() {
    return raft.role == Role.LEADER;
  }

  /** The leader this node knows of, or 0. */
  public long leader() {
    return raft.lead;
  }

  public long term() {
    return raft.term;
  }

  public long commitIndex() {
    return raft.log.committed();
  }

  public long appliedIndex() {
    return raft.log.applied();
  }

  public long lastIndex() {
    return raft.log.lastIndex();
  }

  /** The membership now in force. */
  public ConfState confState() {
    return raft.tracker.config().toConfState();
  }
}
