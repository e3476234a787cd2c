package io.crema.cache.statemachine;

import java.util.Arrays;

/** An immutable byte-string key with a cached hash. */
final class Key {
  final byte[] bytes;
  private final int hash;

  /** Takes ownership of {@code bytes} (callers pass a private copy). */
  Key(byte[] bytes) {
    this.bytes = bytes;
    this.hash = mix(Arrays.hashCode(bytes));
  }

  static Key copyOf(byte[] src, int off, int len) {
    return new Key(Arrays.copyOfRange(src, off, off + len));
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
    return o == this
        || (o instanceof Key && ((Key) o).hash == hash && Arrays.equals(((Key) o).bytes, bytes));
  }

  @Override
  public String toString() {
    return "Key(" + bytes.length + "B)";
  }
}
