package io.crema.cache.statemachine;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caffeine's executor: instead of running its maintenance (buffer draining, expiry, the safety cap)
 * after every write, it keeps the scheduled task and the apply thread runs it once per applied
 * batch. Caffeine still performs maintenance inline itself if its write buffer fills up.
 */
final class BatchedMaintenance implements Executor {
  private final AtomicReference<Runnable> pending = new AtomicReference<>();

  @Override
  public void execute(Runnable task) {
    pending.set(task);
  }

  /** Runs scheduled maintenance (apply thread). */
  void run() {
    for (int i = 0; i < 4; i++) {
      Runnable task = pending.getAndSet(null);
      if (task == null) {
        return;
      }
      task.run();
    }
  }
}
