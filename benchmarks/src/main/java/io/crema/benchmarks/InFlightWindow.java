package io.crema.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/** Padding: superclass fields are laid out before subclass fields. */
abstract class WindowPadA {
  long a01, a02, a03, a04, a05, a06, a07, a08;
}

/** The issuing thread's own counts (written by it alone). */
abstract class WindowIssuer extends WindowPadA {
  long issued;
  long completedSeen;
}

/** Padding between the issuer's counts and the completions' count. */
abstract class WindowPadB extends WindowIssuer {
  long b01, b02, b03, b04, b05, b06, b07, b08;
}

/** Operations completed, counted by the threads that complete them. */
abstract class WindowCompleted extends WindowPadB {
  volatile long completed;
}

/** Padding after the completions' count. */
abstract class WindowPadC extends WindowCompleted {
  long c01, c02, c03, c04, c05, c06, c07, c08;
}

/**
 * A closed-loop load generator's window: at most {@code capacity} operations outstanding, a new one
 * issued as soon as room frees up. Keeping the window full all the time measures the steady state;
 * issuing a block and waiting for all of it (the pattern this replaces) drains the pipeline to zero
 * once per block and makes the slowest of many Raft groups set the pace.
 *
 * <p>One thread issues. It counts what it issued, the completing threads count completions, each
 * count on its own cache line, and the issuer reads the completions only when its last reading says
 * the window is full. (One counter of outstanding operations, incremented by the issuer and
 * decremented by the system's event loop, bounced its cache line between the two cores on every
 * operation: 30% of the CPU samples of MultiRaftThroughputBenchmark, a cost of the load generator,
 * not of the system measured.) A full window parks the issuer until it has drained to three
 * quarters; the completion that gets it there unparks it. Any failed operation fails the benchmark
 * at the next {@link #acquire()}.
 */
public final class InFlightWindow extends WindowPadC implements BiConsumer<Object, Throwable> {
  private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final VarHandle COMPLETED;

  static {
    try {
      COMPLETED =
          MethodHandles.lookup().findVarHandle(WindowCompleted.class, "completed", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;
  private final int resume;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile Thread waiter;
  private volatile long wakeAt = Long.MAX_VALUE;

  public InFlightWindow(int capacity) {
    if (capacity < 4) {
      throw new IllegalArgumentException("capacity must be at least 4, was " + capacity);
    }
    this.capacity = capacity;
    this.resume = capacity - capacity / 4;
  }

  /** Waits for room in the window and takes one slot; call {@link #track} with the operation. */
  public void acquire() {
    if (issued - completedSeen >= capacity) {
      completedSeen = completed;
      if (issued - completedSeen >= capacity) {
        awaitRoom();
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("an operation failed", t);
    }
    issued++;
  }

  private void awaitRoom() {
    long target = issued - resume; // completions that leave {@code resume} outstanding
    wakeAt = target;
    waiter = Thread.currentThread();
    while ((completedSeen = completed) < target) {
      LockSupport.parkNanos(this, PARK_NS);
    }
    waiter = null;
    wakeAt = Long.MAX_VALUE;
  }

  /** Releases the slot taken by {@link #acquire()} when {@code op} completes. */
  public void track(CompletableFuture<?> op) {
    op.whenComplete(this);
  }

  @Override
  public void accept(Object value, Throwable error) {
    if (error != null) {
      failure.compareAndSet(null, error);
    }
    long done = (long) COMPLETED.getAndAdd(this, 1L) + 1;
    if (done == wakeAt) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Operations issued and not completed yet (read by the issuing thread). */
  public long outstanding() {
    return issued - completed;
  }

  /** Waits until nothing is outstanding (teardown), failing after {@code timeoutMs}. */
  public void drain(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (outstanding() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            outstanding() + " operations still outstanding after " + timeoutMs + " ms");
      }
      LockSupport.parkNanos(PARK_NS);
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("an operation failed", t);
    }
  }
}
