package io.crema.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

class WakeableIdleStrategyTest {
  /** Parks for a minute per idle call: only a wake-up ends it early. */
  private static final class LongPark implements IdleStrategy {
    final AtomicInteger parks = new AtomicInteger();
    final CountDownLatch parking = new CountDownLatch(1);

    @Override
    public void idle(int workCount) {
      if (workCount == 0) {
        parks.incrementAndGet();
        parking.countDown();
        LockSupport.parkNanos(TimeUnit.MINUTES.toNanos(1));
      }
    }

    @Override
    public void idle() {}

    @Override
    public void reset() {}
  }

  @Test
  void wakeEndsAnIdleParkAtOnce() throws Exception {
    LongPark park = new LongPark();
    WakeableIdleStrategy idle = new WakeableIdleStrategy(park, () -> false);
    CountDownLatch returned = new CountDownLatch(1);
    Thread host =
        new Thread(
            () -> {
              idle.idle(0);
              returned.countDown();
            });
    host.start();
    assertTrue(park.parking.await(30, TimeUnit.SECONDS), "the host thread should idle");
    // The sleeper is published before the park: wake until the idle call returns (a wake that
    // lands just before the park leaves a permit, so one is enough; repeat only for safety).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (returned.getCount() > 0 && System.nanoTime() < deadline) {
      idle.wake();
      returned.await(10, TimeUnit.MILLISECONDS);
    }
    assertEquals(0, returned.getCount(), "wake() should end a one-minute park");
    host.join(TimeUnit.SECONDS.toMillis(30));
  }

  @Test
  void pendingWorkSkipsThePark() {
    LongPark park = new LongPark();
    AtomicBoolean pending = new AtomicBoolean(true);
    WakeableIdleStrategy idle = new WakeableIdleStrategy(park, pending::get);
    idle.idle(0);
    assertEquals(0, park.parks.get(), "work queued before the park must not wait for it");
    idle.idle(3);
    assertEquals(0, park.parks.get(), "a busy cycle does not park");
  }
}
