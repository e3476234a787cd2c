package io.crema.raft.node;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import io.crema.raft.node.RaftOperationException.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;

/**
 * Runs the Raft groups of one node on one event loop. This is what an application embeds to
 * replicate its own {@link StateMachine}: create it from a {@link HostConfig}, start groups, then
 * propose commands and read.
 *
 * <p>Threading, as in Aeron: {@link #start()} runs the loop on a dedicated thread with the
 * configured idle strategy (backoff by default); {@link #agent()} hands the loop to the caller to
 * compose with other agents on one thread; {@link #invoker()} lets the caller step it (tests,
 * simulation). All other methods are thread-safe and never block: they queue a command and return a
 * future, which completes on the host thread (do not block in its dependent stages).
 *
 * <p>Guarantees: a proposal's future completes with the state machine's result once the entry is
 * applied on this node (so the command is committed and linearizable); it fails with a {@link
 * RaftOperationException} whose reason says whether the command may have been applied. A read
 * future completes once this node's state machine has applied every entry committed before the read
 * was issued (ReadIndex), on the leader or a follower.
 */
public final class RaftHost implements AutoCloseable {
  private final HostConfig config;
  private final HostAgent agent;
  private final ExecutorService snapshotThread;
  private final Long2ObjectHashMap<GroupView> views = new Long2ObjectHashMap<>();
  private AgentRunner runner;
  // Set once the loop runs on its own thread (start()); callers wake it after queueing work.
  private volatile WakeableIdleStrategy idle;
  private AgentInvoker invoker;
  private volatile boolean closed;

  private RaftHost(HostConfig config) {
    this.config = config;
    if (config.snapshotExecutor() != null) {
      this.snapshotThread = null;
      this.agent = new HostAgent(config, config.snapshotExecutor(), views, this::wake);
    } else {
      this.snapshotThread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "crema-snapshot-" + config.nodeId());
                t.setDaemon(true);
                return t;
              });
      this.agent = new HostAgent(config, snapshotThread, views, this::wake);
    }
  }

  /**
   * Creates a host; nothing runs until {@link #start()}, {@link #agent()} or {@link #invoker()}.
   */
  public static RaftHost create(HostConfig config) {
    return new RaftHost(config);
  }

  /**
   * Runs the event loop on a dedicated thread.
   *
   * @throws IllegalStateException if the loop already runs elsewhere
   */
  public synchronized RaftHost start() {
    requireUnclaimed();
    WakeableIdleStrategy idle =
        new WakeableIdleStrategy(
            config.newIdleStrategy(), () -> !agent.commands.isEmpty() || agent.hasDurableBatch());
    this.idle = idle;
    runner = new AgentRunner(idle, errorHandler(), null, agent);
    AgentRunner.startOnThread(runner);
    return this;
  }

  /** The event loop, to be run by the caller's own runner (shared threading mode). */
  public synchronized Agent agent() {
    requireUnclaimed();
    invoker = new AgentInvoker(errorHandler(), null, agent);
    invoker.start();
    return agent;
  }

  /**
   * An invoker the caller steps with {@link AgentInvoker#invoke()} (one duty cycle per call).
   * Deterministic when the clock, transport and snapshot writing are.
   */
  public synchronized AgentInvoker invoker() {
    requireUnclaimed();
    invoker = new AgentInvoker(errorHandler(), null, agent);
    invoker.start();
    return invoker;
  }

  /** Errors escaping a duty cycle are logged (JDK platform logging); the loop keeps running. */
  private ErrorHandler errorHandler() {
    System.Logger log = System.getLogger(RaftHost.class.getName());
    return t ->
        log.log(
            System.Logger.Level.ERROR,
            "host of node " + config.nodeId() + " failed a duty cycle",
            t);
  }

  private void requireUnclaimed() {
    if (runner != null || invoker != null) {
      throw new IllegalStateException("the host's event loop is already running");
    }
    if (closed) {
      throw new IllegalStateException("the host is closed");
    }
  }

  public long nodeId() {
    return config.nodeId();
  }

  // -----------------------------------------------------------------------------------------------
  // Groups

  /**
   * Starts a group on this node. A group with no log yet is bootstrapped with {@code initialVoters}
   * (give every initial member the same list); one with a log (a restart) recovers its hard state,
   * log and latest snapshot and ignores the list. With no voters and no log the node joins an
   * existing group and learns the membership from its leader.
   */
  public CompletableFuture<Void> startGroup(long groupId, StateMachine sm, long... initialVoters) {
    if (groupId < 0) {
      throw new IllegalArgumentException("groupId must be >= 0, was " + groupId);
    }
    if (sm == null) {
      throw new IllegalArgumentException("state machine must not be null");
    }
    long[] voters = initialVoters.clone();
    CompletableFuture<Void> f = new CompletableFuture<>();
    submit(
        f,
        groupId,
        h -> {
          try {
            h.startGroup(groupId, sm, voters);
            f.complete(null);
          } catch (Exception e) {
            f.completeExceptionally(
                new RaftOperationException(
                    Reason.INTERNAL, groupId, "could not start group " + groupId, e));
          }
        });
    return f;
  }

  /** Stops a group on this node; waiting operations fail with SHUT_DOWN. Its log stays. */
  public CompletableFuture<Void> stopGroup(long groupId) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    submit(
        f,
        groupId,
        h -> {
          h.stopGroup(groupId);
          f.complete(null);
        });
    return f;
  }

  // -----------------------------------------------------------------------------------------------
  // Operations

  /**
   * Proposes a command. Completes with the state machine's result once applied here; fails with
   * NOT_LEADER (and the leader) on a follower, BACK_PRESSURE when too much is in flight, TIMEOUT
   * when there is no outcome in time (it may or may not have been applied).
   */
  public CompletableFuture<Object> propose(long groupId, byte[] command) {
    return proposal(groupId, command, false, new CompletableFuture<>());
  }

  /**
   * As {@link #propose(long, byte[])}, completing the caller's {@code outcome} (and returning it).
   * The host completes it once, with {@code complete} or {@code completeExceptionally}: on its own
   * thread, or on the calling thread when the proposal is refused at once. A subclass that acts in
   * those two methods learns the outcome without the dependent stage {@code whenComplete} adds.
   */
  public <F extends CompletableFuture<Object>> F propose(long groupId, byte[] command, F outcome) {
    if (outcome == null) {
      throw new IllegalArgumentException("outcome future must not be null");
    }
    proposal(groupId, command, false, outcome);
    return outcome;
  }

  /**
   * Proposes a command on whichever node leads the group: here if this node leads, else carried to
   * the leader over the transport. The leader answers where it appended the command and the future
   * completes with this node's own result when it applies that entry (the state machine must be
   * deterministic, as every replica's must). Failures as for {@link #propose}; a forwarded command
   * without an outcome in time fails with TIMEOUT (it may or may not have been applied).
   */
  public CompletableFuture<Object> proposeViaLeader(long groupId, byte[] command) {
    return proposal(groupId, command, true, new CompletableFuture<>());
  }

  private CompletableFuture<Object> proposal(
      long groupId, byte[] command, boolean viaLeader, CompletableFuture<Object> f) {
    if (command == null) {
      f.completeExceptionally(
          new RaftOperationException(Reason.INVALID, groupId, 0, "command must not be null"));
      return f;
    }
    if (command.length > config.maxCommandBytes()) {
      f.completeExceptionally(
          new RaftOperationException(
              Reason.INVALID,
              groupId,
              0,
              "command of "
                  + command.length
                  + " bytes is larger than the transport carries ("
                  + config.maxCommandBytes()
                  + " bytes)"));
      return f;
    }
    // No clock read here (it cost as much as the rest of a proposal's submission): the host takes
    // the time of the duty cycle that picks the proposal up as its start.
    Group.Proposal p = new Group.Proposal(command, f);
    if (viaLeader) {
      submit(f, groupId, h -> h.addProposalViaLeader(groupId, p));
    } else {
      submit(f, groupId, h -> h.addProposal(groupId, p));
    }
    return f;
  }

  /**
   * A linearizable read point: completes with the read index once this node has applied it. Works
   * on the leader and on followers.
   */
  public CompletableFuture<Long> readIndex(long groupId) {
    CompletableFuture<Object> f = read0(groupId, null);
    return f.thenApply(v -> (Long) v);
  }

  /**
   * A linearizable read: runs {@code query} on the host thread once this node has applied every
   * entry committed before the call, and completes with its value.
   */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> read(long groupId, Supplier<T> query) {
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    return (CompletableFuture<T>) read0(groupId, query);
  }

  private CompletableFuture<Object> read0(long groupId, Supplier<?> query) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    Group.ReadRequest r = new Group.ReadRequest(f, query);
    submit(f, groupId, h -> h.addRead(groupId, r));
    return f;
  }

  /** Changes the membership (on the leader); completes with the membership once applied here. */
  public CompletableFuture<ConfState> changeMembership(long groupId, ConfChange change) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    onGroup(f, groupId, (h, g) -> g.proposeConfChange(change, f, h.nowNs()));
    return f.thenApply(v -> (ConfState) v);
  }

  /** Moves leadership of a group to {@code target}; completes when this node sees it lead. */
  public CompletableFuture<Void> transferLeadership(long groupId, long target) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onGroup(
        f,
        groupId,
        (h, g) -> g.transferLeadership(target, f, h.nowNs() + 2 * config.requestTimeoutNs() / 5));
    return f;
  }

  /** Takes a snapshot of a group now; completes with its metadata once durable. */
  public CompletableFuture<SnapshotMeta> snapshot(long groupId) {
    CompletableFuture<SnapshotMeta> f = new CompletableFuture<>();
    onGroup(f, groupId, (h, g) -> h.snapshot(g, f));
    return f;
  }

  /** The status of a group, computed on the host thread. */
  public CompletableFuture<GroupStatus> status(long groupId) {
    CompletableFuture<GroupStatus> f = new CompletableFuture<>();
    onGroup(f, groupId, (h, g) -> f.complete(g.status().get()));
    return f;
  }

  /** The latest role, leader and indexes of a group without a round trip, or null if not hosted. */
  public GroupView view(long groupId) {
    synchronized (views) {
      return views.get(groupId);
    }
  }

  /** Runs {@code action} on the host thread with the group, or fails f if it is not hosted. */
  private void onGroup(
      CompletableFuture<?> f,
      long groupId,
      java.util.function.BiConsumer<HostAgent, Group> action) {
    submit(
        f,
        groupId,
        h -> {
          Group g = h.group(groupId);
          if (g == null) {
            f.completeExceptionally(h.unknownGroup(groupId));
          } else {
            action.accept(h, g);
          }
        });
  }

  /** Wakes the loop if it idles on its own thread (any thread; cheap when it does not). */
  private void wake() {
    WakeableIdleStrategy w = idle;
    if (w != null) {
      w.wake();
    }
  }

  private void submit(CompletableFuture<?> f, long groupId, HostAgent.Command c) {
    if (closed) {
      f.completeExceptionally(
          new RaftOperationException(Reason.SHUT_DOWN, groupId, 0, "the host is closed"));
      return;
    }
    if (agent.commands.offer(c)) {
      wake();
    } else {
      f.completeExceptionally(
          new RaftOperationException(
              Reason.BACK_PRESSURE,
              groupId,
              0,
              "the host's command queue is full ("
                  + config.queueCapacity()
                  + " commands); retry later"));
    }
  }

  /** Stops the loop; operations still waiting fail with SHUT_DOWN. Does not close storage. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (runner != null) {
      runner.close();
    } else if (invoker != null) {
      invoker.close();
    } else {
      agent.onClose();
    }
    if (snapshotThread != null) {
      snapshotThread.shutdown();
    }
  }
}
