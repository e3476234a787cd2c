package io.crema.raft.node;

import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import io.crema.raft.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Moves snapshot data between hosts in chunks over the {@link Transport}: the leader streams a
 * stored snapshot with a small window of unacknowledged chunks; the follower writes the chunks in
 * order into its {@link SnapshotStore} and, once complete and committed, hands the algorithm the
 * snapshot message. Memory is bounded by one chunk per transfer on each side. A transfer resumes
 * from the follower's last acknowledged offset; one without progress for the timeout fails and is
 * reported to the algorithm, which retries later.
 */
final class SnapshotTransfers {
  private static final int WINDOW = 4;

  private final long nodeId;
  private final Transport transport;
  private final SnapshotStore store;
  private final int chunkBytes;
  private final long timeoutNs;
  private final LongFunction<Group> groups;

  private final Map<Key, Sender> senders = new HashMap<>();
  private final Map<Key, Receiver> receivers = new HashMap<>();

  private record Key(long groupId, long peer) {}

  private static final class Sender {
    SnapshotStore.Stored stored;
    InputStream in;
    long term;
    long readOffset;
    long acked;
    long lastProgressNs;
  }

  private static final class Receiver {
    SnapshotMeta meta;
    SnapshotStore.Writer writer;
    long offset;
    long total;
    long lastProgressNs;
  }

  SnapshotTransfers(
      long nodeId,
      Transport transport,
      SnapshotStore store,
      int chunkBytes,
      long timeoutNs,
      LongFunction<Group> groups) {
    this.nodeId = nodeId;
    this.transport = transport;
    this.store = store;
    this.chunkBytes = chunkBytes;
    this.timeoutNs = timeoutNs;
    this.groups = groups;
  }

  /** The algorithm asked to send a snapshot: start (or keep) streaming the latest stored one. */
  void send(Group g, Message snap, long nowNs) {
    Key key = new Key(g.id, snap.to());
    Sender existing = senders.get(key);
    if (existing != null && existing.stored.meta().index() >= snap.snapshot().index()) {
      return;
    }
    close(existing);
    senders.remove(key);
    try {
      Optional<SnapshotStore.Stored> latest = store.latest(g.id);
      if (latest.isEmpty() || latest.get().meta().index() < snap.snapshot().index()) {
        g.node.reportSnapshot(snap.to(), false);
        return;
      }
      Sender s = new Sender();
      s.stored = latest.get();
      s.in = s.stored.open();
      s.term = snap.term();
      s.lastProgressNs = nowNs;
      senders.put(key, s);
      pump(key, s);
    } catch (IOException e) {
      g.node.reportSnapshot(snap.to(), false);
    }
  }

  private void pump(Key key, Sender s) throws IOException {
    long total = s.stored.sizeBytes();
    while (s.readOffset < total && s.readOffset - s.acked < (long) WINDOW * chunkBytes) {
      int n = (int) Math.min(chunkBytes, total - s.readOffset);
      byte[] chunk = s.in.readNBytes(n);
      if (chunk.length != n) {
        throw new IOException(
            "snapshot data ended at " + (s.readOffset + chunk.length) + " of " + total);
      }
      sendChunk(key, s, s.readOffset, total, chunk);
      s.readOffset += n;
    }
    if (total == 0 && s.readOffset == 0) {
      // An empty snapshot still needs one (empty) chunk to be delivered.
      sendChunk(key, s, 0, 0, new byte[0]);
      s.readOffset = -1;
    }
  }

  private void sendChunk(Key key, Sender s, long offset, long total, byte[] chunk) {
    transport.send(
        Message.builder(MessageType.SNAPSHOT_CHUNK)
            .groupId(key.groupId())
            .from(nodeId)
            .to(key.peer())
            .term(s.term)
            .snapshot(s.stored.meta())
            .index(offset)
            .commit(total)
            .payload(chunk)
            .build());
  }

  /** A host message arrived. */
  void onMessage(Group g, Message m, long nowNs) {
    if (m.type() == MessageType.SNAPSHOT_CHUNK) {
      onChunk(g, m, nowNs);
    } else if (m.type() == MessageType.SNAPSHOT_CHUNK_ACK) {
      onAck(g, m, nowNs);
    }
  }

  private void onAck(Group g, Message m, long nowNs) {
    Key key = new Key(g.id, m.from());
    Sender s = senders.get(key);
    if (s == null || m.snapshot() == null || m.snapshot().index() != s.stored.meta().index()) {
      return;
    }
    long total = s.stored.sizeBytes();
    if (m.reject()) {
      finish(key, s, g, false);
      return;
    }
    if (m.index() >= total) {
      finish(key, s, g, true);
      return;
    }
    try {
      if (m.index() > s.acked) {
        s.lastProgressNs = nowNs;
        s.acked = m.index();
        if (s.acked > s.readOffset) {
          // A resumed transfer: the receiver already holds more than we sent this time.
          s.in.skipNBytes(s.acked - s.readOffset);
          s.readOffset = s.acked;
        }
      } else if (s.readOffset > m.index()) {
        // No progress while we sent more: the receiver lost chunks. Resend from its offset.
        close(s);
        s.in = s.stored.open();
        s.in.skipNBytes(m.index());
        s.readOffset = m.index();
        s.acked = m.index();
      }
      pump(key, s);
    } catch (IOException e) {
      finish(key, s, g, false);
    }
  }

  private void finish(Key key, Sender s, Group g, boolean ok) {
    close(s);
    senders.remove(key);
    g.node.reportSnapshot(key.peer(), ok);
  }

  private void onChunk(Group g, Message m, long nowNs) {
    Key key = new Key(g.id, m.from());
    Receiver r = receivers.get(key);
    SnapshotMeta meta = m.snapshot();
    if (r != null && (r.meta.index() != meta.index() || r.meta.term() != meta.term())) {
      abort(r);
      receivers.remove(key);
      r = null;
    }
    if (r == null) {
      if (m.index() != 0) {
        ack(g, m, meta, 0, false);
        return;
      }
      try {
        r = new Receiver();
        r.meta = meta;
        r.writer = store.create(g.id, meta);
        r.total = m.commit();
        r.lastProgressNs = nowNs;
        receivers.put(key, r);
      } catch (IOException e) {
        ack(g, m, meta, 0, true);
        return;
      }
    }
    if (m.index() != r.offset) {
      ack(g, m, meta, r.offset, false);
      return;
    }
    try {
      r.writer.out().write(m.payload());
      r.offset += m.payload().length;
      r.lastProgressNs = nowNs;
      if (r.offset >= r.total) {
        if (g.node.installingSnapshot()) {
          // An earlier snapshot of this group waits for its install, which reads the store's
          // latest: committing this one now would replace it. Refused; the leader sends it again.
          abort(r);
          receivers.remove(key);
          ack(g, m, meta, 0, true);
          return;
        }
        r.writer.out().flush();
        receivers.remove(key);
        // The algorithm decides first; only a snapshot it takes becomes the store's latest (an
        // install reads the latest, so a refused one must not shadow an older one taken later).
        // The Ready that installs it is persisted after this cycle, after the commit below.
        g.node.step(
            Message.builder(MessageType.SNAPSHOT)
                .groupId(g.id)
                .from(m.from())
                .to(nodeId)
                .term(m.term())
                .snapshot(meta)
                .build());
        if (g.node.installingSnapshot()) {
          r.writer.commit();
        } else {
          abort(r);
        }
      }
      ack(g, m, meta, r.offset, false);
    } catch (IOException e) {
      abort(r);
      receivers.remove(key);
      ack(g, m, meta, 0, true);
    }
  }

  private void ack(Group g, Message chunk, SnapshotMeta meta, long offset, boolean reject) {
    transport.send(
        Message.builder(MessageType.SNAPSHOT_CHUNK_ACK)
            .groupId(g.id)
            .from(nodeId)
            .to(chunk.from())
            .term(chunk.term())
            .snapshot(meta)
            .index(offset)
            .reject(reject)
            .build());
  }

  /** Fails transfers that made no progress within the timeout. */
  void expire(long nowNs) {
    Iterator<Map.Entry<Key, Sender>> it = senders.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Sender> e = it.next();
      if (nowNs - e.getValue().lastProgressNs > timeoutNs) {
        close(e.getValue());
        it.remove();
        Group g = groups.apply(e.getKey().groupId());
        if (g != null) {
          g.node.reportSnapshot(e.getKey().peer(), false);
        }
      }
    }
    receivers
        .values()
        .removeIf(
            r -> {
              if (nowNs - r.lastProgressNs > 4 * timeoutNs) {
                abort(r);
                return true;
              }
              return false;
            });
  }

  /** Drops every transfer of a group. */
  void forget(long groupId) {
    senders.entrySet().removeIf(e -> e.getKey().groupId() == groupId && close(e.getValue()));
    receivers.entrySet().removeIf(e -> e.getKey().groupId() == groupId && abort(e.getValue()));
  }

  private static boolean close(Sender s) {
    if (s != null && s.in != null) {
      try {
        s.in.close();
      } catch (IOException ignored) {
        // Reading side only: nothing to recover.
      }
    }
    return true;
  }

  private static boolean abort(Receiver r) {
    try {
      r.writer.close();
    } catch (IOException ignored) {
      // The partial snapshot is discarded either way.
    }
    return true;
  }
}
