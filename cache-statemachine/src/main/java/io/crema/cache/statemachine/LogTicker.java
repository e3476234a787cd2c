package io.crema.cache.statemachine;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Caffeine's clock for one cache instance: the log time of the last applied command, in nanoseconds
 * since the epoch, except that it stays at the oldest in-progress snapshot's log time while that
 * snapshot is being written (so that Caffeine neither hides nor removes, by expiry, entries the
 * snapshot still has to read; the apply logic checks expiry against the true log time itself).
 * Written by the apply thread only; read by any thread.
 */
final class LogTicker implements Ticker {
  private volatile long effectiveNs;
  private long logMs;
  private long frozenMs = -1;

  /** Advances log time (apply thread). */
  void setMs(long ms) {
    logMs = ms;
    if (frozenMs < 0) {
      effectiveNs = ms * 1_000_000L;
    }
  }

  /** Holds Caffeine's clock at {@code ms} (apply thread); -1 releases it to the log time. */
  void freezeAt(long ms) {
    frozenMs = ms;
    effectiveNs = (ms < 0 ? logMs : ms) * 1_000_000L;
  }

  @Override
  public long read() {
    return effectiveNs;
  }
}
