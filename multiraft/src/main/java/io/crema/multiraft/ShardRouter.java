package io.crema.multiraft;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Maps keys to shards: {@code shard = xxh64(key, seed 0)} read as an unsigned 64-bit number, modulo
 * the number of shards.
 *
 * <p><b>Stability.</b> This mapping is part of the on-disk and on-the-wire contract: every node and
 * every client must compute the same shard for a key, across versions. It is the standard XXH64 (as
 * in the xxHash reference implementation and lz4-java's {@link XXHash64}) over the key's bytes
 * exactly as given, with seed {@value #SEED} — the default seed of every xxHash library, so a
 * client in any language can route with its stock xxh64 — and {@link Long#remainderUnsigned}. Tests
 * pin known key to shard values; changing any of this moves keys between shards and must never
 * happen silently.
 *
 * <p>Immutable and thread-safe.
 */
public final class ShardRouter {
  /**
   * The largest number of shards. Every shard is one Raft group on each of its replicas, and a
   * host's event loop visits every group each duty cycle, so the cost of a node grows with it.
   */
  public static final int MAX_SHARDS = 1024;

  /** The XXH64 seed (fixed forever; see the class comment). */
  public static final long SEED = 0L;

  private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();

  private final int numShards;

  private ShardRouter(int numShards) {
    if (numShards < 1 || numShards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          "numShards must be in [1, " + MAX_SHARDS + "], was " + numShards);
    }
    this.numShards = numShards;
  }

  /**
   * A router over {@code numShards} shards.
   *
   * @throws IllegalArgumentException if numShards is not in [1, {@value #MAX_SHARDS}]
   */
  public static ShardRouter of(int numShards) {
    return new ShardRouter(numShards);
  }

  public int numShards() {
    return numShards;
  }

  /**
   * The XXH64 hash (seed {@value #SEED}) of a key's bytes.
   *
   * @throws IllegalArgumentException if key is null
   */
  public static long hash(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    return XXH64.hash(key, 0, key.length, SEED);
  }

  /**
   * The shard of a key, in [0, numShards).
   *
   * @throws IllegalArgumentException if key is null
   */
  public int shardForKey(byte[] key) {
    return (int) Long.remainderUnsigned(hash(key), numShards);
  }
}
