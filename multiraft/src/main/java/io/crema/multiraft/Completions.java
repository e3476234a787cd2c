package io.crema.multiraft;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outcomes of the coordinator's proposals on a thread of its own instead of the host's
 * event loop: the caller's future, and whatever the caller chained to it, then run here, so a slow
 * callback cannot hold up the Raft groups the loop drives, and on a busy loop the completion work
 * (a compare-and-set and a dependent stage per future) moves to another core. The loop's share is
 * one queue offer per outcome, and a wake-up only when this thread sleeps.
 *
 * <p>An outcome is never lost: if the queue is full, or the thread stops (the coordinator closed),
 * the outcome is delivered on the thread that produced it. After {@link #close()} the thread drains
 * what was queued, and producers that see it closed drain under the same lock, so an offer that
 * raced the close is delivered by one side or the other (the offer and the close flag are both
 * written before the other side's read).
 */
final class Completions implements AutoCloseable {
  /** An outcome waiting to be delivered. */
  interface Outcome {
    void deliver();
  }

  private static final Logger LOG = LoggerFactory.getLogger(Completions.class);
  private static final int SPINS = 50;
  private static final int YIELDS = 50;
  private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ManyToOneConcurrentArrayQueue<Outcome> queue;
  private final Object drainLock = new Object();
  private final Thread thread;
  private volatile Thread sleeper;
  private volatile boolean closed;

  Completions(String name, int capacity) {
    this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Delivers {@code o} on this thread (or at once if it cannot queue it). Any thread. */
  void submit(Outcome o) {
    if (closed || !queue.offer(o)) {
      deliver(o);
      return;
    }
    if (closed) {
      drain(); // the thread may have made its last drain before this offer
      return;
    }
    Thread s = sleeper;
    if (s != null) {
      LockSupport.unpark(s);
    }
  }

  private void run() {
    int idle = 0;
    while (!closed) {
      if (drain() > 0) {
        idle = 0;
      } else if (++idle <= SPINS) {
        Thread.onSpinWait();
      } else if (idle <= SPINS + YIELDS) {
        Thread.yield();
      } else {
        sleeper = Thread.currentThread();
        if (queue.isEmpty() && !closed) {
          LockSupport.parkNanos(this, PARK_NS);
        }
        sleeper = null;
        idle = 0;
      }
    }
    drain();
  }

  private int drain() {
    synchronized (drainLock) {
      int n = 0;
      Outcome o;
      while ((o = queue.poll()) != null) {
        deliver(o);
        n++;
      }
      return n;
    }
  }

  /**
   * Delivers one outcome; if it throws (a future's own dependents cannot: it catches what they
   * throw) the error is logged and delivery goes on, so an inline delivery never throws into the
   * host's loop.
   */
  private static void deliver(Outcome o) {
    try {
      o.deliver();
    } catch (RuntimeException | Error e) {
      LOG.error("delivering an operation's outcome failed", e);
    }
  }

  /** Stops the thread once it has delivered what is queued; later outcomes are delivered inline. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }

  /** Waits for the thread to end (tests). */
  boolean awaitStopped(long timeoutMs) throws InterruptedException {
    thread.join(timeoutMs);
    return !thread.isAlive();
  }
}
