package io.crema.raft.core;

import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import java.util.List;

/**
 * Entries (and possibly an incoming snapshot) not yet known to be durable. Entries with index at or
 * past {@code offsetInProgress} have not been handed to the host yet; those between {@code offset}
 * and {@code offsetInProgress} are being persisted.
 */
final class UnstableLog {
  private static final int MIN_CAPACITY = 64;

  private SnapshotMeta snapshot;
  private boolean snapshotInProgress;
  // Entries [offset, offset + size) are buf[head, head + size). A slot of buf is written once and
  // never again: entries are handed out (nextEntries, slice) as views, not copies, and stay valid.
  // Dropping durable entries moves head on; a truncation, or an append that does not fit, moves the
  // live entries to a new array. So head + size only grows while buf is the same array.
  private Entry[] buf = new Entry[MIN_CAPACITY];
  private int head;
  private int size;
  private long offset;
  private long offsetInProgress;

  UnstableLog(long offset) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  SnapshotMeta snapshot() {
    return snapshot;
  }

  boolean hasSnapshotPending() {
    return snapshot != null;
  }

  long offset() {
    return offset;
  }

  /** First index if a snapshot is pending, else -1. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  /** Last index held here, or -1. */
  long maybeLastIndex() {
    if (size > 0) {
      return offset + size - 1;
    }
    return snapshot != null ? snapshot.index() : -1;
  }

  /** Term of index if held here, or -1. */
  long maybeTerm(long index) {
    if (index < offset) {
      return snapshot != null && snapshot.index() == index ? snapshot.term() : -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || index > last) {
      return -1;
    }
    return buf[head + (int) (index - offset)].term();
  }

  /** Entries not yet handed to the host (a view that stays valid). */
  List<Entry> nextEntries() {
    int from = (int) (offsetInProgress - offset);
    if (from >= size) {
      return List.of();
    }
    return new EntrySlice(buf, head + from, head + size);
  }

  /** The snapshot if not yet handed to the host. */
  SnapshotMeta nextSnapshot() {
    return snapshot == null || snapshotInProgress ? null : snapshot;
  }

  boolean hasNextEntries() {
    return offsetInProgress - offset < size;
  }

  /** Marks everything held here as handed to the host. */
  void acceptInProgress() {
    if (size > 0) {
      offsetInProgress = offset + size;
    }
    if (snapshot != null) {
      snapshotInProgress = true;
    }
  }

  /** Entries up to (index, term) are durable: drop them from here. */
  void stableTo(long index, long term) {
    long t = maybeTerm(index);
    if (t < 0 || t != term || index < offset) {
      // Stale: the entry was overwritten since it was handed out, or is already stable.
      return;
    }
    int n = (int) (index + 1 - offset);
    head += n;
    size -= n;
    offset = index + 1;
    offsetInProgress = Math.max(offsetInProgress, offset);
  }

  /** The snapshot at index is durable. */
  void stableSnapshotTo(long index) {
    if (snapshot != null && snapshot.index() == index) {
      snapshot = null;
      snapshotInProgress = false;
    }
  }

  /** Replaces everything with an incoming snapshot. */
  void restore(SnapshotMeta meta) {
    head += size;
    size = 0;
    offset = meta.index() + 1;
    offsetInProgress = offset;
    snapshot = meta;
    snapshotInProgress = false;
  }

  /** Appends, truncating any held entries from the first new index on. */
  void truncateAndAppend(List<Entry> es) {
    long from = es.get(0).index();
    long end = offset + size;
    if (from == end) {
      append(es);
    } else if (from <= offset) {
      // Replaces all we hold (and possibly part of the stable log: the storage append overwrites).
      moveTo(0, es.size());
      append(es);
      offset = from;
      offsetInProgress = offset;
    } else {
      // Keeps [offset, from): the slots after it may be in slices handed out, so a new array.
      moveTo((int) (from - offset), es.size());
      append(es);
      offsetInProgress = Math.min(offsetInProgress, from);
    }
  }

  private void append(List<Entry> es) {
    int n = es.size();
    if (head + size + n > buf.length) {
      moveTo(size, n);
    }
    int at = head + size;
    for (int i = 0; i < n; i++) {
      buf[at + i] = es.get(i);
    }
    size += n;
  }

  /**
   * Moves the first {@code keep} live entries to the start of a new array with room for {@code
   * more} after them (the old array stays as it is for the slices that view it).
   */
  private void moveTo(int keep, int more) {
    Entry[] next = new Entry[Math.max(MIN_CAPACITY, 4 * (keep + more))];
    System.arraycopy(buf, head, next, 0, keep);
    buf = next;
    head = 0;
    size = keep;
  }

  /** Entries [lo, hi) held here; lo >= offset (a view that stays valid). */
  List<Entry> slice(long lo, long hi) {
    return new EntrySlice(buf, head + (int) (lo - offset), head + (int) (hi - offset));
  }
}
