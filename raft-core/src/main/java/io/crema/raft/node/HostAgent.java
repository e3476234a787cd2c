package io.crema.raft.node;

import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import io.crema.raft.StateMachine;
import io.crema.raft.Transport;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.Ready;
import io.crema.raft.node.RaftOperationException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The event loop of a host. One duty cycle: take client commands (batched per group), poll the
 * transport, tick when due, collect every group's Ready and write all their entries and hard states
 * as one batch, whose sync (group commit) runs on the disk thread while the loop goes on
 * (asynchronous storage writes); when a batch is durable, send what waited for it, apply, answer
 * clients and advance, batch by batch in order. Runs on one thread (dedicated, shared or the
 * caller's); everything here is confined to it except the command, snapshot-completion and sync
 * queues.
 */
final class HostAgent implements Agent {
  /** Work handed to the host thread. */
  interface Command {
    void run(HostAgent host);
  }

  /** A background snapshot write that finished. */
  private record SnapshotDone(long groupId, SnapshotMeta meta, long startNs, Throwable error) {}

  /**
   * One duty cycle's written batch, waiting for its sync: the Readies it holds are acknowledged
   * (messages after persistence, apply, advance) only once it is done. Reused from a ring.
   */
  static final class Persist {
    final ArrayList<Group> groups = new ArrayList<>();
    final ArrayList<Ready> readies = new ArrayList<>();
    final ArrayList<long[]> compactions = new ArrayList<>();
    Runnable task;
    private Throwable error;
    private volatile boolean done;

    /** The sync ran (error == null) or failed (any thread). */
    void finish(Throwable error) {
      this.error = error;
      this.done = true;
    }

    /** Runs the task here and finishes. */
    void runTask() {
      finish(run(task));
    }

    /** Runs a sync task; what it threw, or null. */
    static Throwable run(Runnable task) {
      try {
        task.run();
        return null;
      } catch (RuntimeException | Error t) {
        return t;
      }
    }

    void clear() {
      groups.clear();
      readies.clear();
      compactions.clear();
      task = null;
      error = null;
      done = false;
    }
  }

  /** Batches written and not yet acknowledged at most (the loop stops taking Readies beyond). */
  static final int MAX_PERSISTS_IN_FLIGHT = 16;

  private static final int POLL_LIMIT = 4096;
  private static final int DRAIN_LIMIT = 65_536;

  private final HostConfig config;
  private final LogStore logStore;
  private final Transport transport;
  private final SnapshotStore snapshots;
  private final Executor snapshotExecutor;
  final ManyToOneConcurrentArrayQueue<Command> commands;
  private final ManyToOneConcurrentArrayQueue<SnapshotDone> snapshotsDone =
      new ManyToOneConcurrentArrayQueue<>(1024);
  private final Long2ObjectHashMap<Group> groups = new Long2ObjectHashMap<>();
  private final Long2ObjectHashMap<GroupView> views;
  private final SnapshotTransfers transfers;
  private final Forwarding forwarding;
  private final HeartbeatCoalescer heartbeats;
  private final List<Group> dirty = new ArrayList<>();
  private final List<long[]> compactions = new ArrayList<>();
  private final LogBatch batch = new LogBatch();
  private final Persist[] persists = new Persist[MAX_PERSISTS_IN_FLIGHT];
  private long persistHead; // oldest not yet acknowledged
  private long persistTail; // next to fill
  private final Runnable wakeHost;
  private SyncThread syncThread;
  private Throwable storeFailure;
  private final List<Long> failedGroups = new ArrayList<>();
  private static final System.Logger LOG = System.getLogger(HostAgent.class.getName());
  private final Transport.Handler onMessage = this::onMessage;
  // When each peer was last heard from (primitive maps: updated for every message received).
  private static final long NEVER = Long.MIN_VALUE;
  private final Long2LongHashMap peerHeardNs = new Long2LongHashMap(NEVER);
  private final LongHashSet peers = new LongHashSet();
  private final int pingEveryTicks;
  private long ticks;
  private long nextTickNs;
  private long nextReadId = 1;
  private long nowNs;
  private boolean closed;

  HostAgent(
      HostConfig config,
      Executor snapshotExecutor,
      Long2ObjectHashMap<GroupView> views,
      Runnable wakeHost) {
    this.config = config;
    this.wakeHost = wakeHost;
    for (int i = 0; i < persists.length; i++) {
      persists[i] = new Persist();
    }
    this.logStore = config.logStore();
    this.transport = config.transport();
    this.snapshots = config.snapshotStore();
    this.snapshotExecutor = snapshotExecutor;
    this.views = views;
    this.commands = new ManyToOneConcurrentArrayQueue<>(config.queueCapacity());
    this.transfers =
        new SnapshotTransfers(
            config.nodeId(),
            transport,
            snapshots,
            config.snapshotChunkBytes(),
            config.requestTimeoutNs() / 2,
            groups::get);
    this.heartbeats = new HeartbeatCoalescer(config.nodeId(), transport);
    this.forwarding =
        new Forwarding(
            config.nodeId(), transport, config.requestTimeoutNs(), config.maxCommandBytes());
    this.nextTickNs = config.clock().nanoTime() + config.tickIntervalNs();
    this.pingEveryTicks = Math.max(1, config.electionTick() / 3);
  }

  @Override
  public String roleName() {
    return "crema-raft-host-" + config.nodeId();
  }

  long nowNs() {
    return nowNs;
  }

  Group group(long groupId) {
    return groups.get(groupId);
  }

  @Override
  public int doWork() {
    if (closed) {
      return 0;
    }
    nowNs = config.clock().nanoTime();
    int work = forwarding.resendResponses();
    work += drainCommands();
    work += flushClientBatches();
    work += transport.poll(onMessage, POLL_LIMIT);
    work += tickIfDue();
    work += processReadies();
    forwarding.flush();
    heartbeats.flush();
    transport.flush();
    return work;
  }

  // -----------------------------------------------------------------------------------------------
  // Commands

  private int drainCommands() {
    int n = 0;
    Command c;
    while (n < DRAIN_LIMIT && (c = commands.poll()) != null) {
      c.run(this);
      n++;
    }
    return n;
  }

  /** Queues a proposal into its group's batch (host thread). */
  void addProposal(long groupId, Group.Proposal p) {
    Group g = groups.get(groupId);
    RaftOperationException refusal = refusal(groupId, g);
    if (refusal != null) {
      forwarding.fail(p, groupId, refusal); // a forwarded one's refusal goes back to the follower
    } else {
      join(g).proposalBatch.add(p);
    }
  }

  /** Proposes here if this node leads the group, else forwards to the leader. */
  void addProposalViaLeader(long groupId, Group.Proposal p) {
    Group g = groups.get(groupId);
    if (g == null || g.node.isLeader() || g.node.leader() == 0) {
      addProposal(groupId, p);
      return;
    }
    g.wake();
    forwarding.forward(g, p.data(), p.future(), nowNs);
  }

  void addRead(long groupId, Group.ReadRequest r) {
    Group g = batching(groupId, r.future());
    if (g != null) {
      g.readBatch.add(r);
    }
  }

  /**
   * The group whose batch of this duty cycle a client operation joins (marked dirty and awake), or
   * null after failing the operation's future: the group is not hosted here, or the log failed.
   */
  private Group batching(long groupId, CompletableFuture<?> future) {
    Group g = groups.get(groupId);
    RaftOperationException refusal = refusal(groupId, g);
    if (refusal != null) {
      future.completeExceptionally(refusal);
      return null;
    }
    return join(g);
  }

  /** Why a client operation cannot join group {@code g}'s batch (null: not hosted), or null. */
  private RaftOperationException refusal(long groupId, Group g) {
    if (g == null) {
      return unknownGroup(groupId);
    }
    return storeFailure != null ? logFailed(groupId) : null;
  }

  /** Marks the group dirty (its batch joined this duty cycle) and awake. */
  private Group join(Group g) {
    if (g.proposalBatch.isEmpty() && g.readBatch.isEmpty()) {
      dirty.add(g);
    }
    g.wake();
    return g;
  }

  RaftOperationException unknownGroup(long groupId) {
    return new RaftOperationException(
        Reason.UNKNOWN_GROUP,
        groupId,
        0,
        "group " + groupId + " is not hosted on node " + config.nodeId());
  }

  private int flushClientBatches() {
    if (dirty.isEmpty()) {
      return 0;
    }
    for (Group g : dirty) {
      g.flushProposals(nowNs);
      g.flushReads(nextReadId++, nowNs);
    }
    int n = dirty.size();
    dirty.clear();
    return n;
  }

  // -----------------------------------------------------------------------------------------------
  // Groups

  /** Starts a group: restores its snapshot, creates its algorithm over the log. */
  void startGroup(long groupId, StateMachine sm, long[] initialVoters) throws IOException {
    if (groups.containsKey(groupId)) {
      throw new IllegalStateException("group " + groupId + " is already running on this node");
    }
    LogReader log = logStore.group(groupId);
    if (initialVoters.length > 0 && log.lastIndex() == 0 && log.hardState().isEmpty()) {
      io.crema.raft.core.Bootstrap.bootstrap(logStore, groupId, initialVoters);
      log = logStore.group(groupId);
    }
    long applied = 0;
    Optional<SnapshotStore.Stored> snap = snapshots.latest(groupId);
    if (snap.isPresent() && snap.get().meta().index() > log.snapshot().index()) {
      log = recordStoredSnapshot(groupId, log, snap.get().meta());
    }
    if (snap.isPresent()) {
      try (InputStream in = snap.get().open()) {
        sm.restore(snap.get().meta(), in);
      }
      applied = snap.get().meta().index();
    }
    RaftNode node = RaftNode.create(config.raftConfig(groupId, applied), log);
    Group g =
        new Group(groupId, node, sm, applied, config.listener(), config.stamper(), forwarding);
    groups.put(groupId, g);
    synchronized (views) {
      views.put(groupId, g.view);
    }
  }

  /**
   * A snapshot was stored but the crash came before its record in the log was durable (it is
   * written with a later batch): record it now, or the log's older membership would be taken as
   * current while the state machine starts past the changes that followed it. The snapshot's
   * entries are committed: the hard state moves up to it if it lagged (a new term carries no vote).
   */
  private LogReader recordStoredSnapshot(long groupId, LogReader log, SnapshotMeta meta) {
    HardState hs = log.hardState();
    HardState fixed =
        new HardState(
            Math.max(hs.term(), meta.term()),
            meta.term() > hs.term() ? 0 : hs.vote(),
            Math.max(hs.commit(), meta.index()));
    logStore.append(new LogBatch().add(groupId, meta, List.of(), fixed.equals(hs) ? null : fixed));
    logStore.sync();
    return logStore.group(groupId);
  }

  void stopGroup(long groupId) {
    Group g = groups.remove(groupId);
    if (g == null) {
      return;
    }
    synchronized (views) {
      views.remove(groupId);
    }
    transfers.forget(groupId);
    g.failAllWaiting(
        new RaftOperationException(Reason.SHUT_DOWN, groupId, 0, "group " + groupId + " stopped"));
    g.sm.close();
  }

  /** Takes a snapshot now (capture here, write in the background). */
  void snapshot(Group g, CompletableFuture<SnapshotMeta> future) {
    if (g.snapshotting) {
      if (future != null) {
        future.completeExceptionally(
            new RaftOperationException(
                Reason.BACK_PRESSURE,
                g.id,
                0,
                "a snapshot of group " + g.id + " is already being written"));
      }
      return;
    }
    long index = g.appliedIndex;
    LogReader log = logStore.group(g.id);
    if (index == 0 || index < log.firstIndex() - 1 || index == log.snapshot().index()) {
      if (future != null) {
        future.complete(log.snapshot());
      }
      return;
    }
    SnapshotMeta meta = new SnapshotMeta(index, log.term(index), g.node.confState());
    StateMachine.Snapshot capture = g.sm.snapshot();
    g.snapshotting = true;
    g.entriesSinceSnapshot = 0;
    long start = nowNs;
    snapshotExecutor.execute(
        () -> {
          Throwable error = null;
          try (SnapshotStore.Writer w = snapshots.create(g.id, meta)) {
            capture.writeTo(w.out());
            w.out().flush();
            w.commit();
          } catch (IOException | RuntimeException e) {
            error = e;
          }
          while (!snapshotsDone.offer(new SnapshotDone(g.id, meta, start, error))) {
            Thread.onSpinWait();
          }
          if (future != null) {
            if (error == null) {
              future.complete(meta);
            } else {
              future.completeExceptionally(
                  new RaftOperationException(
                      Reason.INTERNAL,
                      g.id,
                      "snapshot " + index + " of group " + g.id + " failed",
                      error));
            }
          }
        });
  }

  // -----------------------------------------------------------------------------------------------
  // Transport and time

  private void onMessage(Message m) {
    peerHeardNs.put(m.from(), nowNs);
    if (m.type() == MessageType.PING) {
      return;
    }
    if (m.type() == MessageType.HEARTBEAT_BATCH) {
      List<Message> unpacked;
      try {
        unpacked = HeartbeatCoalescer.decode(m);
      } catch (IllegalArgumentException e) {
        return; // malformed: dropped, Raft sends heartbeats again
      }
      for (Message h : unpacked) {
        onMessage(h);
      }
      return;
    }
    Group g = groups.get(m.groupId());
    if (g == null) {
      return;
    }
    if (m.type() == MessageType.HEARTBEAT && m.reject()) {
      // The leader says the group is idle: stop ticking it until something happens.
      g.quiescent = true;
    } else if (m.type() != MessageType.HEARTBEAT_RESPONSE) {
      g.wake();
    }
    if (m.type() == MessageType.CLIENT_REQUEST) {
      forwarding.onRequest(this, m, nowNs);
    } else if (m.type() == MessageType.CLIENT_RESPONSE) {
      forwarding.onResponse(this, m);
    } else if (m.type().isHost()) {
      transfers.onMessage(g, m, nowNs);
    } else {
      g.node.step(m);
    }
  }

  private int tickIfDue() {
    if (nowNs < nextTickNs) {
      return 0;
    }
    nextTickNs = nowNs + config.tickIntervalNs();
    ticks++;
    for (Group g : groups.values()) {
      if (!g.quiescent) {
        g.node.tick();
        maybeQuiesce(g);
      }
      g.expire(nowNs, config.requestTimeoutNs());
      if (config.snapshotEntries() > 0
          && g.entriesSinceSnapshot >= config.snapshotEntries()
          && !g.snapshotting) {
        snapshot(g, null);
      }
    }
    transfers.expire(nowNs);
    forwarding.expire(nowNs);
    if (config.quiesce() && ticks % pingEveryTicks == 0) {
      pingPeersAndWakeOrphans();
    }
    return 1;
  }

  private void maybeQuiesce(Group g) {
    if (!config.quiesce() || !g.node.isLeader()) {
      return;
    }
    if (g.pendingCount() > 0 || !g.node.canQuiesce()) {
      g.idleTicks = 0;
      return;
    }
    if (++g.idleTicks >= config.electionTick()) {
      g.node.quiesce();
      g.quiescent = true;
    }
  }

  /**
   * Node-level liveness for quiescent groups: one ping per peer per interval, whatever the number
   * of groups; a quiescent group whose leader has been silent for an election timeout wakes up (and
   * so elects a new leader if the old one is gone).
   */
  private void pingPeersAndWakeOrphans() {
    peers.clear();
    for (Group g : groups.values()) {
      for (long id : g.node.confState().members()) {
        if (id != config.nodeId()) {
          peers.add(id);
        }
      }
    }
    for (LongHashSet.LongIterator it = peers.iterator(); it.hasNext(); ) {
      long peer = it.nextValue();
      transport.send(Message.builder(MessageType.PING).from(config.nodeId()).to(peer).build());
      if (peerHeardNs.get(peer) == NEVER) {
        peerHeardNs.put(peer, nowNs);
      }
    }
    long silence = config.electionTick() * config.tickIntervalNs();
    for (Group g : groups.values()) {
      if (g.quiescent && !g.node.isLeader()) {
        long leader = g.node.leader();
        long heard = peerHeardNs.get(leader);
        if (leader == 0 || heard == NEVER || nowNs - heard > silence) {
          g.wake();
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The Ready cycle

  private Persist slot(long sequence) {
    return persists[(int) (sequence % persists.length)];
  }

  /** Whether a written batch is durable and waits to be acknowledged (host thread). */
  boolean hasDurableBatch() {
    return persistHead != persistTail && slot(persistHead).done;
  }

  private int processReadies() {
    int work = acknowledgeDurable();
    if (storeFailure != null || persistTail - persistHead == persists.length) {
      return work; // the log failed, or the disk is this far behind: take nothing new for now
    }
    Persist p = slot(persistTail);
    collectFinishedSnapshots();
    boolean mustSync = false;
    for (Group g : groups.values()) {
      if (!g.node.hasReady()) {
        continue;
      }
      Ready rd = g.node.ready();
      mustSync |= rd.mustSync();
      g.onReadyTaken(rd);
      for (Message m : rd.messages()) {
        send(g, m);
      }
      // Committed entries handed out are durable here already: apply them now, not after this
      // Ready's own sync (which only adds this cycle's writes: new entries, the commit index).
      if (!apply(g, rd)) {
        continue;
      }
      rd.addTo(batch, g.id);
      p.groups.add(g);
      p.readies.add(rd);
    }
    stopFailedGroups();
    if (batch.isEmpty() && p.readies.isEmpty() && compactions.isEmpty()) {
      return work;
    }
    // A finished local snapshot's record must be durable before the compaction it allows.
    mustSync |= !compactions.isEmpty();
    p.compactions.addAll(compactions);
    compactions.clear();
    Runnable task = LogStore.SYNCED;
    if (!batch.isEmpty()) {
      try {
        // One write for every group of this cycle; one sync covers it (group commit).
        logStore.append(batch);
        if (mustSync) {
          task = logStore.syncLater();
        }
      } catch (RuntimeException e) {
        batch.clear();
        p.clear();
        storeFailed(e);
        return work + 1;
      }
      batch.clear();
    }
    persistTail++;
    if (task == LogStore.SYNCED) {
      p.finish(null);
    } else {
      p.task = task;
      submitSync(p);
    }
    return work + 1 + acknowledgeDurable();
  }

  private void submitSync(Persist p) {
    Executor executor = config.syncExecutor();
    if (executor != null) {
      executor.execute(p::runTask);
      return;
    }
    if (syncThread == null) {
      syncThread = new SyncThread(config.nodeId(), persists.length, wakeHost);
    }
    syncThread.submit(p);
  }

  /**
   * For each written batch that is durable, oldest first: send what waited for durability, compact,
   * install snapshots, apply, answer clients and advance.
   */
  private int acknowledgeDurable() {
    int n = 0;
    while (storeFailure == null && hasDurableBatch()) {
      Persist p = slot(persistHead);
      if (p.error != null) {
        storeFailed(p.error);
        break;
      }
      acknowledge(p);
      p.clear();
      persistHead++;
      n++;
    }
    return n;
  }

  private void acknowledge(Persist p) {
    for (long[] c : p.compactions) {
      logStore.compact(c[0], c[1]);
    }
    for (int i = 0; i < p.readies.size(); i++) {
      Group g = p.groups.get(i);
      Ready rd = p.readies.get(i);
      if (groups.get(g.id) != g) {
        continue; // stopped while its write was syncing
      }
      for (Message m : rd.messagesAfterPersist()) {
        send(g, m);
      }
      if (rd.snapshot() != null) {
        // A Ready with a snapshot has no committed entries, and none are handed out after it
        // until it is acknowledged: the install keeps its place in the apply order.
        try {
          installSnapshot(g, rd.snapshot());
        } catch (RuntimeException e) {
          groupFailed(g, "installing a snapshot failed", e);
          continue;
        }
      }
      g.node.advance(rd);
      g.view.update(g.node, g.appliedIndex);
    }
    stopFailedGroups();
  }

  /** Applies a Ready's committed entries; false if the group failed doing it. */
  private boolean apply(Group g, Ready rd) {
    if (rd.committedEntries().isEmpty() && rd.readStates().isEmpty()) {
      return true;
    }
    try {
      g.applyCommitted(rd, nowNs);
    } catch (RuntimeException e) {
      groupFailed(g, "applying failed", e);
      return false;
    }
    g.node.advanceApplied(rd);
    g.view.update(g.node, g.appliedIndex);
    return true;
  }

  /**
   * The state machine broke its contract (apply and restore must not fail): this replica can no
   * longer follow the log, so the group stops (at the end of this step); the node's other groups go
   * on.
   */
  private void groupFailed(Group g, String what, RuntimeException e) {
    failedGroups.add(g.id);
    LOG.log(
        System.Logger.Level.ERROR,
        "group " + g.id + " on node " + config.nodeId() + " stopped: " + what,
        e);
  }

  private void stopFailedGroups() {
    for (long id : failedGroups) {
      Group g = groups.get(id);
      if (g != null) {
        g.failAllWaiting(
            new RaftOperationException(
                Reason.INTERNAL,
                id,
                "group "
                    + id
                    + " stopped on node "
                    + config.nodeId()
                    + ": its state machine failed",
                null));
        stopGroup(id);
      }
    }
    failedGroups.clear();
  }

  private RaftOperationException logFailed(long groupId) {
    return new RaftOperationException(
        Reason.INTERNAL,
        groupId,
        "the write-ahead log of node "
            + config.nodeId()
            + " failed; restart the node to recover: "
            + storeFailure,
        storeFailure);
  }

  /**
   * The write-ahead log failed (write or sync): what reached the disk is unknown, so this node
   * stops taking part (nothing more is acknowledged, applied or promised) and fails what waits
   * here; the other nodes go on without it. Recovery is a restart, which reads what the log really
   * holds.
   */
  private void storeFailed(Throwable e) {
    storeFailure = e;
    LOG.log(
        System.Logger.Level.ERROR,
        "the write-ahead log of node "
            + config.nodeId()
            + " failed; the node stops acknowledging and applying until restarted",
        e);
    RaftOperationException failure = logFailed(0);
    for (Group g : groups.values()) {
      g.failAllWaiting(failure);
    }
    forwarding.failAll(failure);
  }

  private void send(Group g, Message m) {
    if (m.type() == MessageType.SNAPSHOT) {
      transfers.send(g, m, nowNs);
      return;
    }
    if (HeartbeatCoalescer.coalesces(m.type())) {
      heartbeats.add(m);
      return;
    }
    if (!transport.send(m) && m.type() == MessageType.APPEND) {
      g.node.reportUnreachable(m.to());
    }
  }

  private void installSnapshot(Group g, SnapshotMeta meta) {
    try {
      Optional<SnapshotStore.Stored> stored = snapshots.latest(g.id);
      if (stored.isEmpty() || stored.get().meta().index() != meta.index()) {
        throw new IllegalStateException(
            "group "
                + g.id
                + " must install snapshot "
                + meta.index()
                + " but the store holds "
                + stored.map(s -> String.valueOf(s.meta().index())).orElse("none"));
      }
      try (InputStream in = stored.get().open()) {
        g.sm.restore(meta, in);
      }
      g.snapshotInstalled(meta.index(), nowNs);
    } catch (IOException e) {
      throw new IllegalStateException(
          "group " + g.id + " could not install snapshot " + meta.index(), e);
    }
  }

  private void collectFinishedSnapshots() {
    SnapshotDone d;
    while ((d = snapshotsDone.poll()) != null) {
      Group g = groups.get(d.groupId());
      if (g == null) {
        continue;
      }
      g.snapshotting = false;
      if (d.error() != null) {
        continue;
      }
      // Record the snapshot in the log, then (after this cycle's sync) drop what it covers.
      batch.add(g.id, d.meta(), List.of(), null);
      long keepFrom = Math.max(1, d.meta().index() + 1 - config.snapshotKeepEntries());
      compactions.add(new long[] {g.id, keepFrom});
      long duration = nowNs - d.startNs();
      g.metrics.snapshotsTaken++;
      g.metrics.lastSnapshotNs = duration;
      config.listener().onSnapshotTaken(g.id, d.meta().index(), duration);
    }
  }

  @Override
  public void onClose() {
    closed = true;
    RaftOperationException e =
        new RaftOperationException(
            Reason.SHUT_DOWN, 0, 0, "the host of node " + config.nodeId() + " is closed");
    Command c;
    while ((c = commands.poll()) != null) {
      c.run(this);
    }
    for (Group g : groups.values()) {
      g.failAllWaiting(e);
    }
    forwarding.failAll(e);
    if (syncThread != null) {
      syncThread.close(5_000);
    }
  }
}
