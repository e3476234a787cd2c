package io.crema.cache.statemachine;

import java.io.IOException;
import java.io.OutputStream;

/** A minimal buffered big-endian writer (no synchronisation, no per-call allocation). */
final class ByteSink {
  private final OutputStream out;
  private final byte[] buf;
  private int pos;

  ByteSink(OutputStream out, int bufferBytes) {
    this.out = out;
    this.buf = new byte[bufferBytes];
  }

  private void ensure(int n) throws IOException {
    if (buf.length - pos < n) {
      flushBuffer();
    }
  }

  void writeByte(int b) throws IOException {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void writeInt(int v) throws IOException {
    ensure(4);
    buf[pos] = (byte) (v >>> 24);
    buf[pos + 1] = (byte) (v >>> 16);
    buf[pos + 2] = (byte) (v >>> 8);
    buf[pos + 3] = (byte) v;
    pos += 4;
  }

  void writeLong(long v) throws IOException {
    ensure(8);
    CommandFormat.putLong(buf, pos, v);
    pos += 8;
  }

  void writeVarInt(int v) throws IOException {
    ensure(5);
    pos = CommandFormat.putVarInt(buf, pos, v);
  }

  /** Writes a length-prefixed byte string. */
  void writeBytes(byte[] b) throws IOException {
    writeBytes(b, 0, b.length);
  }

  /** Writes {@code b[off, off + len)} as a length-prefixed byte string. */
  void writeBytes(byte[] b, int off, int len) throws IOException {
    writeVarInt(len);
    if (len <= buf.length - pos) {
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
    } else {
      flushBuffer();
      out.write(b, off, len);
    }
  }

  private void flushBuffer() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  /** Writes out what is buffered and flushes the stream. */
  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }
}
