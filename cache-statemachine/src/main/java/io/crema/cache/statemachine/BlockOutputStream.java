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

  /**
   * Compresses, checksums and writes blocks while the caller serialises the next ones (one thread
   * for all streams; each stream's blocks stay in order because its tasks are chained).
   */
  private static final java.util.concurrent.ExecutorService WORKER =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "crema-snapshot-blocks");
            t.setDaemon(true);
            return t;
          });

  private static final int BUFFERS = 3;

  private final OutputStream out;
  private final CRC32 fileCrc;
  private final boolean compress;
  private final int blockBytes;
  private final java.util.concurrent.ArrayBlockingQueue<byte[]> free;
  private final byte[] stored;
  private final CRC32 blockCrc = new CRC32();
  private byte[] raw;
  private int pos;
  private long totalRaw;
  private int blocks;
  private boolean finished;

  /** The last block handed to the worker; later blocks chain on it. */
  private java.util.concurrent.CompletableFuture<Void> tail =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  /**
   * @param fileCrc already updated with the header bytes; updated with everything written here
   */
  BlockOutputStream(OutputStream out, CRC32 fileCrc, boolean compress, int blockBytes) {
    this.out = out;
    this.fileCrc = fileCrc;
    this.compress = compress;
    this.blockBytes = blockBytes;
    this.free = new java.util.concurrent.ArrayBlockingQueue<>(BUFFERS);
    for (int i = 1; i < BUFFERS; i++) {
      free.add(new byte[blockBytes]);
    }
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

  /** Hands the current block to the worker and takes a free buffer (waits if none: bounded). */
  private void flushBlock() throws IOException {
    checkOpen();
    rethrowWorkerFailure();
    if (pos == 0) {
      return;
    }
    byte[] block = raw;
    int len = pos;
    totalRaw += len;
    blocks++;
    tail = tail.thenRunAsync(() -> writeBlock(block, len), WORKER);
    try {
      byte[] next;
      // A failed block stops the chain (later tasks never run to give buffers back): look for
      // that failure while waiting instead of waiting forever.
      while ((next = free.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
        rethrowWorkerFailure();
      }
      raw = next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while writing a snapshot");
    }
    pos = 0;
  }

  /** Worker thread: CRC, compress, write one block, give its buffer back. */
  private void writeBlock(byte[] block, int len) {
    try {
      blockCrc.reset();
      blockCrc.update(block, 0, len);
      int h = SnapshotFileFormat.BLOCK_HEADER_BYTES;
      byte type = SnapshotFileFormat.BLOCK_STORED;
      int storedLen = len;
      if (compress) {
        int c = COMPRESSOR.compress(block, 0, len, stored, h, stored.length - h);
        if (c < len) {
          type = SnapshotFileFormat.BLOCK_LZ4;
          storedLen = c;
        }
      }
      if (type == SnapshotFileFormat.BLOCK_STORED) {
        System.arraycopy(block, 0, stored, h, len);
      }
      stored[0] = type;
      putInt(stored, 1, len);
      putInt(stored, 5, storedLen);
      putInt(stored, 9, (int) blockCrc.getValue());
      // The file CRC chains the block headers (which carry each block's CRC of its raw bytes),
      // not the payload: every byte is still covered once, and the payload is not checksummed
      // twice.
      fileCrc.update(stored, 0, h);
      out.write(stored, 0, h + storedLen);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      free.offer(block.length == blockBytes ? block : new byte[blockBytes]);
    }
  }

  private void rethrowWorkerFailure() throws IOException {
    if (tail.isCompletedExceptionally()) {
      awaitWorker();
    }
  }

  private void awaitWorker() throws IOException {
    try {
      tail.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable c = e.getCause();
      if (c instanceof java.io.UncheckedIOException) {
        throw ((java.io.UncheckedIOException) c).getCause();
      }
      throw new IOException("writing a snapshot block failed", c);
    }
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
    awaitWorker();
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
