package io.crema.wal;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.SnapshotMeta;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes one record into a reusable heap buffer. Layout (little endian), see {@link Records}:
 * version u8, kind u8, group i64, body, CRC32C u32 over everything before it.
 */
final class RecordWriter {
  private byte[] buf = new byte[64 * 1024];
  private ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();

  byte[] buffer() {
    return buf;
  }

  private void begin(byte kind, long group, int bodyBytes) {
    int need = Records.HEADER_BYTES + bodyBytes + Records.CRC_BYTES;
    if (need > buf.length) {
      buf = new byte[Math.max(need, buf.length * 2)];
      bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }
    bb.clear();
    bb.put(Records.VERSION).put(kind).putLong(group);
  }

  /** Appends the CRC and returns the record length. */
  private int finish() {
    int len = bb.position();
    crc.reset();
    crc.update(buf, 0, len);
    bb.putInt((int) crc.getValue());
    return len + Records.CRC_BYTES;
  }

  /** Encodes entries [from, to) of a list; returns the record length. */
  int entries(long group, List<Entry> entries, int from, int to) {
    int body = 12;
    for (int i = from; i < to; i++) {
      body += Records.ENTRY_OVERHEAD_BYTES + entries.get(i).data().length;
    }
    begin(Records.ENTRIES, group, body);
    bb.putLong(entries.get(from).index()).putInt(to - from);
    for (int i = from; i < to; i++) {
      Entry e = entries.get(i);
      bb.putLong(e.term()).put((byte) e.type().ordinal()).putInt(e.data().length).put(e.data());
    }
    return finish();
  }

  int hardState(long group, HardState hs) {
    begin(Records.HARD_STATE, group, 24);
    bb.putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
    return finish();
  }

  int snapshot(long group, SnapshotMeta meta, boolean keepEntries) {
    begin(Records.SNAPSHOT, group, 17 + confStateBytes(meta.confState()));
    putSnapshot(meta);
    bb.put((byte) (keepEntries ? 1 : 0));
    return finish();
  }

  int truncate(long group, long fromIndex) {
    begin(Records.TRUNCATE, group, 8);
    bb.putLong(fromIndex);
    return finish();
  }

  int compact(long group, long index, long termBefore) {
    begin(Records.COMPACT, group, 16);
    bb.putLong(index).putLong(termBefore);
    return finish();
  }

  int removeGroup(long group) {
    begin(Records.REMOVE_GROUP, group, 0);
    return finish();
  }

  int checkpoint(
      long group,
      SnapshotMeta meta,
      HardState hs,
      long firstIndex,
      long termBefore,
      long lastIndex) {
    begin(Records.CHECKPOINT, group, 16 + confStateBytes(meta.confState()) + 24 + 24);
    putSnapshot(meta);
    bb.putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
    bb.putLong(firstIndex).putLong(termBefore).putLong(lastIndex);
    return finish();
  }

  int tailCut(long firstQueueIndex, long lastQueueIndex) {
    begin(Records.TAIL_CUT, Records.NO_GROUP, 16);
    bb.putLong(firstQueueIndex).putLong(lastQueueIndex);
    return finish();
  }

  private void putSnapshot(SnapshotMeta meta) {
    bb.putLong(meta.index()).putLong(meta.term());
    ConfState c = meta.confState();
    bb.put((byte) (c.autoLeave() ? 1 : 0));
    putIds(c.voters());
    putIds(c.learners());
    putIds(c.votersOutgoing());
    putIds(c.learnersNext());
  }

  private void putIds(long[] ids) {
    bb.putInt(ids.length);
    for (long id : ids) {
      bb.putLong(id);
    }
  }

  private static int confStateBytes(ConfState c) {
    int ids =
        c.voters().length
            + c.learners().length
            + c.votersOutgoing().length
            + c.learnersNext().length;
    return 1 + 4 * 4 + ids * 8;
  }
}
