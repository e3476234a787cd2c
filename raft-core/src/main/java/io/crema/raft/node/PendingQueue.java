package io.crema.raft.node;

import java.util.concurrent.CompletableFuture;

/**
 * Proposals appended to the log and waiting for their position to be applied, in increasing index
 * order: a ring of parallel arrays, so queueing a proposal allocates nothing once the ring has
 * grown to the group's working size. Host thread only.
 */
final class PendingQueue {
  private long[] index = new long[64];
  private long[] term = new long[64];
  private long[] startNs = new long[64];
  private Object[] future = new Object[64];
  private int head;
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void addLast(long idx, long t, CompletableFuture<Object> f, long start) {
    if (size == index.length) {
      grow();
    }
    int slot = (head + size) & (index.length - 1);
    index[slot] = idx;
    term[slot] = t;
    startNs[slot] = start;
    future[slot] = f;
    size++;
  }

  /**
   * Adds in index order: at the end when {@code idx} is not below the newest (the usual case), else
   * moved back past every newer index (equal indexes keep their arrival order).
   */
  void insert(long idx, long t, CompletableFuture<Object> f, long start) {
    addLast(idx, t, f, start);
    int mask = index.length - 1;
    for (int i = size - 1; i > 0; i--) {
      int at = (head + i) & mask;
      int before = (head + i - 1) & mask;
      if (index[before] <= index[at]) {
        return;
      }
      swap(at, before);
    }
  }

  private void swap(int a, int b) {
    long i = index[a];
    index[a] = index[b];
    index[b] = i;
    long t = term[a];
    term[a] = term[b];
    term[b] = t;
    long s = startNs[a];
    startNs[a] = startNs[b];
    startNs[b] = s;
    Object f = future[a];
    future[a] = future[b];
    future[b] = f;
  }

  long headIndex() {
    return index[head];
  }

  long headTerm() {
    return term[head];
  }

  long headStartNs() {
    return startNs[head];
  }

  /** Removes the oldest and returns its future. */
  @SuppressWarnings("unchecked")
  CompletableFuture<Object> pollHead() {
    CompletableFuture<Object> f = (CompletableFuture<Object>) future[head];
    future[head] = null;
    head = (head + 1) & (index.length - 1);
    size--;
    return f;
  }

  long lastIndex() {
    return index[(head + size - 1) & (index.length - 1)];
  }

  /** Removes the newest and returns its future. */
  @SuppressWarnings("unchecked")
  CompletableFuture<Object> pollLast() {
    int slot = (head + size - 1) & (index.length - 1);
    CompletableFuture<Object> f = (CompletableFuture<Object>) future[slot];
    future[slot] = null;
    size--;
    return f;
  }

  private void grow() {
    int n = index.length;
    long[] newIndex = new long[n * 2];
    long[] newTerm = new long[n * 2];
    long[] newStart = new long[n * 2];
    Object[] newFuture = new Object[n * 2];
    for (int i = 0; i < size; i++) {
      int slot = (head + i) & (n - 1);
      newIndex[i] = index[slot];
      newTerm[i] = term[slot];
      newStart[i] = startNs[slot];
      newFuture[i] = future[slot];
    }
    index = newIndex;
    term = newTerm;
    startNs = newStart;
    future = newFuture;
    head = 0;
  }
}
