package io.crema.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The key-value state of the in-memory Raft benchmarks, ours and MicroRaft's alike: 16-byte keys to
 * 16-byte values in an open-addressing hash table (linear probing, deletion by backward shift) held
 * in one {@code long[]}, four words a slot. A put copies the key and value words out of the command
 * and allocates nothing; an overwrite touches one slot. It replaced a {@code HashMap<ByteBuffer,
 * byte[]>}, which allocated a key view, a value array and (for a new key) a node per put and whose
 * lookups went through the buffers' byte-wise {@code hashCode} and {@code equals}: that map, not
 * Raft, was the largest cost of both the MicroRaft and our in-memory benchmark (async-profiler: 37%
 * of our CPU, 19% of MicroRaft's), so the comparison measured the map more than the Raft.
 *
 * <p>Not thread-safe: each replica's table is used by its own node's thread.
 */
public final class KeyValueTable {
  public static final int KEY_BYTES = 16;
  public static final int VALUE_BYTES = 16;

  /** The largest number of slots (a power of two): 2^28 slots of 32 bytes, 8 GiB. */
  static final int MAX_SLOTS = 1 << 28;

  private static final int STRIDE = 4;
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long[] words;
  private boolean[] used;
  private int mask;
  private int size;

  /** A table sized for {@code expected} keys before it first grows. */
  public KeyValueTable(int expected) {
    if (expected < 0 || expected > MAX_SLOTS / 2) {
      throw new IllegalArgumentException(
          "expected keys must be in [0, " + MAX_SLOTS / 2 + "], was " + expected);
    }
    allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expected * 2 - 1)) << 1));
  }

  private void allocate(int slots) {
    words = new long[slots * STRIDE];
    used = new boolean[slots];
    mask = slots - 1;
  }

  /** Keys held. */
  public int size() {
    return size;
  }

  /** Maps the 16 bytes at {@code keyOffset} of {@code src} to the 16 at {@code valueOffset}. */
  public void put(byte[] src, int keyOffset, int valueOffset) {
    check(src, keyOffset, KEY_BYTES, "key");
    check(src, valueOffset, VALUE_BYTES, "value");
    long k0 = (long) WORDS.get(src, keyOffset);
    long k1 = (long) WORDS.get(src, keyOffset + 8);
    put(k0, k1, (long) WORDS.get(src, valueOffset), (long) WORDS.get(src, valueOffset + 8));
  }

  private void put(long k0, long k1, long v0, long v1) {
    int i = find(k0, k1);
    if (!used[i]) {
      if (size + 1 > (mask + 1) / 2) {
        grow();
        i = find(k0, k1);
      }
      used[i] = true;
      words[i * STRIDE] = k0;
      words[i * STRIDE + 1] = k1;
      size++;
    }
    words[i * STRIDE + 2] = v0;
    words[i * STRIDE + 3] = v1;
  }

  /** The value of the 16-byte {@code key} (a copy), or null if absent. */
  public byte[] get(byte[] key) {
    check(key, 0, KEY_BYTES, "key");
    int i = find((long) WORDS.get(key, 0), (long) WORDS.get(key, 8));
    if (!used[i]) {
      return null;
    }
    byte[] v = new byte[VALUE_BYTES];
    WORDS.set(v, 0, words[i * STRIDE + 2]);
    WORDS.set(v, 8, words[i * STRIDE + 3]);
    return v;
  }

  /** Removes the 16-byte key at {@code keyOffset} of {@code src}; true if it was present. */
  public boolean remove(byte[] src, int keyOffset) {
    check(src, keyOffset, KEY_BYTES, "key");
    int hole = find((long) WORDS.get(src, keyOffset), (long) WORDS.get(src, keyOffset + 8));
    if (!used[hole]) {
      return false;
    }
    // Backward shift: move later entries of the probe run into the hole when their home slot is
    // not in the cyclic range (hole, j], so that every key stays reachable from its home.
    int j = hole;
    while (true) {
      j = (j + 1) & mask;
      if (!used[j]) {
        break;
      }
      int home = home(words[j * STRIDE], words[j * STRIDE + 1]);
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        System.arraycopy(words, j * STRIDE, words, hole * STRIDE, STRIDE);
        hole = j;
      }
    }
    used[hole] = false;
    size--;
    return true;
  }

  /** Removes every key. */
  public void clear() {
    java.util.Arrays.fill(used, false);
    size = 0;
  }

  /** An independent copy (a snapshot of the state). */
  public KeyValueTable copy() {
    KeyValueTable c = new KeyValueTable(0);
    c.words = words.clone();
    c.used = used.clone();
    c.mask = mask;
    c.size = size;
    return c;
  }

  /** Puts every key of {@code other} (its values win). */
  public void putAll(KeyValueTable other) {
    for (int i = 0; i <= other.mask; i++) {
      if (other.used[i]) {
        int w = i * STRIDE;
        long[] o = other.words;
        put(o[w], o[w + 1], o[w + 2], o[w + 3]);
      }
    }
  }

  /** The slot holding the key, or the free slot ending its probe run. */
  private int find(long k0, long k1) {
    int i = home(k0, k1);
    while (used[i] && (words[i * STRIDE] != k0 || words[i * STRIDE + 1] != k1)) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private int home(long k0, long k1) {
    long h = (k0 ^ Long.rotateLeft(k1, 32)) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h & mask;
  }

  private void grow() {
    if (mask + 1 >= MAX_SLOTS) {
      throw new IllegalStateException("the table is full: " + size + " keys in " + MAX_SLOTS);
    }
    long[] oldWords = words;
    boolean[] oldUsed = used;
    allocate((mask + 1) * 2);
    size = 0;
    for (int i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) {
        int w = i * STRIDE;
        put(oldWords[w], oldWords[w + 1], oldWords[w + 2], oldWords[w + 3]);
      }
    }
  }

  private static void check(byte[] src, int offset, int length, String what) {
    if (offset < 0 || offset > src.length - length) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " is "
              + length
              + " bytes: offset "
              + offset
              + " of a "
              + src.length
              + "-byte array leaves "
              + Math.max(0, src.length - Math.max(0, offset))
              + " bytes");
    }
  }
}
