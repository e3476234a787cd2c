package io.crema.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a node keeps its groups' snapshot data. A snapshot becomes visible to {@link #latest} only
 * once its writer is committed (atomically), so a crash mid-write leaves the previous one.
 */
public interface SnapshotStore extends AutoCloseable {
  /** A snapshot being written. */
  interface Writer extends AutoCloseable {
    OutputStream out();

    /** Makes the snapshot durable and the latest for its group. */
    void commit() throws IOException;

    /** Discards an uncommitted snapshot (no effect after commit). */
    @Override
    void close() throws IOException;
  }

  /** A stored snapshot. */
  interface Stored {
    SnapshotMeta meta();

    /** Opens the data; each call starts from the beginning. */
    InputStream open() throws IOException;

    /** How many bytes {@link #open()} yields (the state data, whatever the storage format). */
    long sizeBytes();
  }

  /** Starts writing a snapshot of a group. */
  Writer create(long groupId, SnapshotMeta meta) throws IOException;

  /** The latest committed snapshot of a group, if any. */
  Optional<Stored> latest(long groupId) throws IOException;

  @Override
  default void close() throws IOException {}
}
