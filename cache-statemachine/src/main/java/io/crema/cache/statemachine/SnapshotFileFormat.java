package io.crema.cache.statemachine;

import io.crema.raft.ConfState;
import io.crema.raft.SnapshotMeta;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;

/**
 * The snapshot file layout (big-endian):
 *
 * <pre>
 * header:  int magic 'CRSN', byte format version (2), byte flags (bit0: LZ4), long group,
 *          long index, long term, conf state (byte autoLeave; voters, learners, outgoing voters,
 *          next learners: each int n + n longs), int block size, int CRC32 of the header so far
 * blocks:  byte type (0 stored, 1 LZ4), int raw length, int stored length, int CRC32 of the raw
 *          bytes, stored bytes
 * trailer: byte 0x7F, long total raw bytes, int block count,
 *          int CRC32 of the header, every block header and the trailer fields before it (the
 *          block payloads are covered by their own CRC32 in each block header)
 * </pre>
 */
final class SnapshotFileFormat {
  static final int MAGIC = 0x4352534E;
  static final byte FORMAT_VERSION = 2;
  static final int FLAG_LZ4 = 1;
  static final byte BLOCK_STORED = 0;
  static final byte BLOCK_LZ4 = 1;
  static final byte END = 0x7F;
  static final int BLOCK_HEADER_BYTES = 13;
  private static final int MAX_MEMBERS = 1 << 16;

  private SnapshotFileFormat() {}

  /** A decoded header. */
  record Header(long groupId, SnapshotMeta meta, boolean compressed, int blockBytes, int length) {}

  static byte[] encodeHeader(long groupId, SnapshotMeta meta, boolean compressed, int blockBytes) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeByte(FORMAT_VERSION);
      out.writeByte(compressed ? FLAG_LZ4 : 0);
      out.writeLong(groupId);
      out.writeLong(meta.index());
      out.writeLong(meta.term());
      ConfState c = meta.confState();
      out.writeByte(c.autoLeave() ? 1 : 0);
      for (long[] ids :
          new long[][] {c.voters(), c.learners(), c.votersOutgoing(), c.learnersNext()}) {
        out.writeInt(ids.length);
        for (long id : ids) {
          out.writeLong(id);
        }
      }
      out.writeInt(blockBytes);
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
  }

  /**
   * Reads and checks a header, feeding its bytes to {@code fileCrc}.
   *
   * @throws CorruptSnapshotException if the magic, version, checksum or contents are wrong
   */
  static Header readHeader(DataInputStream in, CRC32 fileCrc, String where) throws IOException {
    ByteArrayOutputStream copy = new ByteArrayOutputStream(128);
    DataOutputStream c = new DataOutputStream(copy);
    try {
      int magic = in.readInt();
      c.writeInt(magic);
      if (magic != MAGIC) {
        throw new CorruptSnapshotException(where + ": not a snapshot file (bad magic)");
      }
      int version = in.readByte();
      int flags = in.readByte();
      c.writeByte(version);
      c.writeByte(flags);
      if (version != FORMAT_VERSION) {
        throw new CorruptSnapshotException(where + ": unsupported snapshot format " + version);
      }
      long group = in.readLong();
      long index = in.readLong();
      long term = in.readLong();
      c.writeLong(group);
      c.writeLong(index);
      c.writeLong(term);
      int autoLeave = in.readByte();
      c.writeByte(autoLeave);
      long[][] ids = new long[4][];
      for (int k = 0; k < 4; k++) {
        int n = in.readInt();
        c.writeInt(n);
        if (n < 0 || n > MAX_MEMBERS) {
          throw new CorruptSnapshotException(where + ": bad member count " + n);
        }
        ids[k] = new long[n];
        for (int i = 0; i < n; i++) {
          ids[k][i] = in.readLong();
          c.writeLong(ids[k][i]);
        }
      }
      int blockBytes = in.readInt();
      c.writeInt(blockBytes);
      c.flush();
      byte[] headerBytes = copy.toByteArray();
      CRC32 crc = new CRC32();
      crc.update(headerBytes);
      int stored = in.readInt();
      if (stored != (int) crc.getValue()) {
        throw new CorruptSnapshotException(where + ": header checksum mismatch");
      }
      if (blockBytes < 1 || blockBytes > 16 << 20) {
        throw new CorruptSnapshotException(where + ": bad block size " + blockBytes);
      }
      fileCrc.update(headerBytes);
      fileCrc.update(
          new byte[] {
            (byte) (stored >>> 24), (byte) (stored >>> 16), (byte) (stored >>> 8), (byte) stored
          });
      SnapshotMeta meta;
      try {
        meta =
            new SnapshotMeta(
                index, term, new ConfState(ids[0], ids[1], ids[2], ids[3], autoLeave != 0));
      } catch (IllegalArgumentException e) {
        throw new CorruptSnapshotException(where + ": bad metadata: " + e.getMessage());
      }
      return new Header(group, meta, (flags & FLAG_LZ4) != 0, blockBytes, headerBytes.length + 4);
    } catch (EOFException e) {
      throw new CorruptSnapshotException(where + ": truncated header");
    }
  }
}
