package io.crema.raft.core;

import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries (and possibly an incoming snapshot) not yet known to be durable. Entries with index at or
 * past {@code offsetInProgress} have not been handed to the host yet; those between {@code offset}
 * and {@code offsetInProgress} are being persisted.
 */
final class UnstableLog {
  private SnapshotMeta snapshot;
  private boolean snapshotInProgress;
  private final ArrayList<Entry> entries = new ArrayList<>();
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
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
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
    return entries.get((int) (index - offset)).term();
  }

  /** Entries not yet handed to the host. */
  List<Entry> nextEntries() {
    int from = (int) (offsetInProgress - offset);
    if (from >= entries.size()) {
      return List.of();
    }
    return List.copyOf(entries.subList(from, entries.size()));
  }

  /** The snapshot if not yet handed to the host. */
  SnapshotMeta nextSnapshot() {
    return snapshot == null || snapshotInProgress ? null : snapshot;
  }

  boolean hasNextEntries() {
    return offsetInProgress - offset < entries.size();
  }

  /** Marks everything held here as handed to the host. */
  void acceptInProgress() {
    if (!entries.isEmpty()) {
      offsetInProgress = offset + entries.size();
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
    entries.subList(0, n).clear();
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
    entries.clear();
    offset = meta.index() + 1;
    offsetInProgress = offset;
    snapshot = meta;
    snapshotInProgress = false;
  }

  /** Appends, truncating any held entries from the first new index on. */
  void truncateAndAppend(List<Entry> es) {
    long from = es.get(0).index();
    long end = offset + entries.size();
    if (from == end) {
      addAll(es);
    } else if (from <= offset) {
      // Replaces all we hold (and possibly part of the stable log: the storage append overwrites).
      entries.clear();
      addAll(es);
      offset = from;
      offsetInProgress = offset;
    } else {
      entries.subList((int) (from - offset), entries.size()).clear();
      addAll(es);
      offsetInProgress = Math.min(offsetInProgress, from);
    }
  }

  /** ArrayList.addAll copies the source into a new array first: add one by one instead. */
  private void addAll(List<Entry> es) {
    if (!(es instanceof java.util.RandomAccess)) {
      entries.addAll(es);
      return;
    }
    entries.ensureCapacity(entries.size() + es.size());
    for (int i = 0; i < es.size(); i++) {
      entries.add(es.get(i));
    }
  }

  /** Entries [lo, hi) held here; lo >= offset. */
  List<Entry> slice(long lo, long hi) {
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
