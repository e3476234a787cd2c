package io.crema.raft.storage;

import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SnapshotStore} in memory: the latest committed snapshot of each group as a byte array.
 * Thread-safe (snapshots are written on a background thread). Lost with the process, so it suits
 * tests and nodes whose log store is in memory too.
 */
public final class MemorySnapshotStore implements SnapshotStore {
  private record Held(SnapshotMeta meta, byte[] data) implements Stored {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(data);
    }

    @Override
    public long sizeBytes() {
      return data.length;
    }
  }

  private final Map<Long, Held> latest = new ConcurrentHashMap<>();

  @Override
  public Writer create(long groupId, SnapshotMeta meta) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    return new Writer() {
      private boolean done;

      @Override
      public OutputStream out() {
        return buffer;
      }

      @Override
      public void commit() throws IOException {
        if (done) {
          throw new IOException(
              "snapshot "
                  + meta.index()
                  + " of group "
                  + groupId
                  + " already committed or discarded");
        }
        done = true;
        latest.merge(
            groupId,
            new Held(meta, buffer.toByteArray()),
            (old, neu) -> neu.meta().index() >= old.meta().index() ? neu : old);
      }

      @Override
      public void close() {
        done = true;
      }
    };
  }

  @Override
  public Optional<Stored> latest(long groupId) {
    return Optional.ofNullable(latest.get(groupId));
  }
}
