package io.crema.benchmarks.peers;

/** What the peer benchmarks share: keys and commands shaped like the cache benchmarks'. */
final class PeerSupport {
  static final int KEY_BYTES = 16;
  static final int VALUE_BYTES = 16;

  /** Writes kept in flight, as in our throughput benchmarks; also the number of keys. */
  static final int IN_FLIGHT = 4096;

  /** Writes per benchmark invocation. */
  static final int BATCH = 1024;

  /** How long setting up, draining and tearing down may take, in seconds. */
  static final long SETUP_TIMEOUT_S = 60;

  private PeerSupport() {}

  /** A put: key then a 16-byte value whose first byte is {@code round}, 32 bytes in all. */
  static byte[] command(byte[] key, int round) {
    byte[] c = new byte[KEY_BYTES + VALUE_BYTES];
    System.arraycopy(key, 0, c, 0, KEY_BYTES);
    c[KEY_BYTES] = (byte) round;
    return c;
  }

  /**
   * How many of {@code keys} do not hold the value last written to them; {@code valueOf} looks a
   * key's value up in a replica's state (null if absent).
   */
  static int staleKeys(
      java.util.function.Function<byte[], byte[]> valueOf, byte[][] keys, byte[] lastRound) {
    int stale = 0;
    for (int i = 0; i < keys.length; i++) {
      byte[] value = valueOf.apply(keys[i]);
      if (value == null || value[0] != lastRound[i]) {
        stale++;
      }
    }
    return stale;
  }
}
