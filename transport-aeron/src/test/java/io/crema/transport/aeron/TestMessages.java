package io.crema.transport.aeron;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/** Random messages, whole frames, and a full-field description to compare messages by. */
final class TestMessages {
  private TestMessages() {}

  /** The kinds that cross the wire. */
  static List<MessageType> wireTypes() {
    List<MessageType> out = new ArrayList<>();
    for (MessageType t : MessageType.values()) {
      if (!t.isLocal()) {
        out.add(t);
      }
    }
    return out;
  }

  /** A message of the given kind with random fields (often zero), entries, snapshot, payload. */
  static Message random(SplittableRandom rnd, MessageType type, long from, long to) {
    Message.Builder b =
        Message.builder(type)
            .from(from)
            .to(to)
            .groupId(maybe(rnd))
            .term(maybe(rnd))
            .logTerm(maybe(rnd))
            .index(maybe(rnd))
            .commit(maybe(rnd))
            .reject(rnd.nextBoolean())
            .rejectHint(maybe(rnd))
            .context(maybe(rnd));
    if (rnd.nextInt(3) == 0) {
      int n = 1 + rnd.nextInt(5);
      List<Entry> entries = new ArrayList<>();
      long first = 1 + rnd.nextInt(1_000_000);
      for (int i = 0; i < n; i++) {
        byte[] data = new byte[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(200)];
        rnd.nextBytes(data);
        EntryType et = rnd.nextInt(5) == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL;
        entries.add(new Entry(first + i, 1 + rnd.nextInt(100), et, data));
      }
      b.entries(List.copyOf(entries));
    }
    if (rnd.nextInt(4) == 0) {
      long[] voters = rnd.longs(rnd.nextInt(4), 1, 10).toArray();
      long[] outgoing = rnd.longs(rnd.nextInt(3), 1, 10).toArray();
      long[] learners = rnd.longs(rnd.nextInt(3), 10, 20).toArray();
      long[] next = rnd.longs(rnd.nextInt(2), 1, 10).toArray();
      long index = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(1_000_000);
      b.snapshot(
          new SnapshotMeta(
              index,
              index == 0 ? 0 : 1 + rnd.nextInt(100),
              new ConfState(voters, learners, outgoing, next, rnd.nextBoolean())));
    }
    if (rnd.nextInt(3) == 0) {
      byte[] payload = new byte[rnd.nextInt(300)];
      rnd.nextBytes(payload);
      b.payload(payload);
    }
    return b.build();
  }

  private static long maybe(SplittableRandom rnd) {
    switch (rnd.nextInt(4)) {
      case 0:
        return 0;
      case 1:
        return rnd.nextLong();
      default:
        return rnd.nextInt(1000);
    }
  }

  /** Every field of a message, for equality checks. */
  static String describe(Message m) {
    return m.type()
        + " g="
        + m.groupId()
        + " from="
        + m.from()
        + " to="
        + m.to()
        + " term="
        + m.term()
        + " logTerm="
        + m.logTerm()
        + " index="
        + m.index()
        + " commit="
        + m.commit()
        + " reject="
        + m.reject()
        + " hint="
        + m.rejectHint()
        + " ctx="
        + m.context()
        + " snap="
        + (m.snapshot() == null
            ? "null"
            : m.snapshot().index() + "@" + m.snapshot().term() + " " + m.snapshot().confState())
        + " entries="
        + m.entries()
        + Arrays.toString(m.entries().stream().map(e -> Arrays.toString(e.data())).toArray())
        + " payload="
        + Arrays.toString(m.payload());
  }

  /** Encodes the messages (all from {@code sender}) as one frame. */
  static byte[] frame(long clusterId, long sender, List<Message> messages) {
    int length = WireFormat.HEADER_LENGTH;
    for (Message m : messages) {
      length += MessageEncoder.recordLength(m);
    }
    byte[] bytes = new byte[length];
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    int p = WireFormat.HEADER_LENGTH;
    for (Message m : messages) {
      p += MessageEncoder.encodeRecord(buffer, p, m);
    }
    MessageEncoder.writeHeader(buffer, 0, clusterId, sender, messages.size(), length);
    return bytes;
  }
}
