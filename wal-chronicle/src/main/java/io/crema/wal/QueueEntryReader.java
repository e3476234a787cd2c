package io.crema.wal;

import io.crema.raft.Entry;
import io.crema.raft.LogStoreException;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries back from the queue for reads the cache cannot serve: moves a tailer to the
 * record's queue index, re-verifies its CRC and decodes the wanted range. A record that no longer
 * verifies is reported, never returned.
 */
final class QueueEntryReader {
  private final ExcerptTailer tailer;
  private final RecordReader record = new RecordReader();

  QueueEntryReader(ExcerptTailer tailer) {
    this.tailer = tailer;
  }

  /**
   * Adds entries [lo, hi) of the ENTRIES record at queueIndex to out, stopping before the entry
   * that would take the byte count past maxBytes (unless out is empty).
   *
   * @return the byte count including the entries added
   * @throws LogStoreException if the record is missing, corrupt or not the expected one
   */
  long read(
      long queueIndex, long group, long lo, long hi, long maxBytes, long bytes, List<Entry> out) {
    if (!tailer.moveToIndex(queueIndex)) {
      throw new LogStoreException(
          "WAL record at queue index " + Long.toHexString(queueIndex) + " is missing");
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        throw new LogStoreException(
            "WAL record at queue index " + Long.toHexString(queueIndex) + " cannot be read");
      }
      String bad = record.load(dc.wire().bytes());
      if (bad != null) {
        throw new LogStoreException(
            "WAL record at queue index "
                + Long.toHexString(queueIndex)
                + " in "
                + tailer.currentFile()
                + " went bad after recovery: "
                + bad);
      }
      return decode(queueIndex, group, lo, hi, maxBytes, bytes, out);
    } catch (IllegalStateException e) {
      throw new LogStoreException("WAL record at queue index " + Long.toHexString(queueIndex), e);
    }
  }

  private long decode(
      long queueIndex, long group, long lo, long hi, long maxBytes, long bytes, List<Entry> out) {
    long firstIndex = record.getLong();
    int count = record.getInt();
    if (record.kind() != Records.ENTRIES
        || record.group() != group
        || firstIndex > lo
        || firstIndex + count < hi) {
      throw new LogStoreException(
          "WAL record at queue index "
              + Long.toHexString(queueIndex)
              + " is not the ENTRIES record of group "
              + group
              + " holding ["
              + lo
              + ", "
              + hi
              + ")");
    }
    long total = bytes;
    for (long index = firstIndex; index < hi; index++) {
      long term = record.entryTerm();
      if (index < lo) {
        record.skipEntry();
        continue;
      }
      Entry e = record.entry(index, term);
      total += e.sizeBytes();
      if (total > maxBytes && !out.isEmpty()) {
        break;
      }
      out.add(e);
    }
    return total;
  }
}
