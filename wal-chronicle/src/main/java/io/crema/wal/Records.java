package io.crema.wal;

/**
 * The record format, one record per Chronicle document. Every record is
 *
 * <pre>
 *   version u8 (=1) | kind u8 | group i64 | body ... | crc32c u32 (over all bytes before it)
 * </pre>
 *
 * in little-endian order. Bodies by kind:
 *
 * <ul>
 *   <li>ENTRIES: firstIndex i64, count i32, then per entry: term i64, type u8, length i32, payload;
 *       entry i has Raft index firstIndex + i. Follows the group's last index (a TRUNCATE record
 *       comes first when it does not).
 *   <li>HARD_STATE: term i64, vote i64, commit i64.
 *   <li>SNAPSHOT: index i64, term i64, conf state, keepEntries u8; makes the snapshot the latest;
 *       keepEntries = 0 also drops every entry (the snapshot replaced the log), 1 keeps them (a
 *       snapshot of a prefix of the log).
 *   <li>TRUNCATE: fromIndex i64; logical suffix truncation (entries &gt;= fromIndex are gone).
 *   <li>COMPACT: index i64, termBefore i64; entries below index are gone.
 *   <li>REMOVE_GROUP: no body.
 *   <li>CHECKPOINT: snapshot (index, term, conf state), hard state, firstIndex, termBefore,
 *       lastIndex; the whole non-entry state of a group, rewritten before old files are deleted.
 *   <li>TAIL_CUT: firstQueueIndex i64, lastQueueIndex i64, group -1; the queue documents in that
 *       range were a torn or corrupt tail that recovery cut off.
 * </ul>
 *
 * A conf state is autoLeave u8, then voters, learners, votersOutgoing, learnersNext, each as count
 * i32 and that many i64 ids.
 */
final class Records {
  static final byte VERSION = 1;
  static final int HEADER_BYTES = 10;
  static final int CRC_BYTES = 4;
  static final int ENTRY_OVERHEAD_BYTES = 13;
  static final long NO_GROUP = -1;

  static final byte ENTRIES = 1;
  static final byte HARD_STATE = 2;
  static final byte SNAPSHOT = 3;
  static final byte TRUNCATE = 4;
  static final byte COMPACT = 5;
  static final byte REMOVE_GROUP = 6;
  static final byte CHECKPOINT = 7;
  static final byte TAIL_CUT = 8;

  /** Largest ENTRIES record body before a group write is split into several records. */
  static final int MAX_ENTRIES_RECORD_BYTES = 1 << 20;

  private Records() {}

  static String kindName(int kind) {
    switch (kind) {
      case ENTRIES:
        return "ENTRIES";
      case HARD_STATE:
        return "HARD_STATE";
      case SNAPSHOT:
        return "SNAPSHOT";
      case TRUNCATE:
        return "TRUNCATE";
      case COMPACT:
        return "COMPACT";
      case REMOVE_GROUP:
        return "REMOVE_GROUP";
      case CHECKPOINT:
        return "CHECKPOINT";
      case TAIL_CUT:
        return "TAIL_CUT";
      default:
        return "UNKNOWN(" + kind + ")";
    }
  }
}
