package io.crema.cache.statemachine;

/**
 * An immutable cached value: the bytes, the version (the log index that wrote it) and the absolute
 * expire-at in epoch ms (0 = never). The bytes are a range of an array that is never written again:
 * values written by a log entry are views of the entry's command, as keys are (see {@link Key}), so
 * applying a put copies no value bytes.
 */
final class StoredValue {
  /** Approximate per-entry heap overhead counted in the weighted size. */
  static final int ENTRY_OVERHEAD_BYTES = 96;

  private final byte[] data;
  private final int off;
  private final int len;
  final long version;
  final long expireAtMs;

  /** Takes ownership of {@code value} (callers pass a private array). */
  StoredValue(byte[] value, long version, long expireAtMs) {
    this(value, 0, value.length, version, expireAtMs);
  }

  /** The value {@code data[off, off + len)} without copying; {@code data} must never change. */
  StoredValue(byte[] data, int off, int len, long version, long expireAtMs) {
    this.data = data;
    this.off = off;
    this.len = len;
    this.version = version;
    this.expireAtMs = expireAtMs;
  }

  int length() {
    return len;
  }

  /** Length of the array the value is a range of (tests: what a stored entry keeps alive). */
  int backingLength() {
    return data.length;
  }

  /** A copy of the value's bytes (for callers outside the state machine). */
  byte[] copy() {
    return java.util.Arrays.copyOfRange(data, off, off + len);
  }

  /** Whether the value equals {@code b[bOff, bOff + bLen)}. */
  boolean contentEquals(byte[] b, int bOff, int bLen) {
    return java.util.Arrays.equals(data, off, off + len, b, bOff, bOff + bLen);
  }

  /** Whether the value is a decimal counter (see {@link DecimalCounter}). */
  boolean isCounter() {
    return DecimalCounter.isValid(data, off, len);
  }

  /** The counter's value; {@link #isCounter()} must hold. */
  long counter() {
    return DecimalCounter.parse(data, off, len);
  }

  /** Writes the value as a length-prefixed byte string, without copying it first. */
  void writeTo(ByteSink sink) throws java.io.IOException {
    sink.writeBytes(data, off, len);
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
    return (k.length() + v.len + ENTRY_OVERHEAD_BYTES + WEIGHT_UNIT_BYTES - 1) / WEIGHT_UNIT_BYTES;
  }

  /** Bytes to weight units, rounded up. */
  static long toUnits(long bytes) {
    return (bytes + WEIGHT_UNIT_BYTES - 1) / WEIGHT_UNIT_BYTES;
  }
}
