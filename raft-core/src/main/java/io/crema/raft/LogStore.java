package io.crema.raft;

import java.util.Set;

/**
 * A node's write-ahead log, shared by all of its groups: the write side the host uses. One {@link
 * #append(LogBatch)} may cover many groups; one {@link #sync()} makes everything appended so far
 * durable (group commit). Reads go through each group's {@link LogReader}, which sees appended data
 * at once, synced or not.
 *
 * <p>Driven by one thread (the host's); implementations need not be thread-safe, except for the
 * tasks {@link #syncLater()} hands out, which run on another thread while the host goes on.
 */
public interface LogStore extends AutoCloseable {
  /** What {@link #syncLater()} returns when the writes are already durable: a task to skip. */
  Runnable SYNCED = () -> {};

  /** The groups this log holds (after recovery, those found on disk). */
  Set<Long> groups();

  /**
   * The read view of a group, creating an empty group if there is none.
   *
   * @throws IllegalArgumentException if groupId is negative
   */
  LogReader group(long groupId);

  /**
   * Appends a batch: not durable until {@link #sync()} returns.
   *
   * @throws LogStoreException if the write failed; the log is unchanged for the failed group
   */
  void append(LogBatch batch);

  /**
   * Makes everything appended so far durable, or not, as the store's sync policy says.
   *
   * @throws LogStoreException if the sync failed
   */
  void sync();

  /**
   * Asynchronous storage writes (etcd's name for it): a task that makes everything appended before
   * this call durable, as {@link #sync()} would, run by a thread other than the host's while the
   * host goes on appending. Tasks run one at a time, in the order they were made; a task covers
   * everything an earlier one would have, so a runner with several queued may run only the last.
   *
   * <p>The default syncs here, on the calling thread, and returns {@link #SYNCED}.
   *
   * @throws LogStoreException if the sync failed (from here or from the task's {@code run()}); the
   *     store then refuses further writes
   */
  default Runnable syncLater() {
    sync();
    return SYNCED;
  }

  /**
   * Drops entries below {@code index} of a group; {@code index} must not pass the group's snapshot
   * index + 1. Compaction may happen later (e.g. whole files), never earlier.
   */
  void compact(long groupId, long index);

  /** Forgets a group and all its records. */
  void removeGroup(long groupId);

  @Override
  void close();
}
