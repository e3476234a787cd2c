package io.crema.raft.testkit.linearizability;

import java.util.Arrays;

/**
 * Lowe's memo table of search configurations already explored, with subsumption for UNKNOWN
 * operations.
 *
 * <p>A configuration is a key (register value, whether the last operation was UNKNOWN, and the set
 * of linearized OK operations, encoded by {@link KeySearch} as a short int array) plus which
 * UNKNOWN operations are linearized, as (twin class, count) pairs sorted by class. A configuration
 * is covered if one with the same key and, in every class, at most as many linearized UNKNOWN
 * operations was explored: having used fewer optional operations leaves at least the same futures,
 * because UNKNOWN operations precede nothing in real time and may also never take effect, and twins
 * are interchangeable. For each key the table keeps only the minimal count vectors seen.
 *
 * <p>Storage is one int pool with open addressing over it, so an entry costs a few ints rather than
 * a few objects: key entries {@code [hash, length, first vector node, key...]} and vector nodes
 * {@code [next node, length, pairs...]}, where node references are pool offsets + 1 (0 ends a
 * list).
 */
final class StateCache {
  /** Results of {@link #add}. */
  static final int ADDED = 1;

  static final int COVERED = 0;
  static final int FULL = -1;

  /** Pool limit in ints (256 MiB); past it the search reports its budget exhausted. */
  static final int MAX_POOL_INTS = 1 << 26;

  private int[] table = new int[1 << 10]; // key entry offset + 1; 0 is an empty slot
  private int[] pool = new int[1 << 12];
  private int poolSize;
  private int keys;

  /**
   * Records configuration ({@code key[0..keyLen)}, counts {@code unknown[0..unknownLen)}) unless
   * covered: ADDED, COVERED, or FULL (nothing recorded, the pool limit was reached).
   */
  int add(int[] key, int keyLen, int[] unknown, int unknownLen) {
    int hash = hash(key, keyLen);
    int mask = table.length - 1;
    int slot = hash & mask;
    for (int ref = table[slot]; ref != 0; ref = table[slot]) {
      int entry = ref - 1;
      if (matches(entry, hash, key, keyLen)) {
        return addSet(entry, unknown, unknownLen);
      }
      slot = (slot + 1) & mask;
    }
    int entry = allocate(keyLen + 3 + unknownLen + 2);
    if (entry < 0) {
      return FULL;
    }
    pool[entry] = hash;
    pool[entry + 1] = keyLen;
    System.arraycopy(key, 0, pool, entry + 3, keyLen);
    int node = entry + 3 + keyLen;
    writeNode(node, 0, unknown, unknownLen);
    pool[entry + 2] = node + 1;
    table[slot] = entry + 1;
    if (++keys * 2 > table.length) {
      grow();
    }
    return ADDED;
  }

  /** The number of distinct keys recorded. */
  int keys() {
    return keys;
  }

  private int addSet(int entry, int[] unknown, int unknownLen) {
    int previous = -1;
    for (int ref = pool[entry + 2]; ref != 0; ) {
      int node = ref - 1;
      int next = pool[node];
      if (nodeCovers(node, unknown, unknownLen)) {
        return COVERED;
      }
      if (coversNode(node, unknown, unknownLen)) {
        // The new, smaller vector covers this one: unlink it to keep the list an antichain.
        if (previous < 0) {
          pool[entry + 2] = next;
        } else {
          pool[previous] = next;
        }
      } else {
        previous = node;
      }
      ref = next;
    }
    int node = allocate(unknownLen + 2);
    if (node < 0) {
      return FULL;
    }
    writeNode(node, pool[entry + 2], unknown, unknownLen);
    pool[entry + 2] = node + 1;
    return ADDED;
  }

  private void writeNode(int node, int next, int[] unknown, int unknownLen) {
    pool[node] = next;
    pool[node + 1] = unknownLen;
    System.arraycopy(unknown, 0, pool, node + 2, unknownLen);
  }

  /** Reserves {@code ints} pool ints; their offset, or -1 past the limit. */
  private int allocate(int ints) {
    long needed = (long) poolSize + ints;
    if (needed > MAX_POOL_INTS) {
      return -1;
    }
    if (needed > pool.length) {
      pool = Arrays.copyOf(pool, (int) Math.min(MAX_POOL_INTS, Math.max(needed, 2L * pool.length)));
    }
    int offset = poolSize;
    poolSize = (int) needed;
    return offset;
  }

  /** Whether node's counts are all at most those of {@code ids[0..len)}: node covers them. */
  private boolean nodeCovers(int node, int[] ids, int len) {
    return atMost(pool, node + 2, pool[node + 1], ids, 0, len);
  }

  /** Whether the counts of {@code ids[0..len)} are all at most node's: they cover node. */
  private boolean coversNode(int node, int[] ids, int len) {
    return atMost(ids, 0, len, pool, node + 2, pool[node + 1]);
  }

  /**
   * Whether every (class, count) pair of {@code a} has a pair of the same class with at least that
   * count in {@code b}; both are sorted by class.
   */
  private static boolean atMost(int[] a, int aFrom, int aLen, int[] b, int bFrom, int bLen) {
    if (aLen > bLen) {
      return false;
    }
    int j = 0;
    for (int i = 0; i < aLen; i += 2) {
      int c = a[aFrom + i];
      while (j < bLen && b[bFrom + j] < c) {
        j += 2;
      }
      if (j == bLen || b[bFrom + j] != c || b[bFrom + j + 1] < a[aFrom + i + 1]) {
        return false;
      }
      j += 2;
    }
    return true;
  }

  private boolean matches(int entry, int hash, int[] key, int len) {
    if (pool[entry] != hash || pool[entry + 1] != len) {
      return false;
    }
    return Arrays.equals(pool, entry + 3, entry + 3 + len, key, 0, len);
  }

  private void grow() {
    int[] bigger = new int[table.length * 2];
    int mask = bigger.length - 1;
    for (int ref : table) {
      if (ref != 0) {
        int slot = pool[ref - 1] & mask;
        while (bigger[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        bigger[slot] = ref;
      }
    }
    table = bigger;
  }

  private static int hash(int[] key, int len) {
    int h = len;
    for (int i = 0; i < len; i++) {
      int k = key[i] * 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15) * 0x1b873593;
      h = Integer.rotateLeft(h ^ k, 13) * 5 + 0xe6546b64;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
