package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateMeterTest {
  private static final long S = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(5 * S);
  private final RateMeter meter = new RateMeter(now::get);

  private void record(int n) {
    for (int i = 0; i < n; i++) {
      meter.record();
    }
  }

  @Test
  void rateIsEventsOverTheElapsedPartOfTheWindow() {
    assertEquals(0.0, meter.ratePerSecond());
    record(100);
    now.addAndGet(S / 2);
    assertEquals(200.0, meter.ratePerSecond(), 1e-9, "100 events in half a second");
    now.addAndGet(S / 2);
    record(300);
    now.addAndGet(S);
    assertEquals(200.0, meter.ratePerSecond(), 1e-9, "400 events in 2 s");
  }

  @Test
  void oldSecondsLeaveTheWindow() {
    record(1000); // second 0
    now.addAndGet(RateMeter.WINDOW_SECONDS * S);
    record(50); // second 10
    now.addAndGet(S / 2);
    // The window is seconds 1..10 (9.5 s so far): the 1000 events of second 0 are out.
    assertEquals(50 / 9.5, meter.ratePerSecond(), 1e-9);
    now.addAndGet(21 * S + S / 2); // second 32, which reuses the bucket of second 0
    assertEquals(0.0, meter.ratePerSecond(), 1e-9);
    record(10);
    now.addAndGet(S);
    assertEquals(10 / 9.0, meter.ratePerSecond(), 1e-9, "a reused bucket starts from zero");
  }
}
