package io.crema.wal;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.HardState;
import io.crema.raft.SnapshotMeta;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Decodes one record (see {@link Records}) copied out of a Chronicle document into a reusable heap
 * buffer. {@link #load} checks length, version and CRC32C; the field readers then walk the body and
 * throw {@link IllegalStateException} on a malformed body (which, behind a valid CRC, means a bug
 * or a foreign file, never a torn write).
 */
final class RecordReader {
  private static final int MAX_IDS = 1 << 16;

  private byte[] buf = new byte[64 * 1024];
  private ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  private int length;

  /**
   * Copies the document's remaining bytes and verifies them.
   *
   * @return null if valid, else why not
   */
  String load(Bytes<?> src) {
    long remaining = src.readRemaining();
    if (remaining > Integer.MAX_VALUE - 8) {
      return "record of " + remaining + " bytes is larger than any record written";
    }
    int len = (int) remaining;
    if (len > buf.length) {
      buf = new byte[Math.max(len, buf.length * 2)];
      bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }
    src.read(src.readPosition(), buf, 0, len);
    return verify(len);
  }

  private String verify(int len) {
    length = len;
    bb.clear();
    if (len < Records.HEADER_BYTES + Records.CRC_BYTES) {
      return "record of " + len + " bytes is shorter than a header";
    }
    crc.reset();
    crc.update(buf, 0, len - Records.CRC_BYTES);
    int stored = bb.getInt(len - Records.CRC_BYTES);
    if (stored != (int) crc.getValue()) {
      return String.format(
          "CRC32C mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue());
    }
    if (buf[0] != Records.VERSION) {
      return "unknown record version " + buf[0];
    }
    bb.limit(len - Records.CRC_BYTES);
    bb.position(Records.HEADER_BYTES);
    return null;
  }

  int length() {
    return length;
  }

  byte kind() {
    return buf[1];
  }

  long group() {
    return bb.getLong(2);
  }

  long getLong() {
    try {
      return bb.getLong();
    } catch (BufferUnderflowException e) {
      throw malformed("body too short");
    }
  }

  int getInt() {
    try {
      return bb.getInt();
    } catch (BufferUnderflowException e) {
      throw malformed("body too short");
    }
  }

  /** Reads the next entry header (term, type, length) of an ENTRIES body; see {@link #entry}. */
  long entryTerm() {
    return getLong();
  }

  /** Skips the rest of an entry whose term was read. */
  void skipEntry() {
    int type = getByte();
    int len = getInt();
    if (type < 0 || len < 0 || len > bb.remaining()) {
      throw malformed("entry type " + type + " / length " + len);
    }
    bb.position(bb.position() + len);
  }

  /** Reads the rest of an entry whose term was read. */
  Entry entry(long index, long term) {
    int type = getByte();
    int len = getInt();
    if (len < 0 || len > bb.remaining()) {
      throw malformed("entry length " + len + " with " + bb.remaining() + " bytes left");
    }
    byte[] data = new byte[len];
    bb.get(data);
    try {
      return new Entry(index, term, EntryType.fromOrdinal(type), data);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  HardState hardState() {
    long term = getLong();
    long vote = getLong();
    long commit = getLong();
    try {
      return new HardState(term, vote, commit);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  SnapshotMeta snapshot() {
    long index = getLong();
    long term = getLong();
    boolean autoLeave = getByte() != 0;
    long[] voters = ids();
    long[] learners = ids();
    long[] outgoing = ids();
    long[] next = ids();
    try {
      return new SnapshotMeta(
          index, term, new ConfState(voters, learners, outgoing, next, autoLeave));
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /** Reads a boolean byte. */
  boolean getBoolean() {
    int b = getByte();
    if (b != 0 && b != 1) {
      throw malformed("boolean byte " + b);
    }
    return b == 1;
  }

  /** Whether the body was fully consumed. */
  void expectEnd() {
    if (bb.hasRemaining()) {
      throw malformed(bb.remaining() + " unexpected trailing bytes");
    }
  }

  private long[] ids() {
    int n = getInt();
    if (n < 0 || n > MAX_IDS) {
      throw malformed("id count " + n);
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = getLong();
    }
    return out;
  }

  private int getByte() {
    try {
      return bb.get();
    } catch (BufferUnderflowException e) {
      throw malformed("body too short");
    }
  }

  private IllegalStateException malformed(String why) {
    return new IllegalStateException(
        "malformed " + Records.kindName(kind()) + " record (" + length + " bytes): " + why);
  }
}
