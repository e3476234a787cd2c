package io.crema.raft.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (no fixed sleeps): re-checks every 0.2 ms to 5 ms. */
public final class Await {
  private Await() {}

  /**
   * Returns once the condition holds.
   *
   * @throws AssertionError naming what was awaited if the deadline passes first
   */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseNs = 200_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(pauseNs);
      pauseNs = Math.min(pauseNs * 2, 5_000_000);
    }
  }
}
