package io.crema.cache.statemachine;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads the blocks written by {@link BlockOutputStream}, verifying each block's CRC32 and, at the
 * end, the trailer (counts and whole-file checksum) and that nothing follows it. Only then does it
 * report end of stream, so a reader that reads to the end has read verified data. Any failure is a
 * {@link CorruptSnapshotException}. Memory is bounded by two block buffers.
 */
final class BlockInputStream extends InputStream {
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestInstance().safeDecompressor();

  private final DataInputStream in;
  private final CRC32 fileCrc;
  private final String where;
  private final byte[] raw;
  private byte[] stored;
  private final byte[] blockHeader = new byte[SnapshotFileFormat.BLOCK_HEADER_BYTES];
  private final CRC32 blockCrc = new CRC32();
  private int pos;
  private int limit;
  private long totalRaw;
  private int blocks;
  private boolean ended;

  /**
   * @param in positioned just after the header
   * @param fileCrc already updated with the header bytes
   */
  BlockInputStream(DataInputStream in, CRC32 fileCrc, int blockBytes, String where) {
    this.in = in;
    this.fileCrc = fileCrc;
    this.where = where;
    this.raw = new byte[blockBytes];
    this.stored = new byte[Math.min(blockBytes + blockBytes / 255 + 16, 1 << 16)];
  }

  @Override
  public int read() throws IOException {
    if (pos == limit && !nextBlock()) {
      return -1;
    }
    return raw[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == limit && !nextBlock()) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(raw, pos, b, off, n);
    pos += n;
    return n;
  }

  private boolean nextBlock() throws IOException {
    while (!ended) {
      try {
        in.readFully(blockHeader, 0, 1);
        if (blockHeader[0] == SnapshotFileFormat.END) {
          readTrailer();
          return false;
        }
        in.readFully(blockHeader, 1, blockHeader.length - 1);
      } catch (EOFException e) {
        throw new CorruptSnapshotException(where + ": truncated after block " + blocks);
      }
      fileCrc.update(blockHeader);
      if (readBlock()) {
        return true;
      }
    }
    return false;
  }

  private boolean readBlock() throws IOException {
    byte type = blockHeader[0];
    int rawLen = getInt(blockHeader, 1);
    int storedLen = getInt(blockHeader, 5);
    int crc = getInt(blockHeader, 9);
    if (rawLen < 0 || rawLen > raw.length || storedLen < 0 || storedLen > raw.length * 2 + 64) {
      throw new CorruptSnapshotException(
          where + ": block " + blocks + " has bad lengths raw=" + rawLen + " stored=" + storedLen);
    }
    if (type == SnapshotFileFormat.BLOCK_STORED) {
      if (storedLen != rawLen) {
        throw new CorruptSnapshotException(where + ": stored block " + blocks + " lengths differ");
      }
      readFully(raw, storedLen);
    } else if (type == SnapshotFileFormat.BLOCK_LZ4) {
      if (stored.length < storedLen) {
        stored = new byte[storedLen];
      }
      readFully(stored, storedLen);
      int n;
      try {
        n = DECOMPRESSOR.decompress(stored, 0, storedLen, raw, 0, rawLen);
      } catch (LZ4Exception e) {
        throw new CorruptSnapshotException(where + ": block " + blocks + " does not decompress");
      }
      if (n != rawLen) {
        throw new CorruptSnapshotException(
            where + ": block " + blocks + " decompressed size differs");
      }
    } else {
      throw new CorruptSnapshotException(where + ": unknown block type " + type);
    }
    blockCrc.reset();
    blockCrc.update(raw, 0, rawLen);
    if ((int) blockCrc.getValue() != crc) {
      throw new CorruptSnapshotException(where + ": CRC32 mismatch in block " + blocks);
    }
    blocks++;
    totalRaw += rawLen;
    pos = 0;
    limit = rawLen;
    return rawLen > 0;
  }

  private void readFully(byte[] b, int len) throws IOException {
    try {
      in.readFully(b, 0, len);
    } catch (EOFException e) {
      throw new CorruptSnapshotException(where + ": truncated inside block " + blocks);
    }
  }

  private void readTrailer() throws IOException {
    byte[] t = new byte[17];
    t[0] = SnapshotFileFormat.END;
    try {
      in.readFully(t, 1, 16);
    } catch (EOFException e) {
      throw new CorruptSnapshotException(where + ": truncated trailer");
    }
    fileCrc.update(t, 0, 13);
    long total = CommandFormat.getLong(t, 1);
    int count = getInt(t, 9);
    int crc = getInt(t, 13);
    if ((int) fileCrc.getValue() != crc) {
      throw new CorruptSnapshotException(where + ": trailer checksum mismatch");
    }
    if (total != totalRaw || count != blocks) {
      throw new CorruptSnapshotException(
          where
              + ": trailer says "
              + count
              + " blocks / "
              + total
              + " bytes, read "
              + blocks
              + " / "
              + totalRaw);
    }
    if (in.read() >= 0) {
      throw new CorruptSnapshotException(where + ": unexpected bytes after the trailer");
    }
    ended = true;
  }

  private static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
