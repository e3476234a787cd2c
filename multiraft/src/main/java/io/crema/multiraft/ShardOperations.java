package io.crema.multiraft;

import io.crema.raft.Clock;
import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.RaftHost;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.node.RaftOperationException.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs operations against shards: writes go to the shard's leader (proposed here if this node
 * leads, else forwarded), reads run linearizably on this node's replica. Retries what certainly did
 * not take effect (no leader, a redirect, a leadership transfer, back-pressure, a superseded entry)
 * with a capped backoff until the operation deadline; everything else fails at once.
 */
final class ShardOperations<S extends StateMachine> {
  private static final int MAX_IMMEDIATE_REDIRECTS = 3;
  private static final long MAX_BACKOFF_MS = 50;

  private final long nodeId;
  private final RaftHost host;
  private final ShardRegistry<S> registry;
  private final LeaderTable leaders;
  private final ShardForwarder forwarder;
  private final Clock clock;
  private final long timeoutNs;
  private final Completions completions;
  private final Counter succeeded = new Counter();
  private final Counter failed = new Counter();

  ShardOperations(
      long nodeId,
      RaftHost host,
      ShardRegistry<S> registry,
      LeaderTable leaders,
      ShardForwarder forwarder,
      Clock clock,
      long timeoutMs,
      Completions completions) {
    this.nodeId = nodeId;
    this.host = host;
    this.registry = registry;
    this.leaders = leaders;
    this.forwarder = forwarder;
    this.clock = clock;
    this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.completions = completions;
  }

  long succeeded() {
    return succeeded.get();
  }

  long failed() {
    return failed.get();
  }

  /** A write routed to the shard's leader, retried until the request timeout. */
  CompletableFuture<Object> write(int shard, byte[] command) {
    return write(shard, command, timeoutNs);
  }

  /**
   * A write routed to the shard's leader, retried for at most {@code budgetNs}. A budget shorter
   * than the request timeout is also a deadline for the outcome: an attempt waiting at a leader
   * (whose own timeout is the full one) does not hold it past the budget.
   */
  CompletableFuture<Object> write(int shard, byte[] command, long budgetNs) {
    Operation<Object> op = new Operation<>(registry.get(shard), command, null, budgetNs);
    op.run();
    if (budgetNs < timeoutNs && !op.isDone()) {
      CompletableFuture.delayedExecutor(budgetNs, TimeUnit.NANOSECONDS).execute(op::expire);
    }
    return op;
  }

  /** A linearizable read of this node's replica. */
  <T> CompletableFuture<T> read(int shard, Function<S, T> query) {
    Operation<T> op = new Operation<>(registry.get(shard), null, query, timeoutNs);
    op.run();
    return op;
  }

  /** Proposes on this node only (a forwarded write): no forwarding, no retries. */
  CompletableFuture<Object> proposeLocal(int shard, byte[] command) {
    ShardRegistry.Shard<S> s = registry.get(shard);
    if (!s.state().serving()) {
      return CompletableFuture.failedFuture(notServing(s));
    }
    return host.propose(s.groupId, command);
  }

  private RaftOperationException notServing(ShardRegistry.Shard<S> s) {
    return new RaftOperationException(
        Reason.UNKNOWN_GROUP,
        s.groupId,
        0,
        "shard " + s.id + " is " + s.state() + " on node " + nodeId + "; it takes no operations");
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * A proposal made on this node. The host completes it and it hands its outcome to its operation:
   * through {@link #completions} when there is one, else at once on the completing thread. Either
   * way there is no dependent stage to allocate, push and fire, as {@code whenComplete} would add.
   */
  private static final class LocalAttempt extends CompletableFuture<Object>
      implements Completions.Outcome {
    private final Handler operation;
    private final Completions completions;
    private Object value;
    private Throwable error;

    LocalAttempt(Handler operation, Completions completions) {
      this.operation = operation;
      this.completions = completions;
    }

    @Override
    public boolean complete(Object v) {
      if (!super.complete(v)) {
        return false; // completed already: the first outcome stands
      }
      value = v; // read by deliver(), after the hand-over
      handOver(completions, this);
      return true;
    }

    @Override
    public boolean completeExceptionally(Throwable e) {
      if (!super.completeExceptionally(e)) {
        return false;
      }
      error = e;
      handOver(completions, this);
      return true;
    }

    @Override
    public void deliver() {
      operation.onOutcome(value, error);
    }
  }

  /** What takes an attempt's outcome. */
  private interface Handler {
    void onOutcome(Object value, Throwable error);
  }

  private static void handOver(Completions completions, Completions.Outcome o) {
    if (completions != null) {
      completions.submit(o);
    } else {
      o.deliver();
    }
  }

  /** One operation and its attempts; it is the future its caller gets. */
  private final class Operation<T> extends CompletableFuture<T>
      implements BiConsumer<Object, Throwable>, Handler {
    final ShardRegistry.Shard<S> shard;
    final byte[] command;
    final Function<S, T> query;
    final long deadlineNs;
    long target;
    long backoffMs = 1;
    int redirects;

    Operation(ShardRegistry.Shard<S> shard, byte[] command, Function<S, T> query, long budgetNs) {
      this.shard = shard;
      this.command = command;
      this.query = query;
      this.deadlineNs = clock.nanoTime() + budgetNs;
    }

    void run() {
      CompletableFuture<?> attempt;
      try {
        attempt = command != null ? issueWrite() : issueRead();
      } catch (RuntimeException e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      if (!(attempt instanceof LocalAttempt)) {
        attempt.whenComplete(this);
      }
    }

    private CompletableFuture<?> issueRead() {
      if (!shard.state().serving()) {
        return CompletableFuture.failedFuture(notServing(shard));
      }
      target = nodeId;
      S sm = shard.stateMachine;
      return host.read(shard.groupId, () -> query.apply(sm));
    }

    private CompletableFuture<?> issueWrite() {
      if (!shard.state().serving()) {
        return CompletableFuture.failedFuture(notServing(shard));
      }
      GroupView v = shard.view();
      if (v != null) {
        leaders.observe(shard.id, v.leader(), v.term());
        if (v.isLeader()) {
          target = nodeId;
          return host.propose(shard.groupId, command, new LocalAttempt(this, completions));
        }
      }
      long leader = leaders.leader(shard.id);
      if (leader == 0 || leader == nodeId || forwarder == null) {
        // Unknown leader: the local replica answers NO_LEADER or NOT_LEADER with a hint.
        target = nodeId;
        return host.propose(shard.groupId, command, new LocalAttempt(this, completions));
      }
      target = leader;
      return forwarder.forward(leader, shard.id, command);
    }

    /** A forwarded attempt's or a read's outcome (on the thread that completed it). */
    @Override
    public void accept(Object value, Throwable error) {
      if (completions != null) {
        completions.submit(() -> onOutcome(value, error));
      } else {
        onOutcome(value, error);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onOutcome(Object value, Throwable error) {
      if (isDone()) {
        return; // expired: the caller has its outcome
      }
      if (error == null) {
        succeeded.increment();
        complete((T) value);
        return;
      }
      Throwable cause = unwrap(error);
      if (!(cause instanceof RaftOperationException)) {
        fail(cause);
        return;
      }
      RaftOperationException e = (RaftOperationException) cause;
      switch (e.reason()) {
        case NOT_LEADER:
          onNotLeader(e);
          break;
        case NO_LEADER:
          if (target != nodeId) {
            leaders.invalidate(shard.id, target);
          }
          retryLater(e);
          break;
        case LEADER_TRANSFER:
        case BACK_PRESSURE:
        case SUPERSEDED:
          retryLater(e);
          break;
        case UNKNOWN_GROUP:
          if (target == nodeId && shard.state() == ShardState.INITIALIZING) {
            retryLater(e); // the group is still being started here
          } else {
            fail(e);
          }
          break;
        default:
          fail(e);
      }
    }

    private void onNotLeader(RaftOperationException e) {
      long hint = e.leader();
      if (hint != 0 && hint != target && hint != nodeId) {
        if (forwarder == null) {
          fail(e); // local-only mode: the caller redirects to the named leader
          return;
        }
        leaders.hint(shard.id, hint);
        if (++redirects <= MAX_IMMEDIATE_REDIRECTS) {
          run();
          return;
        }
      } else if (target != nodeId) {
        leaders.invalidate(shard.id, target);
      }
      retryLater(e);
    }

    private void retryLater(RaftOperationException last) {
      long nowNs = clock.nanoTime();
      if (nowNs + TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadlineNs) {
        fail(last);
        return;
      }
      Executor later = CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      redirects = 0;
      later.execute(this::run);
    }

    /** The deadline passed with an attempt still out: no outcome (it may yet be applied). */
    void expire() {
      RaftOperationException e =
          new RaftOperationException(
              Reason.TIMEOUT,
              shard.groupId,
              0,
              "no outcome for the write to shard "
                  + shard.id
                  + " by its deadline; it may or may not have been applied");
      if (completeExceptionally(e)) {
        failed.increment();
      }
    }

    private void fail(Throwable t) {
      failed.increment();
      completeExceptionally(t);
    }
  }
}
