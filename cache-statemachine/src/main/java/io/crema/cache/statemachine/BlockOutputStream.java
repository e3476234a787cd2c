package io.crema.cache.statemachine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Frames data into blocks (optionally LZ4-compressed), each with the CRC32 of its raw bytes, and
 * ends with the trailer (see {@link SnapshotFileFormat}). Memory is bounded by two block buffers.
 * {@link #finish} writes the trailer; {@link #close} does not close the underlying stream.
 */
final class BlockOutputStream extends OutputStream {
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();

  private final OutputStream out;
  private final CRC32 fileCrc;
  private final boolean compress;
  private final byte[] raw;
  private final byte[] stored;
  private final CRC32 blockCrc = new CRC32();
  private int pos;
  private long totalRaw;
  private int blocks;
  private boolean finished;

  /**
   * @param fileCrc already updated with the header bytes; updated with everything written here
   */
  BlockOutputStream(OutputStream out, CRC32 fileCrc, boolean compress, int blockBytes) {
    this.out = out;
    this.fileCrc = fileCrc;
    this.compress = compress;
    this.raw = new byte[blockBytes];
    this.stored =
        new byte
            [SnapshotFileFormat.BLOCK_HEADER_BYTES + COMPRESSOR.maxCompressedLength(blockBytes)];
  }

  @Override
  public void write(int b) throws IOException {
    if (pos == raw.length) {
      flushBlock();
    }
    raw[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    checkOpen();
    while (len > 0) {
      if (pos == raw.length) {
        flushBlock();
      }
      int n = Math.min(len, raw.length - pos);
      System.arraycopy(b, off, raw, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  private void checkOpen() throws IOException {
    if (finished) {
      throw new IOException("snapshot stream already finished");
    }
  }

  private void flushBlock() throws IOException {
    checkOpen();
    if (pos == 0) {
      return;
    }
    blockCrc.reset();
    blockCrc.update(raw, 0, pos);
    int h = SnapshotFileFormat.BLOCK_HEADER_BYTES;
    byte type = SnapshotFileFormat.BLOCK_STORED;
    int storedLen = pos;
    if (compress) {
      int c = COMPRESSOR.compress(raw, 0, pos, stored, h, stored.length - h);
      if (c < pos) {
        type = SnapshotFileFormat.BLOCK_LZ4;
        storedLen = c;
      }
    }
    if (type == SnapshotFileFormat.BLOCK_STORED) {
      System.arraycopy(raw, 0, stored, h, pos);
    }
    stored[0] = type;
    putInt(stored, 1, pos);
    putInt(stored, 5, storedLen);
    putInt(stored, 9, (int) blockCrc.getValue());
    // The file CRC chains the block headers (which carry each block's CRC of its raw bytes), not
    // the payload: every byte is still covered once, and the payload is not checksummed twice.
    fileCrc.update(stored, 0, h);
    out.write(stored, 0, h + storedLen);
    totalRaw += pos;
    blocks++;
    pos = 0;
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** Writes the last block and the trailer and flushes; idempotent. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    flushBlock();
    byte[] t = new byte[17];
    t[0] = SnapshotFileFormat.END;
    CommandFormat.putLong(t, 1, totalRaw);
    putInt(t, 9, blocks);
    fileCrc.update(t, 0, 13);
    putInt(t, 13, (int) fileCrc.getValue());
    out.write(t);
    out.flush();
    finished = true;
  }

  long totalRawBytes() {
    return totalRaw;
  }

  @Override
  public void flush() {
    // blocks are written whole; the underlying stream is flushed by finish()
  }

  @Override
  public void close() {
    // the owner of the underlying stream closes it
  }
}
