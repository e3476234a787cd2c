package io.crema.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * A closed-loop load generator's window: at most {@code capacity} operations outstanding, a new one
 * issued as soon as room frees up. Keeping the window full all the time measures the steady state;
 * issuing a block and waiting for all of it (the pattern this replaces) drains the pipeline to zero
 * once per block and makes the slowest of many Raft groups set the pace.
 *
 * <p>The issuing thread parks when the window is full and is woken once it has drained to three
 * quarters, so completions (which run on the system's event loop) cost one atomic decrement and
 * rarely an unpark. Any failed operation fails the benchmark at the next {@link #acquire()}.
 */
public final class InFlightWindow implements BiConsumer<Object, Throwable> {
  private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

  private final int capacity;
  private final int resume;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile Thread waiter;

  public InFlightWindow(int capacity) {
    if (capacity < 4) {
      throw new IllegalArgumentException("capacity must be at least 4, was " + capacity);
    }
    this.capacity = capacity;
    this.resume = capacity - capacity / 4;
  }

  /** Waits for room in the window and takes one slot; call {@link #track} with the operation. */
  public void acquire() {
    if (outstanding.get() >= capacity) {
      waiter = Thread.currentThread();
      while (outstanding.get() > resume) {
        LockSupport.parkNanos(this, PARK_NS);
      }
      waiter = null;
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("an operation failed", t);
    }
    outstanding.incrementAndGet();
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
    if (outstanding.decrementAndGet() == resume) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Waits until nothing is outstanding (teardown), failing after {@code timeoutMs}. */
  public void drain(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (outstanding.get() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            outstanding.get() + " operations still outstanding after " + timeoutMs + " ms");
      }
      LockSupport.parkNanos(PARK_NS);
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("an operation failed", t);
    }
  }
}
