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

  static int weigh(Key k, StoredValue v) {
    return k.length() + v.value.length + ENTRY_OVERHEAD_BYTES;
  }
}
