package io.crema.wal;

import io.crema.raft.Entry;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent entries of one group, bounded by count and bytes: a ring of contiguous entries
 * [first, first + size). Serves replication reads without touching the queue. Not thread-safe.
 */
final class EntryCache {
  private final int maxEntries;
  private final long maxBytes;
  private Entry[] ring;
  private int headSlot;
  private int size;
  private long first = 1;
  private long bytes;

  EntryCache(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ring = new Entry[Math.min(Math.max(maxEntries, 1), 16)];
  }

  /** The first cached index; entries at or above it (up to {@link #end()}) are cached. */
  long first() {
    return first;
  }

  /** One past the last cached index. */
  long end() {
    return first + size;
  }

  boolean contains(long index) {
    return index >= first && index < first + size;
  }

  Entry get(long index) {
    return ring[slot((int) (index - first))];
  }

  private int slot(int offset) {
    return (headSlot + offset) % ring.length;
  }

  /** Forgets everything; the next entry expected is {@code nextIndex}. */
  void reset(long nextIndex) {
    Arrays.fill(ring, null);
    headSlot = 0;
    size = 0;
    bytes = 0;
    first = nextIndex;
  }

  /** Forgets entries at or above {@code index}. */
  void truncateFrom(long index) {
    if (index <= first) {
      reset(index);
      return;
    }
    while (size > 0 && first + size > index) {
      int s = slot(size - 1);
      bytes -= ring[s].sizeBytes();
      ring[s] = null;
      size--;
    }
  }

  /** Forgets entries below {@code index}. */
  void dropBefore(long index) {
    while (size > 0 && first < index) {
      evictHead();
    }
    if (size == 0 && first < index) {
      first = index;
    }
  }

  /** Adds entries that follow the cached ones (callers truncate first), evicting old ones. */
  void append(List<Entry> entries, int from, int to) {
    if (maxEntries == 0 || maxBytes == 0 || from >= to) {
      if (from < to) {
        reset(entries.get(to - 1).index() + 1);
      }
      return;
    }
    if (entries.get(from).index() != end()) {
      reset(entries.get(from).index());
    }
    for (int i = from; i < to; i++) {
      Entry e = entries.get(i);
      if (size == ring.length) {
        if (ring.length < maxEntries) {
          grow();
        } else {
          evictHead();
        }
      }
      ring[slot(size)] = e;
      size++;
      bytes += e.sizeBytes();
      while (size > 0 && bytes > maxBytes) {
        evictHead();
      }
    }
    if (size == 0) {
      first = entries.get(to - 1).index() + 1;
    }
  }

  private void evictHead() {
    bytes -= ring[headSlot].sizeBytes();
    ring[headSlot] = null;
    headSlot = (headSlot + 1) % ring.length;
    size--;
    first++;
  }

  private void grow() {
    Entry[] bigger = new Entry[Math.min(ring.length * 2, maxEntries)];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[slot(i)];
    }
    ring = bigger;
    headSlot = 0;
  }
}
