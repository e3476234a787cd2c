package io.crema.multiraft;

import io.crema.raft.Clock;
import java.util.function.LongSupplier;

/**
 * Events per second over about the last {@value #WINDOW_SECONDS} seconds, from samples of a running
 * count of events (the coordinator's successful operations): an event costs its count's increment
 * and no clock read, which on the write path cost more than the rest of the bookkeeping.
 *
 * <p>{@link #sample()} keeps at most one sample a second; the coordinator's maintenance calls it
 * every rebalance interval, and every {@link #ratePerSecond()} samples too. The rate is the count's
 * growth since the oldest sample taken within the window (since creation, if younger than the
 * window); if none was taken within it (nothing sampled for a window), since the newest before it.
 * Thread-safe.
 */
final class RateMeter {
  /** Seconds covered by {@link #ratePerSecond()}. */
  static final int WINDOW_SECONDS = 10;

  private static final long NS_PER_S = 1_000_000_000L;
  private static final long WINDOW_NS = WINDOW_SECONDS * NS_PER_S;
  // One sample a second over the window, one before it, and the newest.
  private static final int CAPACITY = WINDOW_SECONDS + 2;

  private final Clock clock;
  private final LongSupplier count;
  private final long startNs;
  private final long[] sampleNs = new long[CAPACITY];
  private final long[] sampleCount = new long[CAPACITY];
  private int oldest;
  private int samples;

  RateMeter(Clock clock, LongSupplier count) {
    this.clock = clock;
    this.count = count;
    this.startNs = clock.nanoTime();
    sampleNs[0] = startNs;
    sampleCount[0] = count.getAsLong();
    samples = 1;
  }

  /** Takes a sample if none was taken in this second. */
  synchronized void sample() {
    sample(clock.nanoTime());
  }

  private void sample(long nowNs) {
    long newestNs = sampleNs[slot(samples - 1)];
    if (second(nowNs) > second(newestNs)) {
      if (samples == CAPACITY) {
        oldest = slot(1);
        samples--;
      }
      int i = slot(samples);
      sampleNs[i] = nowNs;
      sampleCount[i] = count.getAsLong();
      samples++;
    }
    // Keep one sample at or before the window's start (the newest such), none older.
    while (samples > 1 && sampleNs[slot(1)] <= nowNs - WINDOW_NS) {
      oldest = slot(1);
      samples--;
    }
  }

  private long second(long ns) {
    return Math.floorDiv(ns - startNs, NS_PER_S);
  }

  private int slot(int k) {
    return (oldest + k) % CAPACITY;
  }

  /** Events per second over the last {@value #WINDOW_SECONDS} s (see the class comment). */
  synchronized double ratePerSecond() {
    long nowNs = clock.nanoTime();
    sample(nowNs);
    long events = count.getAsLong();
    int base = 0;
    if (sampleNs[slot(0)] < nowNs - WINDOW_NS && samples > 1 && sampleNs[slot(1)] < nowNs) {
      base = 1; // the oldest sample within the window
    }
    long spanNs = nowNs - sampleNs[slot(base)];
    return spanNs <= 0 ? 0 : (events - sampleCount[slot(base)]) * (double) NS_PER_S / spanNs;
  }
}
