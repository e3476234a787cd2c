package io.crema.raft;

import java.util.List;

/**
 * The read view of one group's durable log that the Raft algorithm needs. Entries before {@link
 * #firstIndex()} have been compacted into the snapshot described by {@link #snapshot()}.
 *
 * <p>Implementations are read from the thread that drives the group only.
 */
public interface LogReader {
  /** Index of the first entry still in the log; {@code snapshot().index() + 1} if none. */
  long firstIndex();

  /** Index of the last entry; {@code snapshot().index()} when the log holds no entries. */
  long lastIndex();

  /**
   * Term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()} (the
   * snapshot's own index answers with the snapshot's term).
   *
   * @throws LogCompactedException if {@code index < firstIndex() - 1}
   * @throws IllegalArgumentException if {@code index > lastIndex()}
   */
  long term(long index);

  /**
   * Entries {@code [lo, hi)}, stopping early once {@code maxBytes} is exceeded but always returning
   * at least one entry when {@code lo < hi}. Sizes are {@link Entry#sizeBytes()}.
   *
   * @throws LogCompactedException if {@code lo < firstIndex()}
   * @throws IllegalArgumentException if {@code hi > lastIndex() + 1} or {@code lo > hi}
   */
  List<Entry> entries(long lo, long hi, long maxBytes);

  /** The latest snapshot's metadata; {@link SnapshotMeta#EMPTY}-like (index 0) when none. */
  SnapshotMeta snapshot();

  /** The last persisted hard state of the group; {@link HardState#EMPTY} when none. */
  HardState hardState();
}
