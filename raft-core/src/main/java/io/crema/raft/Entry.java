package io.crema.raft;

import java.util.Arrays;

/**
 * One Raft log entry. Immutable: the payload array is owned by the entry once constructed and must
 * not be modified by anyone afterwards (entries are shared between the log, messages and the state
 * machine without copying).
 */
public final class Entry {
  private static final byte[] EMPTY = new byte[0];

  /** Bytes counted per entry on top of the payload when sizing batches and in-flight windows. */
  public static final int OVERHEAD_BYTES = 24;

  private final long index;
  private final long term;
  private final EntryType type;
  private final byte[] data;

  /**
   * Creates an entry.
   *
   * @throws IllegalArgumentException if index or term is not positive
   */
  public Entry(long index, long term, EntryType type, byte[] data) {
    if (index <= 0) {
      throw new IllegalArgumentException("entry index must be > 0, was " + index);
    }
    if (term <= 0) {
      throw new IllegalArgumentException("entry term must be > 0, was " + term);
    }
    if (type == null) {
      throw new IllegalArgumentException("entry type must not be null");
    }
    this.index = index;
    this.term = term;
    this.type = type;
    this.data = data == null ? EMPTY : data;
  }

  /** A normal entry. */
  public static Entry normal(long index, long term, byte[] data) {
    return new Entry(index, term, EntryType.NORMAL, data);
  }

  public long index() {
    return index;
  }

  public long term() {
    return term;
  }

  public EntryType type() {
    return type;
  }

  /** The payload; never null, empty for the leader's no-op. Do not modify. */
  public byte[] data() {
    return data;
  }

  /** The size this entry counts for in byte-bounded batches. */
  public long sizeBytes() {
    return (long) data.length + OVERHEAD_BYTES;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Entry)) {
      return false;
    }
    Entry e = (Entry) o;
    return index == e.index && term == e.term && type == e.type && Arrays.equals(data, e.data);
  }

  @Override
  public int hashCode() {
    return (int) (index * 31 + term) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Entry{" + index + "@" + term + " " + type + " " + data.length + "B}";
  }
}
