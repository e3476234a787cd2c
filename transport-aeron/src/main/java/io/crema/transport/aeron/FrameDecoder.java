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
import static io.crema.transport.aeron.WireFormat.HEADER_LENGTH;
import static io.crema.transport.aeron.WireFormat.KNOWN_FLAGS;
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
import static io.crema.transport.aeron.WireFormat.VERSION;
import static io.crema.transport.aeron.WireFormat.VERSION_OFFSET;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.LongPredicate;
import org.agrona.DirectBuffer;

/**
 * Validates and decodes inbound frames. Never throws on bad input: every malformed, truncated,
 * foreign or oversized frame yields a {@link FrameStatus} other than OK and no messages. Bounds are
 * checked before anything is allocated, so a lying length field cannot make it allocate more than
 * the frame's own size. Allocates only the decoded messages themselves. One instance per reader
 * thread.
 */
final class FrameDecoder {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final MessageType[] TYPES = MessageType.values();
  private static final EntryType[] ENTRY_TYPES = EntryType.values();
  private static final long[] NO_IDS = new long[0];
  private static final byte[] NO_BYTES = new byte[0];

  private final long clusterId;
  private final LongPredicate knownSender;
  private final long[] fields = new long[FIELD_COUNT];
  private long sender;

  /** Where the last successful sub-decoder stopped. */
  private int cursor;

  /**
   * @param clusterId frames of other clusters are refused
   * @param knownSender which sender node ids are accepted
   */
  FrameDecoder(long clusterId, LongPredicate knownSender) {
    this.clusterId = clusterId;
    this.knownSender = knownSender;
  }

  /** The sender of the last frame whose header was valid. */
  long lastSender() {
    return sender;
  }

  /**
   * Checks the header only.
   *
   * @return OK if the rest of the frame may be decoded
   */
  FrameStatus checkHeader(DirectBuffer buffer, int offset, int length) {
    if (length < HEADER_LENGTH) {
      return FrameStatus.BAD_LENGTH;
    }
    if (buffer.getInt(offset + MAGIC_OFFSET, LE) != MAGIC) {
      return FrameStatus.BAD_MAGIC;
    }
    if ((buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION) {
      return FrameStatus.UNSUPPORTED_VERSION;
    }
    if (buffer.getLong(offset + CLUSTER_OFFSET, LE) != clusterId) {
      return FrameStatus.OTHER_CLUSTER;
    }
    long from = buffer.getLong(offset + SENDER_OFFSET, LE);
    if (!knownSender.test(from)) {
      return FrameStatus.UNKNOWN_SENDER;
    }
    if (buffer.getInt(offset + LENGTH_OFFSET, LE) != length
        || buffer.getByte(offset + FRAME_FLAGS_OFFSET) != 0
        || buffer.getInt(offset + RESERVED_OFFSET, LE) != 0) {
      return FrameStatus.BAD_LENGTH;
    }
    sender = from;
    return FrameStatus.OK;
  }

  /**
   * Decodes a whole frame, appending its messages to {@code out}. On any failure, whatever this
   * call appended is removed again: a frame is delivered entirely or not at all.
   */
  FrameStatus decode(DirectBuffer buffer, int offset, int length, List<Message> out) {
    FrameStatus header = checkHeader(buffer, offset, length);
    if (header != FrameStatus.OK) {
      return header;
    }
    int count = buffer.getShort(offset + COUNT_OFFSET, LE) & 0xFFFF;
    int start = out.size();
    int p = offset + HEADER_LENGTH;
    int end = offset + length;
    for (int i = 0; i < count; i++) {
      int recordEnd = decodeRecord(buffer, p, end, out);
      if (recordEnd < 0) {
        truncate(out, start);
        return FrameStatus.MALFORMED;
      }
      p = recordEnd;
    }
    if (count == 0 || p != end) {
      truncate(out, start);
      return FrameStatus.MALFORMED;
    }
    return FrameStatus.OK;
  }

  private static void truncate(List<Message> out, int size) {
    while (out.size() > size) {
      out.remove(out.size() - 1);
    }
  }

  /** Returns the offset after the record, or -1 if it is malformed. */
  private int decodeRecord(DirectBuffer buffer, int p, int frameEnd, List<Message> out) {
    if (frameEnd - p < RECORD_FIXED_LENGTH) {
      return -1;
    }
    int recordLength = buffer.getInt(p + RECORD_LENGTH_OFFSET, LE);
    if (recordLength < RECORD_FIXED_LENGTH || recordLength > frameEnd - p) {
      return -1;
    }
    int end = p + recordLength;
    int typeOrdinal = buffer.getByte(p + RECORD_TYPE_OFFSET) & 0xFF;
    int flags = buffer.getByte(p + RECORD_FLAGS_OFFSET) & 0xFF;
    int mask = buffer.getByte(p + RECORD_MASK_OFFSET) & 0xFF;
    if (typeOrdinal >= TYPES.length
        || TYPES[typeOrdinal].isLocal()
        || (flags & ~KNOWN_FLAGS) != 0
        || ((flags & FLAG_AUTO_LEAVE) != 0 && (flags & FLAG_SNAPSHOT) == 0)
        || buffer.getByte(p + RECORD_RESERVED_OFFSET) != 0) {
      return -1;
    }
    int q = p + RECORD_FIXED_LENGTH;
    if (end - q < 8 * Integer.bitCount(mask)) {
      return -1;
    }
    for (int field = 0; field < FIELD_COUNT; field++) {
      long v = 0;
      if ((mask & (1 << field)) != 0) {
        v = buffer.getLong(q, LE);
        q += 8;
        if (v == 0) {
          return -1; // present fields are non-zero: one encoding per message
        }
      }
      fields[field] = v;
    }
    List<Entry> entries = List.of();
    if ((flags & FLAG_ENTRIES) != 0) {
      entries = decodeEntries(buffer, q, end);
      if (entries == null) {
        return -1;
      }
      q = cursor;
    }
    SnapshotMeta snapshot = null;
    if ((flags & FLAG_SNAPSHOT) != 0) {
      snapshot = decodeSnapshot(buffer, q, end, (flags & FLAG_AUTO_LEAVE) != 0);
      if (snapshot == null) {
        return -1;
      }
      q = cursor;
    }
    byte[] payload = null;
    if ((flags & FLAG_PAYLOAD) != 0) {
      payload = readBytes(buffer, q, end, 1);
      if (payload == null) {
        return -1;
      }
      q = cursor;
    }
    if (q != end) {
      return -1;
    }
    out.add(
        new Message(
            fields[FIELD_GROUP],
            TYPES[typeOrdinal],
            sender,
            fields[FIELD_TO],
            fields[FIELD_TERM],
            fields[FIELD_LOG_TERM],
            fields[FIELD_INDEX],
            entries,
            fields[FIELD_COMMIT],
            (flags & FLAG_REJECT) != 0,
            fields[FIELD_REJECT_HINT],
            snapshot,
            fields[FIELD_CONTEXT],
            payload));
    return end;
  }

  private List<Entry> decodeEntries(DirectBuffer buffer, int q, int end) {
    if (end - q < 4) {
      return null;
    }
    int n = buffer.getInt(q, LE);
    q += 4;
    if (n < 1 || n > (end - q) / ENTRY_FIXED_LENGTH) {
      return null;
    }
    Entry[] entries = new Entry[n];
    for (int i = 0; i < n; i++) {
      if (end - q < ENTRY_FIXED_LENGTH) {
        return null;
      }
      long index = buffer.getLong(q, LE);
      long term = buffer.getLong(q + 8, LE);
      int type = buffer.getByte(q + 16) & 0xFF;
      if (index <= 0 || term <= 0 || type >= ENTRY_TYPES.length) {
        return null;
      }
      byte[] data = readBytes(buffer, q + 17, end, 0);
      if (data == null) {
        return null;
      }
      q = cursor;
      entries[i] = new Entry(index, term, ENTRY_TYPES[type], data);
    }
    cursor = q;
    return n == 1 ? List.of(entries[0]) : Collections.unmodifiableList(Arrays.asList(entries));
  }

  private SnapshotMeta decodeSnapshot(DirectBuffer buffer, int q, int end, boolean autoLeave) {
    if (end - q < 16) {
      return null;
    }
    long index = buffer.getLong(q, LE);
    long term = buffer.getLong(q + 8, LE);
    if (index < 0 || term < 0 || (index == 0) != (term == 0)) {
      return null;
    }
    cursor = q + 16;
    long[] voters = readIds(buffer, cursor, end);
    long[] learners = voters == null ? null : readIds(buffer, cursor, end);
    long[] outgoing = learners == null ? null : readIds(buffer, cursor, end);
    long[] next = outgoing == null ? null : readIds(buffer, cursor, end);
    if (next == null) {
      return null;
    }
    try {
      return new SnapshotMeta(
          index, term, new ConfState(voters, learners, outgoing, next, autoLeave));
    } catch (IllegalArgumentException e) {
      return null; // ids not > 0, or a learner that is also a voter
    }
  }

  private long[] readIds(DirectBuffer buffer, int q, int end) {
    if (end - q < 4) {
      return null;
    }
    int n = buffer.getInt(q, LE);
    q += 4;
    if (n < 0 || n > (end - q) / 8) {
      return null;
    }
    long[] ids = n == 0 ? NO_IDS : new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = buffer.getLong(q, LE);
      q += 8;
    }
    cursor = q;
    return ids;
  }

  /** Reads an int32 length (>= min) and that many bytes; null if it does not fit. */
  private byte[] readBytes(DirectBuffer buffer, int q, int end, int min) {
    if (end - q < 4) {
      return null;
    }
    int n = buffer.getInt(q, LE);
    q += 4;
    if (n < min || n > end - q) {
      return null;
    }
    byte[] bytes = n == 0 ? NO_BYTES : new byte[n];
    buffer.getBytes(q, bytes);
    cursor = q + n;
    return bytes;
  }
}
