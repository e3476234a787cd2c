package io.crema.wal;

import io.crema.raft.Entry;
import io.crema.raft.LogBatch;

/**
 * Checks one group's write against the group's current state before anything of it is written, so
 * that a rejected write changes nothing of that group.
 */
final class BatchValidator {
  private final int maxEntryBytes;

  BatchValidator(int maxEntryBytes) {
    this.maxEntryBytes = maxEntryBytes;
  }

  /**
   * @param g the group's state, or null if the group is unknown
   * @throws IllegalArgumentException naming the group and the offending index or size
   */
  void validate(LogBatch.GroupWrite w, GroupLog g) {
    long groupId = w.groupId();
    if (groupId < 0) {
      throw new IllegalArgumentException("group id must be >= 0, was " + groupId);
    }
    long snapshotIndex = g == null ? 0 : g.snapshot().index();
    long first = g == null ? 1 : g.firstIndex();
    long last = g == null ? 0 : g.lastIndex();
    if (w.snapshot() != null) {
      if (w.snapshot().index() < snapshotIndex) {
        throw new IllegalArgumentException(
            "group "
                + groupId
                + ": snapshot "
                + w.snapshot().index()
                + " is older than the installed one "
                + snapshotIndex);
      }
      if (g == null || !g.matches(w.snapshot())) {
        first = w.snapshot().index() + 1;
        last = w.snapshot().index();
      }
    }
    if (!w.entries().isEmpty()) {
      checkEntries(groupId, w, first, last);
    }
  }

  private void checkEntries(long groupId, LogBatch.GroupWrite w, long first, long last) {
    long firstNew = w.entries().get(0).index();
    if (firstNew < first) {
      throw new IllegalArgumentException(
          "group "
              + groupId
              + ": append at index "
              + firstNew
              + " is below the first index "
              + first);
    }
    if (firstNew > last + 1) {
      throw new IllegalArgumentException(
          "group "
              + groupId
              + ": append at index "
              + firstNew
              + " leaves a gap after the last index "
              + last);
    }
    for (Entry e : w.entries()) {
      if (e.data().length > maxEntryBytes) {
        throw new IllegalArgumentException(
            "group "
                + groupId
                + ": entry "
                + e.index()
                + " has "
                + e.data().length
                + " payload bytes, more than the limit of "
                + maxEntryBytes);
      }
    }
  }
}
