package io.crema.transport.aeron;

/**
 * The layout of a Crema transport frame, version 1. All integers are little-endian. One frame is
 * one Aeron message (fragmented and re-assembled by Aeron when larger than the MTU) and carries one
 * or more messages from one sender to one receiver, of any groups.
 *
 * <pre>
 * Frame header (32 bytes)
 *   0  int32  magic            0x414D5243 ("CRMA" in wire order)
 *   4  uint8  version          1
 *   5  uint8  flags            0 (reserved, must be 0)
 *   6  uint16 message count    >= 1
 *   8  int64  cluster id
 *  16  int64  sender node id   (the {@code from} of every message in the frame)
 *  24  int32  frame length     header + records, equals the Aeron message length
 *  28  int32  reserved         0
 * Then {@code message count} records, back to back, filling the frame exactly:
 *   0  int32  record length    including this field
 *   4  uint8  message type     MessageType ordinal; local kinds are invalid
 *   5  uint8  flags            bit0 reject, bit1 entries, bit2 snapshot, bit3 payload,
 *                              bit4 snapshot autoLeave; other bits must be 0
 *   6  uint8  field mask       bit i set: long field i is present (in this order) and non-zero:
 *                              0 groupId, 1 to, 2 term, 3 logTerm, 4 index, 5 commit,
 *                              6 rejectHint, 7 context; absent fields are 0
 *   7  uint8  reserved         0
 *   8  int64 x bitCount(mask)  the present long fields
 *   [entries]  int32 count >= 1, then per entry: int64 index, int64 term, uint8 EntryType
 *              ordinal, int32 data length, data bytes
 *   [snapshot] int64 index, int64 term, then voters, learners, votersOutgoing, learnersNext,
 *              each as int32 count then int64 ids
 *   [payload]  int32 length >= 1, then the bytes
 * </pre>
 *
 * <p>The group id is carried per record, not per frame, so that one frame batches the traffic of
 * every group to the same peer (Multi-Raft).
 */
final class WireFormat {
  static final int MAGIC = 0x414D5243;
  static final int VERSION = 1;

  static final int MAGIC_OFFSET = 0;
  static final int VERSION_OFFSET = 4;
  static final int FRAME_FLAGS_OFFSET = 5;
  static final int COUNT_OFFSET = 6;
  static final int CLUSTER_OFFSET = 8;
  static final int SENDER_OFFSET = 16;
  static final int LENGTH_OFFSET = 24;
  static final int RESERVED_OFFSET = 28;
  static final int HEADER_LENGTH = 32;

  /** Most messages in one frame (the count is a uint16). */
  static final int MAX_MESSAGES_PER_FRAME = 0xFFFF;

  static final int RECORD_LENGTH_OFFSET = 0;
  static final int RECORD_TYPE_OFFSET = 4;
  static final int RECORD_FLAGS_OFFSET = 5;
  static final int RECORD_MASK_OFFSET = 6;
  static final int RECORD_RESERVED_OFFSET = 7;
  static final int RECORD_FIXED_LENGTH = 8;

  static final int FLAG_REJECT = 1;
  static final int FLAG_ENTRIES = 1 << 1;
  static final int FLAG_SNAPSHOT = 1 << 2;
  static final int FLAG_PAYLOAD = 1 << 3;
  static final int FLAG_AUTO_LEAVE = 1 << 4;
  static final int KNOWN_FLAGS =
      FLAG_REJECT | FLAG_ENTRIES | FLAG_SNAPSHOT | FLAG_PAYLOAD | FLAG_AUTO_LEAVE;

  static final int FIELD_GROUP = 0;
  static final int FIELD_TO = 1;
  static final int FIELD_TERM = 2;
  static final int FIELD_LOG_TERM = 3;
  static final int FIELD_INDEX = 4;
  static final int FIELD_COMMIT = 5;
  static final int FIELD_REJECT_HINT = 6;
  static final int FIELD_CONTEXT = 7;
  static final int FIELD_COUNT = 8;

  /** index + term + type + data length. */
  static final int ENTRY_FIXED_LENGTH = 8 + 8 + 1 + 4;

  /** index + term + four array counts. */
  static final int SNAPSHOT_FIXED_LENGTH = 8 + 8 + 4 * 4;

  private WireFormat() {}
}
