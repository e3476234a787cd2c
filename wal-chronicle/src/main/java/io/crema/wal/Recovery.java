package io.crema.wal;

import io.crema.raft.HardState;
import io.crema.raft.SnapshotMeta;
import java.io.File;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.LongFunction;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every group's state by scanning the whole queue once. Records that fail their check are
 * collected; if a valid record follows them (other than the TAIL_CUT that excuses them) the log is
 * corrupt before its tail and opening fails; if nothing valid follows, they are a torn tail, which
 * the store cuts by writing a TAIL_CUT record.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final SingleChronicleQueue queue;
  private final Map<Long, GroupLog> groups;
  private final LongFunction<GroupLog> newGroup;
  private final NavigableMap<Integer, File> cycleFiles;
  private final RecordReader record = new RecordReader();
  private final RollCycle rollCycle;

  private long records;
  private long entries;
  private long lastReadIndex = -1;
  private long lastGoodPosition = -1;
  private File currentFile;
  private int currentCycle = Integer.MIN_VALUE;

  // the pending run of bad records
  private long badFirst = -1;
  private long badLast = -1;
  private long badCount;
  private File badFile;
  private long badPosition;
  private String badWhy;

  Recovery(
      SingleChronicleQueue queue,
      Map<Long, GroupLog> groups,
      LongFunction<GroupLog> newGroup,
      NavigableMap<Integer, File> cycleFiles) {
    this.queue = queue;
    this.groups = groups;
    this.newGroup = newGroup;
    this.cycleFiles = cycleFiles;
    this.rollCycle = queue.rollCycle();
  }

  /** A torn tail to cut: queue index range and count; null if the tail was clean. */
  record Cut(long firstQueueIndex, long lastQueueIndex, long count) {}

  /** Scans the queue. Returns the tail to cut, or null. */
  Cut run() {
    try (ExcerptTailer tailer = queue.createTailer()) {
      tailer.singleThreadedCheckDisabled(true);
      tailer.toStart();
      while (readOne(tailer)) {
        // keep scanning
      }
    }
    checkReachedEnd();
    for (GroupLog g : groups.values()) {
      if (g.missingBelow() != 0) {
        throw new WalCorruptionException(
            "group "
                + g.groupId()
                + " has no records for entries below "
                + g.missingBelow()
                + " and no snapshot or checkpoint covering them (a queue file is missing?)",
            currentFile,
            -1);
      }
    }
    if (badFirst < 0) {
      return null;
    }
    LOG.warn(
        "WAL tail is torn or corrupt: cutting {} record(s) from queue index {} ({} position {}): {}",
        badCount,
        Long.toHexString(badFirst),
        badFile,
        badPosition,
        badWhy);
    return new Cut(badFirst, badLast, badCount);
  }

  long records() {
    return records;
  }

  long entries() {
    return entries;
  }

  private boolean readOne(ExcerptTailer tailer) {
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return false;
      }
      long queueIndex = dc.index();
      noteFile(tailer, queueIndex);
      Bytes<?> bytes = dc.wire().bytes();
      long position = bytes.readPosition();
      lastReadIndex = queueIndex;
      String bad = record.load(bytes);
      if (bad != null) {
        noteBad(queueIndex, position, bad);
        return true;
      }
      if (badFirst >= 0) {
        excuseOrFail(queueIndex, position);
        return true;
      }
      lastGoodPosition = position;
      try {
        apply(queueIndex);
      } catch (IllegalStateException e) {
        throw new WalCorruptionException(
            "WAL record at queue index " + Long.toHexString(queueIndex) + " is inconsistent",
            currentFile,
            position,
            e);
      }
      records++;
      return true;
    } catch (WalCorruptionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new WalCorruptionException(
          "Chronicle cannot read the queue after the record at position " + lastGoodPosition,
          currentFile,
          lastGoodPosition,
          e);
    }
  }

  private void noteFile(ExcerptTailer tailer, long queueIndex) {
    int cycle = rollCycle.toCycle(queueIndex);
    if (cycle == currentCycle) {
      return;
    }
    currentCycle = cycle;
    if (!cycleFiles.containsKey(cycle)) {
      cycleFiles.put(cycle, tailer.currentFile());
    }
    currentFile = cycleFiles.get(cycle);
  }

  private void noteBad(long queueIndex, long position, String why) {
    if (badFirst < 0) {
      badFirst = queueIndex;
      badFile = currentFile;
      badPosition = position;
      badWhy = why;
      badCount = 0;
    }
    badLast = queueIndex;
    badCount++;
  }

  private void excuseOrFail(long queueIndex, long position) {
    if (record.kind() == Records.TAIL_CUT) {
      long from = record.getLong();
      long to = record.getLong();
      if (from <= badFirst && to >= badLast) {
        LOG.info(
            "skipping {} record(s) of a tail cut off by an earlier recovery ({} position {})",
            badCount,
            badFile,
            badPosition);
        badFirst = -1;
        badLast = -1;
        return;
      }
    }
    throw new WalCorruptionException(
        "WAL is corrupt before its tail: the record at queue index "
            + Long.toHexString(badFirst)
            + " is bad ("
            + badWhy
            + ") but a valid "
            + Records.kindName(record.kind())
            + " record follows at queue index "
            + Long.toHexString(queueIndex)
            + " ("
            + currentFile
            + " position "
            + position
            + ")",
        badFile,
        badPosition);
  }

  private void checkReachedEnd() {
    long last = queue.lastIndex();
    if (last >= 0 && last > lastReadIndex) {
      throw new WalCorruptionException(
          "Chronicle's index says the queue ends at index "
              + Long.toHexString(last)
              + " but reading stopped after index "
              + Long.toHexString(lastReadIndex)
              + ": a damaged document header hides the rest of the log",
          currentFile,
          lastGoodPosition);
    }
  }

  private void apply(long queueIndex) {
    long groupId = record.group();
    switch (record.kind()) {
      case Records.ENTRIES:
        applyEntries(group(groupId), queueIndex);
        break;
      case Records.HARD_STATE:
        group(groupId).hardState(record.hardState());
        break;
      case Records.SNAPSHOT:
        applySnapshot(group(groupId), record.snapshot(), record.getBoolean());
        break;
      case Records.TRUNCATE:
        check(group(groupId).replayTruncate(record.getLong()));
        break;
      case Records.COMPACT:
        group(groupId).compact(record.getLong(), record.getLong());
        break;
      case Records.REMOVE_GROUP:
        groups.remove(groupId);
        break;
      case Records.CHECKPOINT:
        SnapshotMeta meta = record.snapshot();
        HardState hs = record.hardState();
        check(
            group(groupId)
                .checkpoint(meta, hs, record.getLong(), record.getLong(), record.getLong()));
        break;
      case Records.TAIL_CUT:
        record.getLong();
        record.getLong();
        break;
      default:
        throw new IllegalStateException("unknown record kind " + record.kind());
    }
    record.expectEnd();
  }

  private void applyEntries(GroupLog g, long queueIndex) {
    long firstIndex = record.getLong();
    int count = record.getInt();
    if (count <= 0) {
      throw new IllegalStateException("ENTRIES record with " + count + " entries");
    }
    if (firstIndex <= g.lastIndex() || firstIndex < g.firstIndex()) {
      throw new IllegalStateException(
          "entries from "
              + firstIndex
              + " overlap the log of group "
              + g.groupId()
              + " ["
              + g.firstIndex()
              + ", "
              + g.lastIndex()
              + "] without a truncation record");
    }
    g.appendRecord(firstIndex, count, queueIndex);
    for (int i = 0; i < count; i++) {
      g.addTerm(firstIndex + i, record.entryTerm());
      record.skipEntry();
    }
    entries += count;
  }

  private static void applySnapshot(GroupLog g, SnapshotMeta meta, boolean keepEntries) {
    if (meta.index() < g.snapshot().index()) {
      throw new IllegalStateException(
          "snapshot " + meta.index() + " is older than the installed one " + g.snapshot().index());
    }
    g.installSnapshot(meta, keepEntries);
  }

  private static void check(String problem) {
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
  }

  private GroupLog group(long groupId) {
    if (groupId < 0) {
      throw new IllegalStateException("record for group " + groupId);
    }
    return groups.computeIfAbsent(groupId, newGroup::apply);
  }
}
