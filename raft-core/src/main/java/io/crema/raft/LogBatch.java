package io.crema.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * One write to a node's log that may cover many groups: snapshots installed, entries appended (an
 * append at index i replaces any existing entries from i on) and hard states. A {@link LogStore}
 * applies the parts of one group in this order: snapshot, entries, hard state. Reusable after
 * {@link #clear()}; not thread-safe.
 *
 * <p>A snapshot record makes the snapshot the group's latest. If the log holds an entry at the
 * snapshot's index with the snapshot's term (a snapshot taken locally, or one covering a prefix of
 * what the node has), the entries are kept and only {@link LogStore#compact} removes them later;
 * otherwise the whole log is replaced by the snapshot (Raft paper, figure 13, step 7).
 */
public final class LogBatch {
  /** The writes of one group. */
  public record GroupWrite(
      long groupId, SnapshotMeta snapshot, List<Entry> entries, HardState hardState) {}

  private final List<GroupWrite> writes = new ArrayList<>();
  private long entryCount;
  private long entryBytes;

  /**
   * Adds one group's writes. Any part may be null/empty.
   *
   * @throws IllegalArgumentException if the entries are not contiguous and increasing
   */
  public LogBatch add(
      long groupId, SnapshotMeta snapshot, List<Entry> entries, HardState hardState) {
    List<Entry> es = entries == null ? List.of() : entries;
    for (int i = 1; i < es.size(); i++) {
      if (es.get(i).index() != es.get(i - 1).index() + 1) {
        throw new IllegalArgumentException(
            "entries for group "
                + groupId
                + " are not contiguous: "
                + es.get(i - 1).index()
                + " then "
                + es.get(i).index());
      }
    }
    if (snapshot == null && es.isEmpty() && hardState == null) {
      return this;
    }
    writes.add(new GroupWrite(groupId, snapshot, es, hardState));
    entryCount += es.size();
    for (Entry e : es) {
      entryBytes += e.sizeBytes();
    }
    return this;
  }

  /** The group writes, in the order added. */
  public List<GroupWrite> writes() {
    return writes;
  }

  public boolean isEmpty() {
    return writes.isEmpty();
  }

  public long entryCount() {
    return entryCount;
  }

  public long entryBytes() {
    return entryBytes;
  }

  public void clear() {
    writes.clear();
    entryCount = 0;
    entryBytes = 0;
  }
}
