package io.crema.wal;

import java.util.Arrays;

/**
 * A sorted map from Raft index to a long value that holds for a run of indexes: run k covers
 * [start(k), start(k+1)). Used for terms (a run per term change) and for queue positions (a run per
 * ENTRIES record). Primitive arrays, no boxing; not thread-safe.
 */
final class RunIndex {
  private long[] starts = new long[8];
  private long[] values = new long[8];
  private int head;
  private int tail;

  boolean isEmpty() {
    return head == tail;
  }

  void clear() {
    head = 0;
    tail = 0;
  }

  /** Adds a run starting at {@code start}, which must be above every start held. */
  void add(long start, long value) {
    if (tail > head && starts[tail - 1] >= start) {
      throw new IllegalStateException(
          "run start " + start + " is not above the last start " + starts[tail - 1]);
    }
    if (tail == starts.length) {
      if (head > starts.length / 2) {
        compactArrays();
      } else {
        starts = Arrays.copyOf(starts, starts.length * 2);
        values = Arrays.copyOf(values, values.length * 2);
      }
    }
    starts[tail] = start;
    values[tail++] = value;
  }

  /** Adds a run unless the last run already has this value (merging equal neighbours). */
  void addIfChanged(long start, long value) {
    if (tail > head && values[tail - 1] == value) {
      return;
    }
    add(start, value);
  }

  private void compactArrays() {
    int n = tail - head;
    System.arraycopy(starts, head, starts, 0, n);
    System.arraycopy(values, head, values, 0, n);
    head = 0;
    tail = n;
  }

  /** Removes every run that starts at or above {@code index}. */
  void truncateFrom(long index) {
    while (tail > head && starts[tail - 1] >= index) {
      tail--;
    }
  }

  /** Drops runs that lie wholly below {@code index}; the run holding {@code index} stays. */
  void dropBefore(long index) {
    while (tail - head > 1 && starts[head + 1] <= index) {
      head++;
    }
  }

  /** Position (for {@link #startAt}/{@link #valueAt}) of the run holding index, or -1. */
  int find(long index) {
    int lo = head;
    int hi = tail - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= index) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The value of the run holding index. */
  long valueOf(long index) {
    int k = find(index);
    if (k < 0) {
      throw new IllegalStateException("no run holds index " + index);
    }
    return values[k];
  }

  long startAt(int position) {
    return starts[position];
  }

  long valueAt(int position) {
    return values[position];
  }

  /** One past the last position. */
  int endPosition() {
    return tail;
  }
}
