package io.crema.raft.storage;

import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogCompactedException;
import io.crema.raft.LogReader;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/** One group's log held in memory: a snapshot, the entries after it and the hard state. */
final class MemoryGroupLog implements LogReader {
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  private HardState hardState = HardState.EMPTY;

  /** entries.get(i) has index offset + i, where offset = snapshot/compaction index + 1. */
  private final ArrayList<Entry> entries = new ArrayList<>();

  private long offset = 1;

  MemoryGroupLog copy() {
    MemoryGroupLog c = new MemoryGroupLog();
    c.snapshot = snapshot;
    c.hardState = hardState;
    c.entries.addAll(entries);
    c.offset = offset;
    c.termBeforeFirst = termBeforeFirst;
    return c;
  }

  @Override
  public long firstIndex() {
    return offset;
  }

  @Override
  public long lastIndex() {
    return offset + entries.size() - 1;
  }

  @Override
  public long term(long index) {
    if (index < offset - 1) {
      throw new LogCompactedException(index, offset);
    }
    if (index > lastIndex()) {
      throw new IllegalArgumentException(
          "term of index " + index + " asked, but the last index is " + lastIndex());
    }
    if (index == offset - 1) {
      return index == snapshot.index() ? snapshot.term() : termBeforeFirst;
    }
    return entries.get((int) (index - offset)).term();
  }

  /** Term of offset - 1 when compaction moved past the snapshot index. */
  private long termBeforeFirst;

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < offset) {
      throw new LogCompactedException(lo, offset);
    }
    if (hi > lastIndex() + 1 || lo > hi) {
      throw new IllegalArgumentException(
          "entries ["
              + lo
              + ", "
              + hi
              + ") asked, but the log holds ["
              + offset
              + ", "
              + (lastIndex() + 1)
              + ")");
    }
    if (lo == hi) {
      return List.of();
    }
    long bytes = 0;
    int from = (int) (lo - offset);
    int to = from;
    int end = (int) (hi - offset);
    while (to < end) {
      bytes += entries.get(to).sizeBytes();
      if (bytes > maxBytes && to > from) {
        break;
      }
      to++;
    }
    return List.copyOf(entries.subList(from, to));
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  void installSnapshot(SnapshotMeta meta) {
    if (meta.index() < snapshot.index()) {
      throw new IllegalArgumentException(
          "snapshot " + meta.index() + " is older than the installed one " + snapshot.index());
    }
    boolean matches =
        meta.index() >= offset - 1
            && meta.index() <= lastIndex()
            && term(meta.index()) == meta.term();
    snapshot = meta;
    if (matches) {
      // A snapshot of a prefix of this log (taken locally, or covering what we hold): keep the
      // entries; compaction is a separate step.
      return;
    }
    entries.clear();
    offset = meta.index() + 1;
    termBeforeFirst = meta.term();
  }

  void append(List<Entry> es) {
    if (es.isEmpty()) {
      return;
    }
    long first = es.get(0).index();
    if (first < offset) {
      throw new IllegalArgumentException(
          "append at index " + first + " is below the first index " + offset);
    }
    if (first > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "append at index " + first + " leaves a gap after the last index " + lastIndex());
    }
    int keep = (int) (first - offset);
    if (keep < entries.size()) {
      entries.subList(keep, entries.size()).clear();
    }
    entries.addAll(es);
  }

  void hardState(HardState hs) {
    hardState = hs;
  }

  void compact(long index) {
    if (index <= offset) {
      return;
    }
    if (index > snapshot.index() + 1) {
      throw new IllegalArgumentException(
          "cannot compact to " + index + " past the snapshot index " + snapshot.index() + " + 1");
    }
    if (index > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "cannot compact to " + index + " past the last index " + lastIndex() + " + 1");
    }
    long newTermBefore = term(index - 1);
    entries.subList(0, (int) (index - offset)).clear();
    offset = index;
    termBeforeFirst = newTermBefore;
  }
}
