package io.crema.cache.statemachine;

import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files on local disk, one directory per group, in the format of {@link
 * SnapshotFileFormat}: a header with group, index, term and membership, LZ4 (or stored) blocks each
 * with a CRC32, and a trailer with a whole-file checksum.
 *
 * <p>Durability: a snapshot is written to a temporary file, fsynced, atomically renamed to its
 * final name and the directory is fsynced; only then is it visible to {@link #latest}. A crash at
 * any point leaves the previous snapshot intact (stray temporary files are deleted on open). The
 * {@link CheckpointConfig#retain()} newest snapshots per group are kept.
 *
 * <p>Integrity: {@link #latest} and {@link #list} check each file's header; {@link Stored#open()}
 * verifies every block and the trailer while reading and throws {@link CorruptSnapshotException}
 * (before reporting end of stream) on a flipped byte or a truncated file. A caller that finds a
 * snapshot corrupt can {@link #quarantine} it and fall back to the next one from {@link #list}.
 *
 * <p>{@link Stored#sizeBytes()} is the number of state bytes {@link Stored#open()} yields
 * (uncompressed), read from the file's trailer. Thread-safe for different groups; one writer per
 * group at a time.
 */
public final class FileSnapshotStore implements SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
  private static final String SUFFIX = ".snap";
  private static final int READ_BUFFER = 64 * 1024;

  private final CheckpointConfig config;

  private FileSnapshotStore(CheckpointConfig config) {
    this.config = config;
  }

  /**
   * Opens (creating if needed) the store in {@link CheckpointConfig#directory()}.
   *
   * @throws IOException if the directory cannot be created or read
   */
  public static FileSnapshotStore open(CheckpointConfig config) throws IOException {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    Files.createDirectories(config.directory());
    return new FileSnapshotStore(config);
  }

  public CheckpointConfig config() {
    return config;
  }

  private Path groupDir(long groupId) throws IOException {
    Path dir = config.directory().resolve("group-" + Long.toUnsignedString(groupId));
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      fsyncDirectory(config.directory());
    } else {
      try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
        for (Path p : tmp) {
          if (!OpenWriters.isOpen(p)) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    return dir;
  }

  private static String fileName(SnapshotMeta meta) {
    return String.format("%020d-%020d%s", meta.index(), meta.term(), SUFFIX);
  }

  @Override
  public Writer create(long groupId, SnapshotMeta meta) throws IOException {
    if (meta == null) {
      throw new IllegalArgumentException("meta must not be null");
    }
    Path dir = groupDir(groupId);
    Path tmp = Files.createTempFile(dir, "snapshot-", ".tmp");
    return new FileWriter(groupId, meta, dir, tmp);
  }

  @Override
  public Optional<Stored> latest(long groupId) throws IOException {
    List<Stored> all = list(groupId);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * All committed snapshots of a group whose header is intact, newest (highest index, then term)
   * first. Files with a damaged header are skipped with a warning.
   */
  public List<Stored> list(long groupId) throws IOException {
    Path dir = groupDir(groupId);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      ds.forEach(files::add);
    }
    files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    List<Stored> result = new ArrayList<>(files.size());
    for (Path p : files) {
      try (DataInputStream in = openData(p)) {
        SnapshotFileFormat.Header h = SnapshotFileFormat.readHeader(in, new CRC32(), p.toString());
        if (h.groupId() != groupId) {
          throw new CorruptSnapshotException(p + ": belongs to group " + h.groupId());
        }
        result.add(new FileStored(p, h, rawSize(p)));
      } catch (CorruptSnapshotException e) {
        LOG.warn("skipping unusable snapshot file: {}", e.getMessage());
      }
    }
    return result;
  }

  /** Renames a snapshot found corrupt to {@code *.corrupt} so that it is no longer listed. */
  public void quarantine(Stored stored) throws IOException {
    if (!(stored instanceof FileStored)) {
      throw new IllegalArgumentException("not a snapshot of this store: " + stored);
    }
    Path p = ((FileStored) stored).path;
    Files.move(p, p.resolveSibling(p.getFileName() + ".corrupt"), StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(p.getParent());
    LOG.warn("quarantined corrupt snapshot {}", p);
  }

  private static DataInputStream openData(Path p) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(p), READ_BUFFER));
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private void prune(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      ds.forEach(files::add);
    }
    files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    for (int i = config.retain(); i < files.size(); i++) {
      Files.deleteIfExists(files.get(i));
    }
  }

  /** Temporary files being written in this JVM (not to be deleted as stray). */
  private static final class OpenWriters {
    private static final java.util.Set<Path> OPEN =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    static boolean isOpen(Path p) {
      return OPEN.contains(p);
    }
  }

  /** Starts disk write-back of snapshot files early, so the final fsync has little left to do. */
  private static final java.util.concurrent.ExecutorService WRITE_BACK =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "crema-snapshot-writeback");
            t.setDaemon(true);
            return t;
          });

  private static final long WRITE_BACK_EVERY_BYTES = 4L << 20;

  /**
   * Counts bytes written and, every few MiB, asks the OS (on another thread) to write back what is
   * there, overlapping disk I/O with serialisation and compression.
   */
  private static final class WriteBackStream extends java.io.FilterOutputStream {
    private final FileChannel channel;
    private long written;
    private long lastWriteBack;
    private java.util.concurrent.Future<?> pending;

    WriteBackStream(FileOutputStream file) {
      super(file);
      this.channel = file.getChannel();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
      if (written - lastWriteBack >= WRITE_BACK_EVERY_BYTES
          && (pending == null || pending.isDone())) {
        lastWriteBack = written;
        pending =
            WRITE_BACK.submit(
                () -> {
                  channel.force(false);
                  return null;
                });
      }
    }

    /** Waits for a write-back under way; its failure fails the commit. */
    void awaitWriteBack() throws IOException {
      if (pending == null) {
        return;
      }
      try {
        pending.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while syncing a snapshot");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("syncing the snapshot file failed", e.getCause());
      }
    }
  }

  private final class FileWriter implements Writer {
    private final SnapshotMeta meta;
    private final Path dir;
    private final Path tmp;
    private final FileOutputStream file;
    private final WriteBackStream writeBack;
    private final BlockOutputStream blocks;
    private boolean done;

    FileWriter(long groupId, SnapshotMeta meta, Path dir, Path tmp) throws IOException {
      this.meta = meta;
      this.dir = dir;
      this.tmp = tmp;
      OpenWriters.OPEN.add(tmp);
      this.file = new FileOutputStream(tmp.toFile());
      this.writeBack = new WriteBackStream(file);
      boolean ok = false;
      try {
        byte[] header =
            SnapshotFileFormat.encodeHeader(
                groupId, meta, config.compression(), config.blockBytes());
        CRC32 crc = new CRC32();
        crc.update(header);
        file.write(header);
        this.blocks =
            new BlockOutputStream(writeBack, crc, config.compression(), config.blockBytes());
        ok = true;
      } finally {
        if (!ok) {
          close();
        }
      }
    }

    @Override
    public OutputStream out() {
      return blocks;
    }

    @Override
    public void commit() throws IOException {
      if (done) {
        throw new IOException("snapshot writer already committed or closed");
      }
      blocks.finish();
      writeBack.awaitWriteBack();
      file.getFD().sync();
      file.close();
      Path target = dir.resolve(fileName(meta));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      OpenWriters.OPEN.remove(tmp);
      fsyncDirectory(dir);
      LOG.debug("committed snapshot {} ({} raw bytes)", target, blocks.totalRawBytes());
      prune(dir);
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        file.close();
      } finally {
        OpenWriters.OPEN.remove(tmp);
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * The state bytes a snapshot file holds (what {@link Stored#open()} yields), from its trailer.
   *
   * @throws CorruptSnapshotException if the file has no valid trailer
   */
  private static long rawSize(Path p) throws IOException {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "r")) {
      long len = f.length();
      if (len < 17) {
        throw new CorruptSnapshotException(p + ": too short (" + len + " bytes) for a trailer");
      }
      f.seek(len - 17);
      byte marker = f.readByte();
      long raw = f.readLong();
      if (marker != SnapshotFileFormat.END || raw < 0) {
        throw new CorruptSnapshotException(p + ": no valid trailer at byte " + (len - 17));
      }
      return raw;
    }
  }

  private static final class FileStored implements Stored {
    private final Path path;
    private final SnapshotFileFormat.Header header;
    private final long size;

    FileStored(Path path, SnapshotFileFormat.Header header, long size) {
      this.path = path;
      this.header = header;
      this.size = size;
    }

    @Override
    public SnapshotMeta meta() {
      return header.meta();
    }

    @Override
    public InputStream open() throws IOException {
      DataInputStream in = openData(path);
      try {
        CRC32 crc = new CRC32();
        SnapshotFileFormat.Header h = SnapshotFileFormat.readHeader(in, crc, path.toString());
        if (!h.equals(header)) {
          throw new CorruptSnapshotException(path + ": header changed since it was listed");
        }
        return new BlockInputStream(in, crc, h.blockBytes(), path.toString());
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }

    @Override
    public long sizeBytes() {
      return size;
    }

    @Override
    public String toString() {
      return "Stored{" + path + ", " + header.meta() + ", " + size + "B}";
    }
  }
}
