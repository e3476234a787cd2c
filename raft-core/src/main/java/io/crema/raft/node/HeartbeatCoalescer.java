package io.crema.raft.node;

import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Coalesces the heartbeats (and heartbeat responses) that the groups of one duty cycle send to the
 * same peer into one {@link MessageType#HEARTBEAT_BATCH}, as CockroachDB and Dragonboat do: many
 * groups between the same two nodes cost one message per cycle, not one per group. Unpacks batches
 * on the receiving side. Host thread only.
 */
final class HeartbeatCoalescer {
  private static final int ENTRY_BYTES = 1 + 8 + 8 + 8 + 8 + 1;

  private final long nodeId;
  private final Transport transport;
  private final Long2ObjectHashMap<List<Message>> byPeer = new Long2ObjectHashMap<>();

  HeartbeatCoalescer(long nodeId, Transport transport) {
    this.nodeId = nodeId;
    this.transport = transport;
  }

  static boolean coalesces(MessageType t) {
    return t == MessageType.HEARTBEAT || t == MessageType.HEARTBEAT_RESPONSE;
  }

  /** Holds a heartbeat until {@link #flush()}. */
  void add(Message m) {
    byPeer.computeIfAbsent(m.to(), p -> new ArrayList<>()).add(m);
  }

  /** Sends what was held: a lone heartbeat as it is, several to one peer as one batch. */
  void flush() {
    if (byPeer.isEmpty()) {
      return;
    }
    for (Long2ObjectHashMap<List<Message>>.EntryIterator it = byPeer.entrySet().iterator();
        it.hasNext(); ) {
      it.next();
      long peer = it.getLongKey();
      List<Message> ms = it.getValue();
      if (ms.size() == 1) {
        transport.send(ms.get(0));
      } else if (!ms.isEmpty()) {
        transport.send(
            Message.builder(MessageType.HEARTBEAT_BATCH)
                .from(nodeId)
                .to(peer)
                .payload(encode(ms))
                .build());
      }
      ms.clear();
    }
  }

  private static byte[] encode(List<Message> ms) {
    byte[] out = new byte[4 + ms.size() * ENTRY_BYTES];
    int p = putInt(out, 0, ms.size());
    for (Message m : ms) {
      out[p++] = (byte) (m.type() == MessageType.HEARTBEAT ? 0 : 1);
      p = putLong(out, p, m.groupId());
      p = putLong(out, p, m.term());
      p = putLong(out, p, m.commit());
      p = putLong(out, p, m.context());
      out[p++] = (byte) (m.reject() ? 1 : 0);
    }
    return out;
  }

  /**
   * The heartbeats a batch carries, as if each had come alone.
   *
   * @throws IllegalArgumentException if the payload is malformed
   */
  static List<Message> decode(Message batch) {
    byte[] in = batch.payload();
    if (in.length < 4) {
      throw new IllegalArgumentException("heartbeat batch of " + in.length + " bytes");
    }
    int n = getInt(in, 0);
    if (n < 0 || in.length != 4 + (long) n * ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "heartbeat batch claims " + n + " entries in " + in.length + " bytes");
    }
    List<Message> out = new ArrayList<>(n);
    int p = 4;
    for (int i = 0; i < n; i++) {
      MessageType type = in[p++] == 0 ? MessageType.HEARTBEAT : MessageType.HEARTBEAT_RESPONSE;
      long group = getLong(in, p);
      long term = getLong(in, p + 8);
      long commit = getLong(in, p + 16);
      long context = getLong(in, p + 24);
      p += 32;
      boolean reject = in[p++] != 0;
      out.add(
          Message.builder(type)
              .groupId(group)
              .from(batch.from())
              .to(batch.to())
              .term(term)
              .commit(commit)
              .context(context)
              .reject(reject)
              .build());
    }
    return out;
  }

  private static int putInt(byte[] b, int p, int v) {
    for (int i = 3; i >= 0; i--) {
      b[p++] = (byte) (v >>> (i * 8));
    }
    return p;
  }

  private static int putLong(byte[] b, int p, long v) {
    for (int i = 7; i >= 0; i--) {
      b[p++] = (byte) (v >>> (i * 8));
    }
    return p;
  }

  private static int getInt(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  private static long getLong(byte[] b, int p) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[p + i] & 0xFF);
    }
    return v;
  }
}
