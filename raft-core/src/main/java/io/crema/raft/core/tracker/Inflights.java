package io.crema.raft.core.tracker;

/**
 * The appends sent to one peer and not yet acknowledged, bounded by count and by bytes. A ring
 * buffer of (last index, bytes) per message; acknowledgements free a prefix.
 */
public final class Inflights {
  private final int capacity;
  private final long maxBytes;
  private final long[] indexes;
  private final long[] sizes;
  private int start;
  private int count;
  private long bytes;

  /**
   * @param capacity most messages in flight (at least 1)
   * @param maxBytes most payload bytes in flight; 0 = no byte limit
   */
  public Inflights(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("in-flight capacity must be >= 1, was " + capacity);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("in-flight max bytes must be >= 0, was " + maxBytes);
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.indexes = new long[capacity];
    this.sizes = new long[capacity];
  }

  /**
   * Records a message whose last entry has {@code index}. Indexes must increase.
   *
   * @throws IllegalStateException if the window is full
   */
  public void add(long index, long sizeBytes) {
    if (full()) {
      throw new IllegalStateException(
          "in-flight window is full (" + count + " messages, " + bytes + " bytes)");
    }
    int slot = (start + count) % capacity;
    indexes[slot] = index;
    sizes[slot] = sizeBytes;
    count++;
    bytes += sizeBytes;
  }

  /** Frees every message whose last index is {@code <= index}. */
  public void freeLe(long index) {
    while (count > 0 && indexes[start] <= index) {
      bytes -= sizes[start];
      start = (start + 1) % capacity;
      count--;
    }
    if (count == 0) {
      start = 0;
    }
  }

  /** Whether no more messages may be sent. */
  public boolean full() {
    return count == capacity || (maxBytes != 0 && bytes >= maxBytes);
  }

  public int count() {
    return count;
  }

  public long bytes() {
    return bytes;
  }

  public void reset() {
    start = 0;
    count = 0;
    bytes = 0;
  }
}
