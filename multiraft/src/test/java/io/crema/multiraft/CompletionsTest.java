package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CompletionsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void outcomesAreDeliveredOnTheCompletionThreadInOrder() throws Exception {
    Completions c = new Completions("test-completions", 1 << 10);
    try {
      List<Integer> order = new ArrayList<>(); // only the completion thread writes it
      ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
      CountDownLatch done = new CountDownLatch(500);
      for (int i = 0; i < 500; i++) {
        int n = i;
        c.submit(
            () -> {
              threads.put(Thread.currentThread().getName(), true);
              order.add(n);
              done.countDown();
            });
      }
      Await.until(() -> done.getCount() == 0, WAIT, "500 outcomes delivered");
      assertEquals(java.util.Set.of("test-completions"), threads.keySet());
      for (int i = 0; i < 500; i++) {
        assertEquals(i, order.get(i), "delivery " + i);
      }
    } finally {
      c.close();
    }
    assertTrue(c.awaitStopped(WAIT.toMillis()), "the thread stops after close");
  }

  /** What is queued when the completions close is still delivered, by the thread, once. */
  @Test
  void outcomesQueuedAtCloseAreDelivered() throws Exception {
    Completions c = new Completions("test-completions", 64);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicIntegerArray delivered = new AtomicIntegerArray(41);
    c.submit(
        () -> {
          busy.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          delivered.incrementAndGet(0);
        });
    busy.await();
    ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
    for (int i = 1; i <= 40; i++) {
      int slot = i;
      c.submit(
          () -> {
            threads.put(Thread.currentThread().getName(), true);
            delivered.incrementAndGet(slot);
          });
    }
    c.close();
    release.countDown();
    assertTrue(c.awaitStopped(WAIT.toMillis()), "the thread stops after close");
    for (int i = 0; i <= 40; i++) {
      assertEquals(1, delivered.get(i), "deliveries of outcome " + i);
    }
    assertEquals(java.util.Set.of("test-completions"), threads.keySet());
  }

  /**
   * Four producers submit while the completions close under them, and a small queue overflows:
   * every outcome is delivered exactly once (on the thread, or inline when it cannot queue or has
   * stopped), and one that throws does not stop the others.
   */
  @Test
  void noOutcomeIsLostOrDeliveredTwiceAcrossOverflowAndClose() throws Exception {
    int producers = 4;
    int each = 20_000;
    AtomicIntegerArray delivered = new AtomicIntegerArray(producers * each);
    Completions c = new Completions("test-completions", 64);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  int slot = base + i;
                  c.submit(
                      () -> {
                        delivered.incrementAndGet(slot);
                        if (slot % 5_000 == 0) {
                          throw new IllegalStateException("a callback failed (expected in test)");
                        }
                      });
                }
              });
      threads.add(t);
      t.start();
    }
    start.countDown();
    Await.until(() -> delivered.get(each / 2) > 0, WAIT, "deliveries under way");
    c.close();
    for (Thread t : threads) {
      t.join(WAIT.toMillis());
    }
    assertTrue(c.awaitStopped(WAIT.toMillis()), "the thread stops after close");
    for (int i = 0; i < delivered.length(); i++) {
      assertEquals(1, delivered.get(i), "deliveries of outcome " + i);
    }
  }
}
