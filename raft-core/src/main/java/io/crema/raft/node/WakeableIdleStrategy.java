package io.crema.raft.node;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * The dedicated host thread's idle strategy: the configured one (backing off to parks of up to a
 * millisecond by default), plus {@link #wake()}, which callers use after queueing a command so the
 * host does not sleep out its park while a proposal waits. Only an idle thread is woken: while the
 * loop finds work no caller pays for a wake-up.
 *
 * <p>No lost wake-up: the sleeper is published before the pending-work check that precedes each
 * idle call, and a caller queues its command before reading the sleeper, so either the host sees
 * the command or the caller sees the sleeper (both are volatile). A wake-up that lands while the
 * thread spins or yields leaves a permit, which at most shortens the next park once.
 */
final class WakeableIdleStrategy implements IdleStrategy {
  private final IdleStrategy delegate;
  private final BooleanSupplier workPending;
  private volatile Thread sleeper;

  WakeableIdleStrategy(IdleStrategy delegate, BooleanSupplier workPending) {
    this.delegate = delegate;
    this.workPending = workPending;
  }

  /** Wakes the host thread if it is idle (any thread). */
  void wake() {
    Thread t = sleeper;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public void idle(int workCount) {
    if (workCount > 0) {
      delegate.idle(workCount);
      return;
    }
    sleeper = Thread.currentThread();
    try {
      if (!workPending.getAsBoolean()) {
        delegate.idle(0);
      }
    } finally {
      sleeper = null;
    }
  }

  @Override
  public void idle() {
    delegate.idle();
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  public String alias() {
    return "wakeable-" + delegate.alias();
  }
}
