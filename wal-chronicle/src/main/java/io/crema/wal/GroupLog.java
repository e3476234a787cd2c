package io.crema.wal;

import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogCompactedException;
import io.crema.raft.LogReader;
import io.crema.raft.LogStoreException;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * One group's view of the shared log: snapshot, hard state, the live index range, a term per index
 * (run-length encoded, so {@link #term} never reads the disk), the queue position of every ENTRIES
 * record still live, and a bounded cache of recent entries. Reads below the cache go to the queue.
 */
final class GroupLog implements LogReader {
  private final long groupId;
  private final QueueEntryReader reader;
  private final RunIndex terms = new RunIndex();
  private final RunIndex records = new RunIndex();
  private final EntryCache cache;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  private HardState hardState = HardState.EMPTY;
  private long first = 1;
  private long last;
  private long termBefore;

  /** During recovery: entries below this index were never seen (0 = none missing). */
  private long missingBelow;

  GroupLog(long groupId, QueueEntryReader reader, int cacheMaxEntries, long cacheMaxBytes) {
    this.groupId = groupId;
    this.reader = reader;
    this.cache = new EntryCache(cacheMaxEntries, cacheMaxBytes);
  }

  long groupId() {
    return groupId;
  }

  @Override
  public long firstIndex() {
    return first;
  }

  @Override
  public long lastIndex() {
    return last;
  }

  @Override
  public long term(long index) {
    if (index < first - 1) {
      throw new LogCompactedException(index, first);
    }
    if (index > last) {
      throw new IllegalArgumentException(
          "term of index " + index + " asked, but the last index is " + last);
    }
    if (index == first - 1) {
      return index == snapshot.index() ? snapshot.term() : termBefore;
    }
    return terms.valueOf(index);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Served from the cache of recent entries where possible, else read back from the queue (and
   * CRC-checked again).
   *
   * @throws LogStoreException if a record read back from the queue is missing or damaged
   */
  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < first) {
      throw new LogCompactedException(lo, first);
    }
    if (hi > last + 1 || lo > hi) {
      throw new IllegalArgumentException(
          "entries ["
              + lo
              + ", "
              + hi
              + ") asked, but the log holds ["
              + first
              + ", "
              + (last + 1)
              + ")");
    }
    // Sized for the whole range (within what the byte budget can hold): growing the list as it
    // fills copied its array several times per batch of committed entries.
    long fit = maxBytes / Entry.OVERHEAD_BYTES + 1;
    List<Entry> out = new ArrayList<>((int) Math.min(Math.min(hi - lo, fit), 1 << 16));
    long bytes = 0;
    long i = lo;
    while (i < hi) {
      if (cache.contains(i)) {
        Entry e = cache.get(i);
        bytes += e.sizeBytes();
        if (bytes > maxBytes && !out.isEmpty()) {
          break;
        }
        out.add(e);
        i++;
        continue;
      }
      int k = records.find(i);
      if (k < 0) {
        throw new LogStoreException(
            "group " + groupId + ": no WAL record holds entry " + i + " (index out of step)");
      }
      long recordEnd = k + 1 < records.endPosition() ? records.startAt(k + 1) : last + 1;
      long to = Math.min(hi, recordEnd);
      if (cache.first() > i) {
        to = Math.min(to, cache.first());
      }
      int before = out.size();
      bytes = reader.read(records.valueAt(k), groupId, i, to, maxBytes, bytes, out);
      i += out.size() - before;
      if (i < to) {
        break; // the byte budget ran out inside the record
      }
    }
    return out;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  long termBeforeFirst() {
    return first - 1 == snapshot.index() ? snapshot.term() : termBefore;
  }

  /** Queue index of the ENTRIES record holding the first live entry, or -1 if none is live. */
  long firstLiveRecord() {
    if (last < first || records.isEmpty()) {
      return -1;
    }
    int k = records.find(first);
    return k < 0 ? -1 : records.valueAt(k);
  }

  long missingBelow() {
    return missingBelow;
  }

  /** Whether the log holds the snapshot's index with the snapshot's term (keeps its entries). */
  boolean matches(SnapshotMeta meta) {
    return meta.index() >= first - 1 && meta.index() <= last && term(meta.index()) == meta.term();
  }

  /**
   * Makes the snapshot the latest. A snapshot of a prefix of this log ({@link #matches}) keeps the
   * entries (compaction drops them later); any other replaces the whole log. The choice is made
   * when writing and recorded, so that recovery never has to guess it from a partial log.
   */
  void installSnapshot(SnapshotMeta meta, boolean keepEntries) {
    if (keepEntries) {
      snapshot = meta;
      return;
    }
    snapshot = meta;
    first = meta.index() + 1;
    last = meta.index();
    termBefore = meta.term();
    terms.clear();
    records.clear();
    cache.reset(first);
    resolveMissing();
  }

  void hardState(HardState hs) {
    hardState = hs;
  }

  /** Logical truncation: entries at or above {@code index} are gone. */
  void truncateFrom(long index) {
    terms.truncateFrom(index);
    records.truncateFrom(index);
    cache.truncateFrom(index);
    last = Math.min(last, index - 1);
  }

  /** Replays a TRUNCATE record; returns why it is inconsistent, or null. */
  String replayTruncate(long from) {
    if (from > last) {
      return null; // the entries it dropped were in files deleted since
    }
    if (from >= first) {
      truncateFrom(from);
      return null;
    }
    if (missingBelow != 0) {
      first = from;
      last = from - 1;
      terms.clear();
      records.clear();
      cache.reset(from);
      missingBelow = from;
      return null;
    }
    return "truncation from " + from + " is below the first index " + first;
  }

  /** Records that the entries [firstIndex, firstIndex + count) are in the record at queueIndex. */
  void appendRecord(long firstIndex, int count, long queueIndex) {
    if (firstIndex > last + 1) {
      // only during recovery, when older files were deleted: the entries start later
      missingBelow = firstIndex;
      first = firstIndex;
      terms.clear();
      records.clear();
      cache.reset(firstIndex);
    }
    records.add(firstIndex, queueIndex);
    last = firstIndex + count - 1;
  }

  void addTerm(long index, long term) {
    terms.addIfChanged(index, term);
  }

  void cache(List<Entry> entries, int from, int to) {
    cache.append(entries, from, to);
  }

  /** Drops entries below {@code index}; {@code termBeforeIndex} is the term of index - 1. */
  void compact(long index, long termBeforeIndex) {
    if (index <= first) {
      return;
    }
    first = index;
    termBefore = termBeforeIndex;
    if (last < index - 1) {
      last = index - 1;
    }
    terms.dropBefore(index);
    records.dropBefore(index);
    cache.dropBefore(index);
    resolveMissing();
  }

  /** Applies a CHECKPOINT record; returns why it is inconsistent, or null. */
  String checkpoint(
      SnapshotMeta meta, HardState hs, long firstIndex, long termBeforeIndex, long lastIndex) {
    snapshot = meta;
    hardState = hs;
    if (last < firstIndex - 1) {
      last = firstIndex - 1;
      terms.clear();
      records.clear();
    }
    if (firstIndex > first) {
      compact(firstIndex, termBeforeIndex);
    } else if (firstIndex < first) {
      return "checkpoint says the log starts at " + firstIndex + " but it starts at " + first;
    }
    termBefore = termBeforeIndex;
    resolveMissing();
    if (last != lastIndex) {
      return "checkpoint says the last index is " + lastIndex + " but the records end at " + last;
    }
    return null;
  }

  private void resolveMissing() {
    if (missingBelow != 0 && first >= missingBelow) {
      missingBelow = 0;
    }
  }
}
