package io.crema.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {
  /**
   * Two threads complete what one issues: the window never holds more than its capacity, it fills
   * up (the issuer waits rather than running ahead), and it drains to zero.
   */
  @Test
  void boundsWhatIsOutstandingAndDrains() throws Exception {
    int capacity = 64;
    InFlightWindow window = new InFlightWindow(capacity);
    BlockingQueue<CompletableFuture<Object>> issued = new ArrayBlockingQueue<>(1 << 16);
    Thread[] completers = new Thread[2];
    for (int i = 0; i < completers.length; i++) {
      completers[i] =
          new Thread(
              () -> {
                try {
                  while (true) {
                    CompletableFuture<Object> f = issued.take();
                    if (f.isDone()) {
                      return; // the end marker
                    }
                    f.complete(null);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      completers[i].start();
    }
    long most = 0;
    for (int i = 0; i < 50_000; i++) {
      window.acquire();
      long outstanding = window.outstanding(); // counting the slot just taken
      most = Math.max(most, outstanding);
      assertTrue(outstanding <= capacity, outstanding + " outstanding at issue " + i);
      CompletableFuture<Object> f = new CompletableFuture<>();
      window.track(f);
      issued.put(f);
    }
    window.drain(30_000);
    assertEquals(0, window.outstanding());
    assertEquals(capacity, most, "the window filled up");
    for (Thread t : completers) {
      issued.put(CompletableFuture.completedFuture(null));
    }
    for (Thread t : completers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void aFailedOperationFailsTheNextAcquire() {
    InFlightWindow window = new InFlightWindow(4);
    window.acquire();
    CompletableFuture<Object> f = new CompletableFuture<>();
    window.track(f);
    RuntimeException cause = new RuntimeException("boom");
    f.completeExceptionally(cause);
    IllegalStateException e = assertThrows(IllegalStateException.class, window::acquire);
    assertSame(cause, e.getCause());
    assertThrows(IllegalArgumentException.class, () -> new InFlightWindow(3));
  }
}
