package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateMeterTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(5 * S);
  private final AtomicLong events = new AtomicLong(500); // counted before the meter existed
  private final RateMeter meter = new RateMeter(now::get, events::get);

  /** {@code seconds} of {@code perSecond} events, sampled every 100 ms as the coordinator does. */
  private void run(int perSecond, double seconds) {
    for (int tick = 0; tick < Math.round(seconds * 10); tick++) {
      now.addAndGet(S / 10);
      events.addAndGet(perSecond / 10);
      meter.sample();
    }
  }

  @Test
  void rateIsEventsOverTheElapsedPartOfTheWindow() {
    assertEquals(0.0, meter.ratePerSecond());
    events.addAndGet(100);
    now.addAndGet(S / 2);
    assertEquals(200.0, meter.ratePerSecond(), 1e-9, "100 events in half a second");
    now.addAndGet(S / 2);
    events.addAndGet(300);
    now.addAndGet(S);
    assertEquals(200.0, meter.ratePerSecond(), 1e-9, "400 events in 2 s");
  }

  @Test
  void sampledSecondsOlderThanTheWindowLeaveIt() {
    run(1_000, 30.5);
    assertEquals(1_000.0, meter.ratePerSecond(), 1e-6);
    run(100, 10.3);
    // The newest sample before the window (0.8 s before it) was taken at the old rate, the oldest
    // within it after the change: only the new rate counts.
    assertEquals(100.0, meter.ratePerSecond(), 1e-6);
    run(0, 10.5);
    assertEquals(0.0, meter.ratePerSecond(), 1e-9);
  }

  @Test
  void withoutSamplesForAWindowTheRateIsSinceTheNewestSampleBeforeIt() {
    run(1_000, 3);
    events.addAndGet(50);
    now.addAndGet(RateMeter.WINDOW_SECONDS * S + S / 2);
    assertEquals(50 / 10.5, meter.ratePerSecond(), 1e-9);
    events.addAndGet(10);
    now.addAndGet(S);
    assertEquals(10.0, meter.ratePerSecond(), 1e-9, "since the previous call's sample");
  }
}
