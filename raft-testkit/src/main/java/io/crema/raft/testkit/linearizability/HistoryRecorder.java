package io.crema.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Records a {@link History} from concurrently running clients. Thread-safe: any thread may call any
 * method; a handle may be completed by a thread other than the one that invoked it.
 *
 * <p>Call {@link #invoke} just before sending a request (it reads the clock after nothing else, so
 * the recorded invocation is no later than the real one) and one completion method just after the
 * response arrived (it reads the clock first, so the recorded response is no earlier than the real
 * one). Each handle is completed at most once. Operations still outstanding when {@link #history()}
 * is called appear as {@link Operation.Status#UNKNOWN}.
 */
public final class HistoryRecorder {
  private static final Object FAILED = new Object();

  private final LongSupplier nanoClock;
  private final ConcurrentLinkedQueue<Handle> handles = new ConcurrentLinkedQueue<>();
  private final AtomicLong sequence = new AtomicLong();

  HistoryRecorder(LongSupplier nanoClock) {
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** An invocation awaiting its completion. Opaque to callers but for its accessors. */
  public static final class Handle {
    private final HistoryRecorder owner;
    private final long sequence;
    private final long clientId;
    private final Command command;
    private final long invokeNs;
    private final AtomicReference<Object> completion = new AtomicReference<>();

    private Handle(
        HistoryRecorder owner, long sequence, long clientId, Command command, long invokeNs) {
      this.owner = owner;
      this.sequence = sequence;
      this.clientId = clientId;
      this.command = command;
      this.invokeNs = invokeNs;
    }

    /** The invoking client. */
    public long clientId() {
      return clientId;
    }

    /** The invoked command. */
    public Command command() {
      return command;
    }

    /** The recorded invocation time. */
    public long invokeNs() {
      return invokeNs;
    }

    @Override
    public String toString() {
      return "c" + clientId + " " + command + " invoked at " + invokeNs;
    }
  }

  /**
   * Records that {@code clientId} is about to issue {@code command} and returns the handle to
   * complete it with.
   */
  public Handle invoke(long clientId, Command command) {
    Objects.requireNonNull(command, "command");
    long nowNs = nanoClock.getAsLong();
    Handle handle = new Handle(this, sequence.getAndIncrement(), clientId, command, nowNs);
    handles.add(handle);
    return handle;
  }

  /**
   * Records that a WRITE or DELETE was acknowledged.
   *
   * @throws IllegalArgumentException if the handle is a READ or CAS, or not from this recorder
   * @throws IllegalStateException if the handle was already completed
   */
  public void ok(Handle handle) {
    long nowNs = nanoClock.getAsLong();
    Command.Kind kind = check(handle).command.kind();
    if (kind == Command.Kind.READ || kind == Command.Kind.CAS) {
      throw new IllegalArgumentException(
          "a " + kind + " completes with okRead/okCas, not ok: " + handle);
    }
    complete(handle, nowNs, null, false);
  }

  /**
   * Records that a READ returned {@code observed} ({@code null}: absent).
   *
   * @throws IllegalArgumentException if the handle is not a READ, or not from this recorder
   * @throws IllegalStateException if the handle was already completed
   */
  public void okRead(Handle handle, String observed) {
    long nowNs = nanoClock.getAsLong();
    requireKind(check(handle), Command.Kind.READ);
    complete(handle, nowNs, observed, false);
  }

  /**
   * Records that a CAS returned {@code succeeded}.
   *
   * @throws IllegalArgumentException if the handle is not a CAS, or not from this recorder
   * @throws IllegalStateException if the handle was already completed
   */
  public void okCas(Handle handle, boolean succeeded) {
    long nowNs = nanoClock.getAsLong();
    requireKind(check(handle), Command.Kind.CAS);
    complete(handle, nowNs, null, succeeded);
  }

  /**
   * Records that the outcome will never be known (timeout, crash, lost reply): the operation may
   * take effect at any time after its invocation, or never.
   *
   * @throws IllegalStateException if the handle was already completed
   */
  public void unknown(Handle handle) {
    finish(check(handle), Operation.unknown(handle.clientId, handle.command, handle.invokeNs));
  }

  /**
   * Records that the operation certainly did not take effect and never will (for example the
   * request was refused before being proposed); it is left out of the history. Use {@link #unknown}
   * whenever that is not certain, or the check may wrongly fail.
   *
   * @throws IllegalStateException if the handle was already completed
   */
  public void fail(Handle handle) {
    finish(check(handle), FAILED);
  }

  /**
   * A snapshot of everything recorded so far, by invocation time. Operations not yet completed (and
   * not failed) appear as UNKNOWN. Recording may continue afterwards.
   */
  public History history() {
    List<Handle> all = new ArrayList<>(handles);
    // Queue order is close to, but not exactly, invocation order across threads; sorting by
    // sequence makes the order of equal timestamps deterministic before History sorts by time.
    all.sort(Comparator.comparingLong(h -> h.sequence));
    List<Operation> ops = new ArrayList<>(all.size());
    for (Handle h : all) {
      Object done = h.completion.get();
      if (done == null) {
        ops.add(Operation.unknown(h.clientId, h.command, h.invokeNs));
      } else if (done != FAILED) {
        ops.add((Operation) done);
      }
    }
    return History.of(ops);
  }

  private void complete(Handle handle, long nowNs, String observed, boolean casSucceeded) {
    if (nowNs < handle.invokeNs) {
      throw new IllegalStateException(
          "clock went backwards: response at " + nowNs + " before invocation of " + handle);
    }
    finish(
        handle,
        Operation.completed(
            handle.clientId, handle.command, handle.invokeNs, nowNs, observed, casSucceeded));
  }

  private static void finish(Handle handle, Object outcome) {
    if (!handle.completion.compareAndSet(null, outcome)) {
      throw new IllegalStateException(
          "operation already completed as " + handle.completion.get() + ": " + handle);
    }
  }

  private Handle check(Handle handle) {
    Objects.requireNonNull(handle, "handle");
    if (handle.owner != this) {
      throw new IllegalArgumentException("handle belongs to another recorder: " + handle);
    }
    return handle;
  }

  private static void requireKind(Handle handle, Command.Kind kind) {
    if (handle.command.kind() != kind) {
      throw new IllegalArgumentException("expected a " + kind + " handle, got " + handle);
    }
  }
}
