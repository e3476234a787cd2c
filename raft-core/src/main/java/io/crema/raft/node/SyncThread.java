package io.crema.raft.node;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A host's disk thread: runs the log store's sync tasks so that the event loop never waits for the
 * disk. It takes every write queued while it was busy, runs only the newest one's task (a sync task
 * covers everything appended before it was made, see {@link io.crema.raft.LogStore#syncLater()}),
 * marks them all done in order and wakes the host. Blocks (no spinning) while there is nothing to
 * sync.
 */
final class SyncThread {
  private static final HostAgent.Persist STOP = new HostAgent.Persist();

  private final ArrayBlockingQueue<HostAgent.Persist> queue;
  private final Runnable wakeHost;
  private final Thread thread;
  private final ArrayList<HostAgent.Persist> taken = new ArrayList<>();

  SyncThread(long nodeId, int capacity, Runnable wakeHost) {
    // One more slot than the host can have in flight, for STOP.
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
    this.wakeHost = wakeHost;
    this.thread = new Thread(this::run, "crema-wal-sync-" + nodeId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a write's sync (host thread; never blocks: the host keeps at most capacity). */
  void submit(HostAgent.Persist p) {
    if (!queue.offer(p)) {
      throw new IllegalStateException("sync queue full: the host submitted more than it may");
    }
  }

  private void run() {
    while (true) {
      HostAgent.Persist first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      taken.add(first);
      queue.drainTo(taken);
      boolean stop = false;
      HostAgent.Persist last = null;
      for (HostAgent.Persist p : taken) {
        if (p == STOP) {
          stop = true;
        } else {
          last = p;
        }
      }
      if (last != null) {
        Throwable error = HostAgent.Persist.run(last.task);
        for (HostAgent.Persist p : taken) {
          if (p != STOP) {
            p.finish(error); // in order: the host acknowledges the oldest first
          }
        }
      }
      taken.clear();
      wakeHost.run();
      if (stop) {
        return;
      }
    }
  }

  /** Lets the sync under way finish, then stops the thread (waits up to the timeout). */
  void close(long timeoutMs) {
    queue.offer(STOP);
    try {
      thread.join(TimeUnit.MILLISECONDS.toMillis(timeoutMs));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
