package io.crema.cache.statemachine;

import java.util.Arrays;

/**
 * An immutable byte-string key with a cached hash: a range of an array that is never written again.
 * Keys read from log entries are views of the entry's command ({@link #view}), so applying a write
 * copies no key bytes: a log entry's data is immutable once proposed (the transport, the WAL and
 * the client API all hand over arrays of their own).
 *
 * <p>One kind of key is not immutable: a {@link #probe()}, which the apply thread re-aims at each
 * command's key to look it up without making a key object. A probe must never be stored (only
 * looked up with, or passed to a write that replaces the value of a key already present, where the
 * cache keeps its own key object).
 */
final class Key {
  private static final byte[] NONE = new byte[0];

  private byte[] array;
  private int off;
  private int len;
  private int hash;
  private final boolean probe;

  /** Takes ownership of {@code bytes} (callers pass a private copy). */
  Key(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  private Key(byte[] array, int off, int len) {
    this.probe = false;
    set(array, off, len);
  }

  private Key(byte[] array, int off, int len, int hash) {
    this.array = array;
    this.off = off;
    this.len = len;
    this.hash = hash;
    this.probe = false;
  }

  private Key() {
    this.probe = true;
    set(NONE, 0, 0);
  }

  private void set(byte[] array, int off, int len) {
    this.array = array;
    this.off = off;
    this.len = len;
    int h = 1;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + array[i];
    }
    this.hash = mix(h);
  }

  /** A reusable lookup key for one thread; see the class comment. */
  static Key probe() {
    return new Key();
  }

  boolean isProbe() {
    return probe;
  }

  /** Re-aims this probe at {@code src[off, off + len)} and returns it. */
  Key aim(byte[] src, int off, int len) {
    if (!probe) {
      throw new IllegalStateException("only a probe key can be re-aimed");
    }
    set(src, off, len);
    return this;
  }

  /** The same key backed by {@code array} from {@code off}, which holds the same bytes. */
  Key rebase(byte[] array, int off) {
    return new Key(array, off, len, hash);
  }

  static Key copyOf(byte[] src, int off, int len) {
    return new Key(Arrays.copyOfRange(src, off, off + len));
  }

  /** The key {@code src[off, off + len)} without copying; {@code src} must never change. */
  static Key view(byte[] src, int off, int len) {
    return new Key(src, off, len);
  }

  /**
   * Bytes a stored view's array may hold beyond the entry's own key and value bytes (a command's
   * header), and still be kept as it is.
   */
  static final int MAX_SHARED_SLACK = 64;

  /**
   * The key to store: this one, unless it is a view into a much larger array (a command carrying a
   * large value), which a stored key must not keep alive; then a copy of just the key.
   */
  Key compact() {
    return array.length - len <= MAX_SHARED_SLACK ? this : copyOf(array, off, len);
  }

  /** Writes the key as a length-prefixed byte string, without copying it first. */
  void writeTo(ByteSink sink) throws java.io.IOException {
    sink.writeBytes(array, off, len);
  }

  /** Copies the key into {@code out} at {@code pos}. */
  void copyTo(byte[] out, int pos) {
    System.arraycopy(array, off, out, pos, len);
  }

  int length() {
    return len;
  }

  /** The key's bytes (a copy unless the key owns its whole array; do not modify). */
  byte[] bytes() {
    return off == 0 && len == array.length ? array : Arrays.copyOfRange(array, off, off + len);
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Key)) {
      return false;
    }
    Key k = (Key) o;
    return k.hash == hash && Arrays.equals(array, off, off + len, k.array, k.off, k.off + k.len);
  }

  @Override
  public String toString() {
    return "Key(" + len + "B)";
  }
}
