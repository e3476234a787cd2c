package io.crema.raft.core;

import io.crema.raft.Entry;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable view of a range of an entry array whose slots in that range are never written
 * again (see {@link UnstableLog}): handing entries out as a slice copies nothing, and the slice
 * stays valid whatever the log does afterwards.
 */
final class EntrySlice extends AbstractList<Entry> implements RandomAccess {
  private final Entry[] array;
  private final int from;
  private final int to;

  EntrySlice(Entry[] array, int from, int to) {
    this.array = array;
    this.from = from;
    this.to = to;
  }

  @Override
  public Entry get(int i) {
    if (i < 0 || i >= to - from) {
      throw new IndexOutOfBoundsException("index " + i + " of a slice of " + (to - from));
    }
    return array[from + i];
  }

  @Override
  public int size() {
    return to - from;
  }

  @Override
  public List<Entry> subList(int fromIndex, int toIndex) {
    if (fromIndex < 0 || toIndex > to - from || fromIndex > toIndex) {
      throw new IndexOutOfBoundsException(
          "sub-list [" + fromIndex + ", " + toIndex + ") of a slice of " + (to - from));
    }
    return new EntrySlice(array, from + fromIndex, from + toIndex);
  }
}
