package io.crema.transport.aeron;

import static io.crema.transport.aeron.WireFormat.CLUSTER_OFFSET;
import static io.crema.transport.aeron.WireFormat.COUNT_OFFSET;
import static io.crema.transport.aeron.WireFormat.ENTRY_FIXED_LENGTH;
import static io.crema.transport.aeron.WireFormat.FIELD_COMMIT;
import static io.crema.transport.aeron.WireFormat.FIELD_CONTEXT;
import static io.crema.transport.aeron.WireFormat.FIELD_COUNT;
import static io.crema.transport.aeron.WireFormat.FIELD_GROUP;
import static io.crema.transport.aeron.WireFormat.FIELD_INDEX;
import static io.crema.transport.aeron.WireFormat.FIELD_LOG_TERM;
import static io.crema.transport.aeron.WireFormat.FIELD_REJECT_HINT;
import static io.crema.transport.aeron.WireFormat.FIELD_TERM;
import static io.crema.transport.aeron.WireFormat.FIELD_TO;
import static io.crema.transport.aeron.WireFormat.FLAG_AUTO_LEAVE;
import static io.crema.transport.aeron.WireFormat.FLAG_ENTRIES;
import static io.crema.transport.aeron.WireFormat.FLAG_PAYLOAD;
import static io.crema.transport.aeron.WireFormat.FLAG_REJECT;
import static io.crema.transport.aeron.WireFormat.FLAG_SNAPSHOT;
import static io.crema.transport.aeron.WireFormat.FRAME_FLAGS_OFFSET;
import static io.crema.transport.aeron.WireFormat.LENGTH_OFFSET;
import static io.crema.transport.aeron.WireFormat.MAGIC;
import static io.crema.transport.aeron.WireFormat.MAGIC_OFFSET;
import static io.crema.transport.aeron.WireFormat.RECORD_FIXED_LENGTH;
import static io.crema.transport.aeron.WireFormat.RECORD_FLAGS_OFFSET;
import static io.crema.transport.aeron.WireFormat.RECORD_LENGTH_OFFSET;
import static io.crema.transport.aeron.WireFormat.RECORD_MASK_OFFSET;
import static io.crema.transport.aeron.WireFormat.RECORD_RESERVED_OFFSET;
import static io.crema.transport.aeron.WireFormat.RECORD_TYPE_OFFSET;
import static io.crema.transport.aeron.WireFormat.RESERVED_OFFSET;
import static io.crema.transport.aeron.WireFormat.SENDER_OFFSET;
import static io.crema.transport.aeron.WireFormat.SNAPSHOT_FIXED_LENGTH;
import static io.crema.transport.aeron.WireFormat.VERSION;
import static io.crema.transport.aeron.WireFormat.VERSION_OFFSET;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.SnapshotMeta;
import java.nio.ByteOrder;
import java.util.List;
import org.agrona.MutableDirectBuffer;

/**
 * Writes frames and message records in the {@link WireFormat} layout into a caller's buffer.
 * Stateless and allocation-free except for snapshot metadata (whose {@link ConfState} accessors
 * return copies); the caller sizes the buffer with {@link #recordLength(Message)}.
 */
final class MessageEncoder {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private MessageEncoder() {}

  /** The bytes {@link #encodeRecord} writes for this message. */
  static int recordLength(Message m) {
    long length = RECORD_FIXED_LENGTH + 8L * Long.bitCount(fieldMask(m));
    List<Entry> entries = m.entries();
    int n = entries.size();
    if (n > 0) {
      length += 4;
      for (int i = 0; i < n; i++) {
        length += ENTRY_FIXED_LENGTH + entries.get(i).data().length;
      }
    }
    SnapshotMeta s = m.snapshot();
    if (s != null) {
      ConfState cs = s.confState();
      length +=
          SNAPSHOT_FIXED_LENGTH
              + 8L
                  * ((long) cs.voters().length
                      + cs.learners().length
                      + cs.votersOutgoing().length
                      + cs.learnersNext().length);
    }
    if (m.payload().length > 0) {
      length += 4 + m.payload().length;
    }
    return length > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) length;
  }

  /** Writes a frame header at {@code offset}. */
  static void writeHeader(
      MutableDirectBuffer buffer,
      int offset,
      long clusterId,
      long senderId,
      int messageCount,
      int frameLength) {
    buffer.putInt(offset + MAGIC_OFFSET, MAGIC, LE);
    buffer.putByte(offset + VERSION_OFFSET, (byte) VERSION);
    buffer.putByte(offset + FRAME_FLAGS_OFFSET, (byte) 0);
    buffer.putShort(offset + COUNT_OFFSET, (short) messageCount, LE);
    buffer.putLong(offset + CLUSTER_OFFSET, clusterId, LE);
    buffer.putLong(offset + SENDER_OFFSET, senderId, LE);
    buffer.putInt(offset + LENGTH_OFFSET, frameLength, LE);
    buffer.putInt(offset + RESERVED_OFFSET, 0, LE);
  }

  /**
   * Writes one message record at {@code offset}; the buffer must have {@link #recordLength} bytes
   * there. The {@code from} field is not written: it is the frame's sender.
   *
   * @return the bytes written
   */
  static int encodeRecord(MutableDirectBuffer buffer, int offset, Message m) {
    int mask = fieldMask(m);
    List<Entry> entries = m.entries();
    SnapshotMeta snapshot = m.snapshot();
    byte[] payload = m.payload();
    int flags =
        (m.reject() ? FLAG_REJECT : 0)
            | (entries.isEmpty() ? 0 : FLAG_ENTRIES)
            | (snapshot == null ? 0 : FLAG_SNAPSHOT)
            | (payload.length == 0 ? 0 : FLAG_PAYLOAD)
            | (snapshot != null && snapshot.confState().autoLeave() ? FLAG_AUTO_LEAVE : 0);
    buffer.putByte(offset + RECORD_TYPE_OFFSET, (byte) m.type().ordinal());
    buffer.putByte(offset + RECORD_FLAGS_OFFSET, (byte) flags);
    buffer.putByte(offset + RECORD_MASK_OFFSET, (byte) mask);
    buffer.putByte(offset + RECORD_RESERVED_OFFSET, (byte) 0);
    int p = offset + RECORD_FIXED_LENGTH;
    for (int field = 0; field < FIELD_COUNT; field++) {
      if ((mask & (1 << field)) != 0) {
        buffer.putLong(p, field(m, field), LE);
        p += 8;
      }
    }
    if (!entries.isEmpty()) {
      p = encodeEntries(buffer, p, entries);
    }
    if (snapshot != null) {
      p = encodeSnapshot(buffer, p, snapshot);
    }
    if (payload.length > 0) {
      buffer.putInt(p, payload.length, LE);
      buffer.putBytes(p + 4, payload);
      p += 4 + payload.length;
    }
    int length = p - offset;
    buffer.putInt(offset + RECORD_LENGTH_OFFSET, length, LE);
    return length;
  }

  private static int encodeEntries(MutableDirectBuffer buffer, int p, List<Entry> entries) {
    int n = entries.size();
    buffer.putInt(p, n, LE);
    p += 4;
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      byte[] data = e.data();
      buffer.putLong(p, e.index(), LE);
      buffer.putLong(p + 8, e.term(), LE);
      buffer.putByte(p + 16, (byte) e.type().ordinal());
      buffer.putInt(p + 17, data.length, LE);
      buffer.putBytes(p + ENTRY_FIXED_LENGTH, data);
      p += ENTRY_FIXED_LENGTH + data.length;
    }
    return p;
  }

  private static int encodeSnapshot(MutableDirectBuffer buffer, int p, SnapshotMeta s) {
    buffer.putLong(p, s.index(), LE);
    buffer.putLong(p + 8, s.term(), LE);
    p += 16;
    ConfState cs = s.confState();
    p = encodeIds(buffer, p, cs.voters());
    p = encodeIds(buffer, p, cs.learners());
    p = encodeIds(buffer, p, cs.votersOutgoing());
    return encodeIds(buffer, p, cs.learnersNext());
  }

  private static int encodeIds(MutableDirectBuffer buffer, int p, long[] ids) {
    buffer.putInt(p, ids.length, LE);
    p += 4;
    for (long id : ids) {
      buffer.putLong(p, id, LE);
      p += 8;
    }
    return p;
  }

  static int fieldMask(Message m) {
    int mask = 0;
    for (int field = 0; field < FIELD_COUNT; field++) {
      if (field(m, field) != 0) {
        mask |= 1 << field;
      }
    }
    return mask;
  }

  private static long field(Message m, int field) {
    switch (field) {
      case FIELD_GROUP:
        return m.groupId();
      case FIELD_TO:
        return m.to();
      case FIELD_TERM:
        return m.term();
      case FIELD_LOG_TERM:
        return m.logTerm();
      case FIELD_INDEX:
        return m.index();
      case FIELD_COMMIT:
        return m.commit();
      case FIELD_REJECT_HINT:
        return m.rejectHint();
      case FIELD_CONTEXT:
        return m.context();
      default:
        throw new IllegalArgumentException("no long field " + field);
    }
  }
}
