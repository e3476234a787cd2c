package io.crema.multiraft;

import io.crema.raft.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events per second over a sliding window of whole seconds (one counter per second in a ring).
 * Thread-safe; approximate at second boundaries (an event racing a bucket's reuse may count in the
 * next second), exact enough for monitoring.
 */
final class RateMeter {
  /** Seconds covered by {@link #ratePerSecond()}. */
  static final int WINDOW_SECONDS = 10;

  private static final int BUCKETS = 16;
  private static final long NS_PER_S = 1_000_000_000L;

  private final Clock clock;
  private final long startNs;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray seconds = new AtomicLongArray(BUCKETS);

  RateMeter(Clock clock) {
    this.clock = clock;
    this.startNs = clock.nanoTime();
    for (int i = 0; i < BUCKETS; i++) {
      seconds.set(i, Long.MIN_VALUE);
    }
  }

  private long second(long nowNs) {
    return Math.floorDiv(nowNs - startNs, NS_PER_S);
  }

  void record() {
    long sec = second(clock.nanoTime());
    int i = (int) (sec & (BUCKETS - 1));
    if (seconds.get(i) != sec) {
      roll(i, sec);
    }
    counts.incrementAndGet(i);
  }

  private synchronized void roll(int i, long sec) {
    if (seconds.get(i) < sec) {
      counts.set(i, 0);
      seconds.set(i, sec);
    }
  }

  /** Events per second over the last {@value #WINDOW_SECONDS} s, or since creation if shorter. */
  double ratePerSecond() {
    long nowNs = clock.nanoTime();
    long sec = second(nowNs);
    long oldest = sec - WINDOW_SECONDS + 1;
    long sum = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long s = seconds.get(i);
      if (s >= oldest && s <= sec) {
        sum += counts.get(i);
      }
    }
    long windowStartNs = startNs + Math.max(0, oldest) * NS_PER_S;
    long spanNs = nowNs - windowStartNs;
    return spanNs <= 0 ? 0 : sum * (double) NS_PER_S / spanNs;
  }
}
