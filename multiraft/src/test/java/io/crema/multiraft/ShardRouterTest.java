package io.crema.multiraft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardRouterTest {
  /** Random-key runs use this seed; override with -Drouter.seed=S to try others. */
  private static final long SEED = Long.getLong("router.seed", 20261122L);

  private static final int KEYS = 1_000_000;

  /** Every shard holds within this fraction of its fair share of the keys. */
  private static final double TOLERANCE = 0.05;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hashIsStandardXxh64WithSeedZero() {
    // Reference values of XXH64 with seed 0 (xxHash test vectors and python-xxhash docs).
    assertEquals(0xEF46DB3751D8E999L, ShardRouter.hash(new byte[0]));
    assertEquals(0xD24EC4F1A98C6E5BL, ShardRouter.hash(utf8("a")));
    assertEquals(0x44BC2CF5AD770999L, ShardRouter.hash(utf8("abc")));
    assertEquals(
        0xFBCEA83C8A378BF1L, ShardRouter.hash(utf8("Nobody inspects the spammish repetition")));
  }

  /** Pinned key to shard values: if this fails, keys moved between shards (never allowed). */
  @Test
  void knownKeysMapToPinnedShards() {
    String[] keys = {"", "a", "user:42", "session-7f3a", "Crema", "key-0", "key-1", "key-999999"};
    int[][] expected = { // shards for 4, 16, 64 and 1024 shards
      {1, 9, 25, 409},
      {3, 11, 27, 603},
      {2, 2, 2, 450},
      {3, 7, 55, 567},
      {0, 8, 56, 56},
      {3, 3, 51, 883},
      {2, 14, 30, 670},
      {0, 4, 4, 836}
    };
    int[] counts = {4, 16, 64, 1024};
    for (int k = 0; k < keys.length; k++) {
      for (int c = 0; c < counts.length; c++) {
        assertEquals(
            expected[k][c],
            ShardRouter.of(counts[c]).shardForKey(utf8(keys[k])),
            "shard of '" + keys[k] + "' among " + counts[c]);
      }
    }
    byte[] binary = {0, 1, 2, 3, (byte) 0xff, (byte) 0x80};
    assertEquals(0x77B87F7E7F4B7A27L, ShardRouter.hash(binary));
    assertEquals(839, ShardRouter.of(1000).shardForKey(binary));
  }

  /** The hash is read as unsigned: a negative long must not give a negative or shifted shard. */
  @Test
  void negativeHashesUseTheUnsignedRemainder() {
    // xxh64("a") = 0xD24E... (negative as a long); unsigned mod 3, 7 and 1000 = 2, 6, 955.
    assertEquals(2, ShardRouter.of(3).shardForKey(utf8("a")));
    assertEquals(6, ShardRouter.of(7).shardForKey(utf8("a")));
    assertEquals(955, ShardRouter.of(1000).shardForKey(utf8("a")));
    assertEquals(174, ShardRouter.of(1000).shardForKey(utf8("key-1")));
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 16, 64})
  void randomKeysSpreadEvenly(int shards) {
    System.out.printf("routing uniformity, random keys: seed %d (-Drouter.seed=%d)%n", SEED, SEED);
    SplittableRandom random = new SplittableRandom(SEED + shards);
    ShardRouter router = ShardRouter.of(shards);
    long[] counts = new long[shards];
    byte[] key = new byte[16];
    for (int i = 0; i < KEYS; i++) {
      for (int j = 0; j < key.length; j += 8) {
        long r = random.nextLong();
        for (int b = 0; b < 8; b++) {
          key[j + b] = (byte) (r >>> (8 * b));
        }
      }
      counts[router.shardForKey(key)]++;
    }
    assertUniform("random keys, seed " + SEED, counts);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 16, 64})
  void sequentialKeysSpreadEvenly(int shards) {
    ShardRouter router = ShardRouter.of(shards);
    long[] counts = new long[shards];
    for (int i = 0; i < KEYS; i++) {
      counts[router.shardForKey(utf8("user:" + i))]++;
    }
    assertUniform("keys user:0..user:" + (KEYS - 1), counts);
  }

  /**
   * Each shard within {@link #TOLERANCE} of its share, and a chi-square statistic below {@code df +
   * 6 sqrt(2 df)} (about six standard deviations above what a uniform spread gives).
   */
  private static void assertUniform(String what, long[] counts) {
    int shards = counts.length;
    double expected = (double) KEYS / shards;
    double chiSquare = 0;
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long c : counts) {
      chiSquare += (c - expected) * (c - expected) / expected;
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    int df = shards - 1;
    double chiLimit = df + 6 * Math.sqrt(2.0 * df);
    System.out.printf(
        "  %s, %d shards: min %d, max %d (fair %.0f, max deviation %.2f%%), chi-square %.1f"
            + " (limit %.1f)%n",
        what,
        shards,
        min,
        max,
        expected,
        100 * Math.max(expected - min, max - expected) / expected,
        chiSquare,
        chiLimit);
    assertTrue(
        min >= expected * (1 - TOLERANCE) && max <= expected * (1 + TOLERANCE),
        what + ": shard sizes " + min + ".." + max + " outside " + TOLERANCE + " of " + expected);
    assertTrue(chiSquare < chiLimit, what + ": chi-square " + chiSquare + " >= " + chiLimit);
  }

  @Test
  void rejectsBadInput() {
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> ShardRouter.of(0));
    assertTrue(zero.getMessage().contains("[1, 1024], was 0"), zero.getMessage());
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> ShardRouter.of(1025));
    assertTrue(tooMany.getMessage().contains("was 1025"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShardRouter.of(4).shardForKey(null));
    assertEquals(1024, ShardRouter.of(ShardRouter.MAX_SHARDS).numShards());
  }

  @Test
  void oneShardTakesEveryKey() {
    ShardRouter one = ShardRouter.of(1);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, one.shardForKey(utf8("k" + i)));
    }
  }
}
