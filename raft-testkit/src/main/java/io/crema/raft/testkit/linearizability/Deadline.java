package io.crema.raft.testkit.linearizability;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A point in time after which a check gives up; {@link #NONE} never passes. */
final class Deadline {
  static final Deadline NONE = new Deadline(null, 0);

  private final LongSupplier nanoClock;
  private final long deadlineNs;

  private Deadline(LongSupplier nanoClock, long deadlineNs) {
    this.nanoClock = nanoClock;
    this.deadlineNs = deadlineNs;
  }

  /** A deadline {@code timeout} from now on {@code nanoClock}; {@code null} timeout: none. */
  static Deadline after(Duration timeout, LongSupplier nanoClock) {
    if (timeout == null) {
      return NONE;
    }
    long nowNs = nanoClock.getAsLong();
    long timeoutNs = timeout.toNanos();
    return new Deadline(nanoClock, nowNs + timeoutNs);
  }

  boolean passed() {
    return nanoClock != null && nanoClock.getAsLong() - deadlineNs >= 0;
  }
}
