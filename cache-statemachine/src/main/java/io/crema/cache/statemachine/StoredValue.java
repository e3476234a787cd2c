package io.crema.cache.statemachine;

/**
 * An immutable cached value: the bytes, the version (the log index that wrote it) and the absolute
 * expire-at in epoch ms (0 = never).
 */
final class StoredValue {
  /** Approximate per-entry heap overhead counted in the weighted size. */
  static final int ENTRY_OVERHEAD_BYTES = 96;

  final byte[] value;
  final long version;
  final long expireAtMs;

  StoredValue(byte[] value, long version, long expireAtMs) {
    this.value = value;
    this.version = version;
    this.expireAtMs = expireAtMs;
  }

  boolean isExpiredAt(long nowMs) {
    return expireAtMs != 0 && expireAtMs <= nowMs;
  }

  /**
   * Caffeine weights are counted in units of this many bytes: Caffeine boxes each weight it is
   * given (an Integer per write above 127), and in these units an entry of up to about 900 bytes of
   * key and value weighs less than 128, whose boxes are shared.
   */
  static final int WEIGHT_UNIT_BYTES = 8;

  /** The entry's weight in {@link #WEIGHT_UNIT_BYTES} units (rounded up). */
  static int weigh(Key k, StoredValue v) {
    return (k.length() + v.value.length + ENTRY_OVERHEAD_BYTES + WEIGHT_UNIT_BYTES - 1)
        / WEIGHT_UNIT_BYTES;
  }

  /** Bytes to weight units, rounded up. */
  static long toUnits(long bytes) {
    return (bytes + WEIGHT_UNIT_BYTES - 1) / WEIGHT_UNIT_BYTES;
  }
}
