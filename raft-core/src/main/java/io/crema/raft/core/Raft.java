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
import io.crema.raft.core.confchange.Changer;
import io.crema.raft.core.quorum.VoteResult;
import io.crema.raft.core.tracker.Progress;
import io.crema.raft.core.tracker.ProgressTracker;
import io.crema.raft.core.tracker.TrackerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state of one Raft group on one node and the behaviour shared by all roles: terms, votes,
 * elections, sending, committing and configuration. Role-specific handling lives in {@link
 * LeaderBehaviour}, {@link CandidateBehaviour} and {@link FollowerBehaviour}. Deterministic: no
 * clock, no I/O, randomness only from the seeded generator.
 */
final class Raft {
  /** Vote context marking an election started by a leadership transfer. */
  static final long CAMPAIGN_TRANSFER = 1;

  final long id;
  final long groupId;
  final RaftConfig config;
  final RaftLog log;
  final ProgressTracker tracker;
  final ReadIndexQueue readIndexQueue = new ReadIndexQueue();
  private final SplittableRandom random;

  long term;
  long vote;
  long lead;
  Role role = Role.FOLLOWER;
  private RoleBehaviour behaviour = FollowerBehaviour.INSTANCE;

  int electionElapsed;
  int heartbeatElapsed;
  private int randomizedElectionTimeout;

  /** Target of a leadership transfer in progress, or 0. */
  long leadTransferee;

  /** Index of the latest configuration change entry not known applied (leader only). */
  long pendingConfIndex;

  /** Payload bytes of uncommitted entries appended by this leader. */
  long uncommittedBytes;

  /** Outbound messages to send now and after the next persistence. */
  final List<Message> msgs = new ArrayList<>();

  final List<Message> msgsAfterPersist = new ArrayList<>();

  /** Answers to read requests, not yet handed out. */
  final List<ReadState> readStates = new ArrayList<>();

  /** Read requests that wait for the first commit of this leader's term. */
  final List<Message> readsAwaitingCommit = new ArrayList<>();

  Raft(RaftConfig config, LogReader storage) {
    this.config = config;
    this.id = config.id();
    this.groupId = config.groupId();
    this.random = new SplittableRandom(config.randomSeed());
    this.log = new RaftLog(storage, config.maxCommittedSizePerReady());
    SnapshotMeta snap = storage.snapshot();
    this.tracker =
        new ProgressTracker(
            TrackerConfig.of(snap.confState()),
            config.maxInflightMsgs(),
            config.maxInflightBytes());
    Changer.Result restored = restoreConfig(snap.confState());
    tracker.reset(restored.config(), restored.progress());
    HardState hs = storage.hardState();
    if (!hs.isEmpty()) {
      if (hs.commit() < log.committed() || hs.commit() > log.lastIndex()) {
        throw new IllegalStateException(
            "hard state commit "
                + hs.commit()
                + " is out of range ["
                + log.committed()
                + ", "
                + log.lastIndex()
                + "]");
      }
      log.commitTo(hs.commit());
      term = hs.term();
      vote = hs.vote();
    }
    if (config.applied() > 0) {
      log.appliedTo(Math.min(config.applied(), log.committed()));
    }
    becomeFollower(term, 0);
  }

  /** Builds a tracker state for a persisted membership (restart or snapshot). */
  private Changer.Result restoreConfig(ConfState cs) {
    ProgressTracker blank =
        new ProgressTracker(
            TrackerConfig.of(ConfState.EMPTY), config.maxInflightMsgs(), config.maxInflightBytes());
    long last = log.lastIndex();
    java.util.TreeMap<Long, Progress> prs = new java.util.TreeMap<>();
    for (long v : cs.voters()) {
      prs.put(v, blank.newProgress(0, last + 1, false));
    }
    for (long v : cs.votersOutgoing()) {
      prs.putIfAbsent(v, blank.newProgress(0, last + 1, false));
    }
    for (long l : cs.learners()) {
      prs.put(l, blank.newProgress(0, last + 1, true));
    }
    for (long l : cs.learnersNext()) {
      prs.putIfAbsent(l, blank.newProgress(0, last + 1, false));
    }
    return new Changer.Result(TrackerConfig.of(cs), prs);
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed());
  }

  /** Whether this node may campaign: it is a voter (in either half). */
  boolean promotable() {
    Progress p = tracker.get(id);
    return p != null && !p.learner() && tracker.isVoter(id) && !log.unstable().hasSnapshotPending();
  }

  // ---------------------------------------------------------------------------------------------
  // Role transitions

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = 0;
    }
    lead = 0;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    resetRandomizedElectionTimeout();
    leadTransferee = 0;
    tracker.resetVotes();
    long last = log.lastIndex();
    tracker.visit(
        (pid, p) -> {
          Progress fresh = tracker.newProgress(0, last + 1, p.learner());
          if (pid == id) {
            fresh.maybeUpdate(log.stableLastIndex());
          }
          tracker.replaceProgress(pid, fresh);
        });
    pendingConfIndex = 0;
    uncommittedBytes = 0;
    for (ReadIndexQueue.Request r : readIndexQueue.clear()) {
      rejectRead(r.from(), r.requestId());
    }
    for (Message m : readsAwaitingCommit) {
      rejectRead(m.from(), m.context());
    }
    readsAwaitingCommit.clear();
  }

  void becomeFollower(long newTerm, long leader) {
    reset(newTerm);
    lead = leader;
    role = Role.FOLLOWER;
    behaviour = FollowerBehaviour.INSTANCE;
  }

  void becomePreCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("invalid transition leader -> pre-candidate");
    }
    // Term and vote stay: a pre-election changes nothing durable.
    tracker.resetVotes();
    lead = 0;
    role = Role.PRE_CANDIDATE;
    behaviour = CandidateBehaviour.INSTANCE;
  }

  void becomeCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException("invalid transition leader -> candidate");
    }
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
    behaviour = CandidateBehaviour.INSTANCE;
  }

  void becomeLeader() {
    if (role == Role.FOLLOWER) {
      throw new IllegalStateException("invalid transition follower -> leader");
    }
    reset(term);
    lead = id;
    role = Role.LEADER;
    behaviour = LeaderBehaviour.INSTANCE;
    tracker.get(id).becomeReplicate();
    tracker.get(id).recentActive(true);
    // Conservatively treat every entry we have as a possible pending configuration change.
    pendingConfIndex = log.lastIndex();
    // Raft paper 5.4.2 / 8: commit an entry of the new term (a no-op) to learn the commit index.
    appendEntries(List.of(new Entry(log.lastIndex() + 1, term, EntryType.NORMAL, null)));
  }

  void resetRandomizedElectionTimeout() {
    randomizedElectionTimeout = config.electionTick() + random.nextInt(config.electionTick());
  }

  boolean pastElectionTimeout() {
    return electionElapsed >= randomizedElectionTimeout;
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  void tick() {
    behaviour.tick(this);
  }

  /** Raft paper 5.1: the term check common to every message, then the role's handling. */
  void step(Message m) {
    if (m.term() == 0) {
      // Local message.
    } else if (m.term() > term) {
      if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
        boolean force = m.context() == CAMPAIGN_TRANSFER;
        boolean inLease =
            config.checkQuorum() && lead != 0 && electionElapsed < config.electionTick();
        if (!force && inLease) {
          // Thesis 4.2.3: a node that hears from a leader ignores disruptive vote requests.
          return;
        }
      }
      if (m.type() == MessageType.PRE_VOTE) {
        // Never change term in response to a pre-vote.
      } else if (m.type() == MessageType.PRE_VOTE_RESPONSE && !m.reject()) {
        // A granted pre-vote carries the future term; we bump it when the pre-election is won.
      } else if (m.type() == MessageType.APPEND
          || m.type() == MessageType.HEARTBEAT
          || m.type() == MessageType.SNAPSHOT) {
        becomeFollower(m.term(), m.from());
      } else {
        becomeFollower(m.term(), 0);
      }
    } else if (m.term() < term) {
      if ((config.checkQuorum() || config.preVote())
          && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APPEND)) {
        // A stale leader (e.g. partitioned then healed): tell it our term so it steps down.
        send(reply(m, MessageType.APPEND_RESPONSE).build());
      } else if (m.type() == MessageType.PRE_VOTE) {
        rejectVote(m, MessageType.PRE_VOTE_RESPONSE);
      }
      return;
    }

    switch (m.type()) {
      case HUP:
        hup(m.context() == CAMPAIGN_TRANSFER);
        break;
      case VOTE:
      case PRE_VOTE:
        handleVoteRequest(m);
        break;
      case VOTE_RESPONSE:
      case PRE_VOTE_RESPONSE:
        learnCommit(m);
        behaviour.step(this, m);
        break;
      default:
        behaviour.step(this, m);
    }
  }

  /** Raft paper 5.2 and 5.4.1: grant a vote if we can and the candidate is up to date. */
  private void handleVoteRequest(Message m) {
    boolean canVote =
        vote == m.from()
            || (vote == 0 && lead == 0)
            || (m.type() == MessageType.PRE_VOTE && m.term() > term);
    MessageType respType =
        m.type() == MessageType.VOTE ? MessageType.VOTE_RESPONSE : MessageType.PRE_VOTE_RESPONSE;
    if (canVote && log.isUpToDate(m.index(), m.logTerm())) {
      // A granted vote carries the candidate's term: a pre-candidate counts it for its next term.
      send(reply(m, respType).term(m.term()).build());
      if (m.type() == MessageType.VOTE) {
        electionElapsed = 0;
        vote = m.from();
      }
    } else {
      // The rejection carries our commit index and its term: a candidate that holds that entry
      // learns that its prefix is committed (Log Matching). Without this, voters left in a joint
      // configuration after the removed leader is gone could wait forever for the news that the
      // configuration was left, needing the vote of a removed node whose log is longer.
      rejectVote(m, respType);
    }
  }

  /** Learns a commit index from a vote rejection if our log holds that entry. */
  private void learnCommit(Message m) {
    if (m.reject() && m.commit() > log.committed() && log.matchTerm(m.commit(), m.logTerm())) {
      log.commitTo(m.commit());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Elections

  void hup(boolean transfer) {
    if (role == Role.LEADER) {
      return;
    }
    if (!promotable()) {
      return;
    }
    if (hasUnappliedConfChanges()) {
      // Campaigning now could use a configuration about to change.
      return;
    }
    if (config.preVote() && !transfer) {
      campaign(true, false);
    } else {
      campaign(false, transfer);
    }
  }

  private boolean hasUnappliedConfChanges() {
    if (log.applied() >= log.committed()) {
      return false;
    }
    long lo = log.applied() + 1;
    long hi = log.committed() + 1;
    while (lo < hi) {
      List<Entry> page = log.slice(lo, hi, config.maxCommittedSizePerReady());
      for (Entry e : page) {
        if (e.type() == EntryType.CONF_CHANGE) {
          return true;
        }
      }
      lo += page.size();
    }
    return false;
  }

  void campaign(boolean pre, boolean transfer) {
    long voteTerm;
    MessageType type;
    if (pre) {
      becomePreCandidate();
      type = MessageType.PRE_VOTE;
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      type = MessageType.VOTE;
      voteTerm = term;
    }
    tracker.recordVote(id, true);
    if (tracker.tallyVotes() == VoteResult.WON) {
      // A single-voter group wins at once.
      if (pre) {
        campaign(false, transfer);
      } else {
        becomeLeader();
      }
      return;
    }
    long lastIndex = log.lastIndex();
    long lastTerm = log.lastTerm();
    for (long voter : tracker.config().voters().ids()) {
      if (voter == id) {
        continue;
      }
      send(
          msg(type)
              .to(voter)
              .term(voteTerm)
              .index(lastIndex)
              .logTerm(lastTerm)
              .context(transfer ? CAMPAIGN_TRANSFER : 0)
              .build());
    }
  }

  /** Counts a vote response; returns the result so far. */
  VoteResult poll(long from, boolean granted) {
    tracker.recordVote(from, granted);
    return tracker.tallyVotes();
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  /** A reply to m: addressed to its sender, stamped with our term. */
  /**
   * Refuses a (pre-)vote, with this node's commit index and its term: a candidate that holds that
   * entry learns the commit from it.
   */
  private void rejectVote(Message m, MessageType type) {
    long c = log.committed();
    send(reply(m, type).reject(true).commit(c).logTerm(log.term(c)).build());
  }

  Message.Builder reply(Message m, MessageType type) {
    return msg(type).to(m.from()).term(term);
  }

  /** A message of this group from this node (every outgoing message starts here). */
  Message.Builder msg(MessageType type) {
    return Message.builder(type).groupId(groupId).from(id);
  }

  /**
   * Queues a message built with {@link #msg}. Leader replication traffic goes out at once;
   * everything else (votes, acknowledgements) only after the writes it depends on are durable.
   */
  void send(Message out) {
    switch (out.type()) {
      case APPEND:
      case HEARTBEAT:
      case SNAPSHOT:
      case TIMEOUT_NOW:
      case READ_INDEX:
      case READ_INDEX_RESPONSE:
      case TRANSFER_LEADER:
        msgs.add(out);
        break;
      default:
        msgsAfterPersist.add(out);
    }
  }

  /** Answers a read request that cannot be served (no leader, leadership lost). */
  void rejectRead(long from, long requestId) {
    if (from == id || from == 0) {
      readStates.add(new ReadState(-1, requestId));
    } else {
      send(
          msg(MessageType.READ_INDEX_RESPONSE)
              .to(from)
              .term(term)
              .reject(true)
              .context(requestId)
              .build());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Log

  /** Leader: stamps and appends entries to its own log. */
  /** Leader: appends entries built at their positions (after the last index, in this term). */
  void appendEntries(List<Entry> ents) {
    long next = log.lastIndex() + 1;
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (e.index() != next + i || e.term() != term) {
        throw new IllegalArgumentException(
            "entry "
                + e.index()
                + "@"
                + e.term()
                + " is not at the next position "
                + (next + i)
                + "@"
                + term);
      }
    }
    log.append(ents);
    // The leader's own match moves only once the append is durable (see advance()).
  }

  /** Leader: commits what a quorum holds durably; true if the commit index moved. */
  boolean maybeCommit() {
    return log.maybeCommit(tracker.committed(), term);
  }

  /** Whether the leader has committed an entry of its own term (needed before serving reads). */
  boolean committedEntryInCurrentTerm() {
    return log.term(log.committed()) == term;
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  /** Applies a committed configuration change; returns the new membership. */
  ConfState applyConfChange(ConfChange cc) {
    Changer.Result result = new Changer(tracker, log.lastIndex()).apply(cc);
    return switchToConfig(result);
  }

  ConfState switchToConfig(Changer.Result result) {
    tracker.reset(result.config(), result.progress());
    ConfState cs = result.config().toConfState();
    if ((role == Role.CANDIDATE || role == Role.PRE_CANDIDATE) && !promotable()) {
      // The change removed this node (or made it a learner) while it campaigned: the election it
      // runs is for a configuration it no longer votes in, and winning it would make a leader
      // with no place in its own group (seed 304005). It stands down and waits to hear a leader.
      becomeFollower(term, 0);
      return cs;
    }
    if (role != Role.LEADER || cs.voters().length == 0) {
      return cs;
    }
    if (maybeCommit()) {
      LeaderBehaviour.INSTANCE.broadcastAppend(this);
    } else {
      tracker.visit(
          (pid, p) -> {
            if (pid != id) {
              LeaderBehaviour.INSTANCE.sendAppend(this, pid, false);
            }
          });
    }
    if (leadTransferee != 0 && !tracker.isVoter(leadTransferee)) {
      leadTransferee = 0;
    }
    LeaderBehaviour.INSTANCE.handOffIfRemoved(this);
    return cs;
  }

  /** Follower: installs a snapshot from the leader if it is newer than what we have. */
  boolean restore(SnapshotMeta s) {
    if (s.index() <= log.committed()) {
      return false;
    }
    if (role != Role.FOLLOWER) {
      becomeFollower(term + 1, 0);
      return false;
    }
    // The snapshot's configuration may predate our joining: we accept it anyway and learn our
    // membership from the entries that follow it (refusing it would leave us unable to catch up).
    if (log.matchTerm(s.index(), s.term())) {
      // We already have the entries: fast-forward the commit index.
      log.commitTo(s.index());
      return false;
    }
    log.restore(s);
    Changer.Result r = restoreConfig(s.confState());
    tracker.reset(r.config(), r.progress());
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Acknowledgements from the host

  /** The host made entries up to (index, term) durable. */
  void onPersisted(long index, long termOfIndex) {
    log.unstable().stableTo(index, termOfIndex);
    if (role == Role.LEADER && log.term(index) == termOfIndex) {
      Progress self = tracker.get(id);
      if (self != null && self.maybeUpdate(index) && maybeCommit()) {
        LeaderBehaviour.INSTANCE.onCommitAdvanced(this);
      }
    }
  }

  /** The host applied committed entries up to index. */
  void onApplied(long index) {
    log.appliedTo(index);
    if (role == Role.LEADER
        && tracker.config().autoLeave()
        && tracker.config().voters().isJoint()
        && index >= pendingConfIndex) {
      // Leave the joint configuration on our own (as the change asked).
      try {
        LeaderBehaviour.INSTANCE.proposeConfChange(this, ConfChange.leaveJoint());
      } catch (ProposalDroppedException e) {
        // Retried on the next apply (e.g. while a transfer is in progress).
      }
    }
  }
}
