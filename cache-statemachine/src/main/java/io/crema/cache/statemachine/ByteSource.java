package io.crema.cache.statemachine;

import java.io.IOException;
import java.io.InputStream;

/**
 * A minimal buffered big-endian reader; a premature end of the stream is reported as {@link
 * CorruptSnapshotException} (truncated data).
 */
final class ByteSource {
  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int limit;
  private long consumed;

  ByteSource(InputStream in, int bufferBytes) {
    this.in = in;
    this.buf = new byte[bufferBytes];
  }

  /** Ensures n (at most the buffer size) bytes are buffered. */
  private void require(int n) throws IOException {
    if (limit - pos >= n) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, limit - pos);
    consumed += pos;
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        throw new CorruptSnapshotException(
            "snapshot data truncated at byte " + (consumed + limit) + " (needed " + n + " more)");
      }
      limit += r;
    }
  }

  int readByte() throws IOException {
    require(1);
    return buf[pos++] & 0xFF;
  }

  int readInt() throws IOException {
    require(4);
    int v =
        ((buf[pos] & 0xFF) << 24)
            | ((buf[pos + 1] & 0xFF) << 16)
            | ((buf[pos + 2] & 0xFF) << 8)
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long readLong() throws IOException {
    require(8);
    long v = CommandFormat.getLong(buf, pos);
    pos += 8;
    return v;
  }

  int readVarInt() throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CorruptSnapshotException("length longer than 5 bytes in snapshot data");
  }

  /** Reads a length-prefixed byte string of at most maxLen bytes. */
  byte[] readBytes(int maxLen) throws IOException {
    int len = readVarInt();
    if (len < 0 || len > maxLen) {
      throw new CorruptSnapshotException(
          "byte string of " + len + " bytes in snapshot data exceeds " + maxLen);
    }
    byte[] b = new byte[len];
    int avail = limit - pos;
    if (len <= avail) {
      System.arraycopy(buf, pos, b, 0, len);
      pos += len;
      return b;
    }
    System.arraycopy(buf, pos, b, 0, avail);
    pos = limit;
    int off = avail;
    while (off < len) {
      int r = in.read(b, off, len - off);
      if (r < 0) {
        throw new CorruptSnapshotException("snapshot data truncated inside a byte string");
      }
      off += r;
      consumed += r;
    }
    return b;
  }

  /**
   * Whether the stream is exhausted (reading to its end, which lets a checksummed stream verify).
   */
  boolean atEnd() throws IOException {
    return pos == limit && in.read() < 0;
  }
}
