package io.crema.raft;

/**
 * What a snapshot covers: the last log index and term it includes and the membership as of that
 * index. The snapshot's data travels separately (see {@link SnapshotStore}).
 */
public record SnapshotMeta(long index, long term, ConfState confState) {
  /** No snapshot. */
  public static final SnapshotMeta EMPTY = new SnapshotMeta(0, 0, ConfState.EMPTY);

  public SnapshotMeta {
    if (index < 0 || term < 0) {
      throw new IllegalArgumentException(
          "snapshot index and term must be >= 0: index=" + index + " term=" + term);
    }
    if ((index == 0) != (term == 0)) {
      throw new IllegalArgumentException(
          "snapshot index and term must both be 0 or both > 0: index=" + index + " term=" + term);
    }
    if (confState == null) {
      throw new IllegalArgumentException("snapshot confState must not be null");
    }
  }

  public boolean isEmpty() {
    return index == 0;
  }
}
