package io.crema.raft.core;

import io.crema.raft.Entry;
import io.crema.raft.LogCompactedException;
import io.crema.raft.LogReader;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's log as the algorithm sees it: the durable part (read through {@link LogReader}), the
 * unstable tail, and the commit, applying and applied positions.
 *
 * <p>Invariant: applied <= applying <= committed <= lastIndex.
 */
final class RaftLog {
  private final LogReader storage;
  private final UnstableLog unstable;
  private final long maxApplyBytes;
  private long committed;

  /** Highest index handed out for applying. */
  private long applying;

  /** Highest index the host reported applied. */
  private long applied;

  RaftLog(LogReader storage, long maxApplyBytes) {
    this.storage = storage;
    this.maxApplyBytes = maxApplyBytes;
    long first = storage.firstIndex();
    long last = storage.lastIndex();
    this.unstable = new UnstableLog(last + 1);
    this.committed = first - 1;
    this.applying = first - 1;
    this.applied = first - 1;
  }

  UnstableLog unstable() {
    return unstable;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  long applying() {
    return applying;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i >= 0 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i >= 0 ? i : storage.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /**
   * Term of an entry; 0 when the index is outside [firstIndex - 1, lastIndex] (compacted or beyond
   * the end), which never matches a real term.
   */
  long term(long index) {
    long t = unstable.maybeTerm(index);
    if (t >= 0) {
      return t;
    }
    long dummy = firstIndex() - 1;
    if (index < dummy || index > lastIndex()) {
      return 0;
    }
    try {
      return storage.term(index);
    } catch (LogCompactedException e) {
      return 0;
    }
  }

  boolean matchTerm(long index, long term) {
    return term(index) == term && (term != 0 || index == 0);
  }

  /** Raft paper 5.4.1: whether (lastIndex, lastTerm) is at least as up to date as ours. */
  boolean isUpToDate(long lastIdx, long lastTrm) {
    long ourTerm = lastTerm();
    return lastTrm > ourTerm || (lastTrm == ourTerm && lastIdx >= lastIndex());
  }

  /**
   * Follower side of an append: if our log matches (index, logTerm), appends the new entries
   * (truncating from the first conflict) and moves commit. Returns the last index of the appended
   * range, or -1 if the logs do not match at (index, logTerm).
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException(
            "entry " + conflict + " conflicts with a committed entry (commit " + committed + ")");
      }
      append(ents.subList((int) (conflict - index - 1), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** First index whose term differs from ours, or the first new index past our end, or 0. */
  long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * The largest index <= {@code index} whose term is <= {@code term}: where a log with the given
   * (index, term) entry may agree with ours. Used to skip whole terms when backtracking.
   */
  long findConflictByTerm(long index, long term) {
    long first = firstIndex();
    for (long i = Math.min(index, lastIndex()); i >= first - 1; i--) {
      long t = term(i);
      if (t <= term) {
        return i;
      }
    }
    return first - 1;
  }

  /** Leader or follower append to the unstable tail; returns the new last index. */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).index() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "append after "
              + after
              + " would overwrite committed entries (commit "
              + committed
              + ")");
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  void commitTo(long index) {
    if (index > committed) {
      if (index > lastIndex()) {
        throw new IllegalStateException(
            "commit " + index + " is out of range (last index " + lastIndex() + ")");
      }
      committed = index;
    }
  }

  /** Commits index if its entry is from {@code term} (Raft paper 5.4.2). */
  boolean maybeCommit(long index, long term) {
    if (index > committed && term(index) == term) {
      commitTo(index);
      return true;
    }
    return false;
  }

  /** Highest index known durable locally. */
  long stableLastIndex() {
    return unstable.offset() - 1;
  }

  /** Whether there are durable committed entries not yet handed out for applying. */
  boolean hasNextCommitted() {
    return Math.min(committed, stableLastIndex()) > applying && unstable.snapshot() == null;
  }

  /** Committed, durable entries not yet handed out, within the per-Ready byte budget. */
  List<Entry> nextCommitted() {
    if (!hasNextCommitted()) {
      return List.of();
    }
    long hi = Math.min(committed, stableLastIndex()) + 1;
    return slice(applying + 1, hi, maxApplyBytes);
  }

  void acceptApplying(long index) {
    if (index > applying) {
      applying = index;
    }
  }

  void appliedTo(long index) {
    if (index > committed || index < applied) {
      throw new IllegalStateException(
          "applied index " + index + " out of range [" + applied + ", " + committed + "]");
    }
    applied = index;
    applying = Math.max(applying, index);
  }

  /**
   * Entries [lo, hi) with at most maxBytes (at least one entry), from storage and the unstable
   * tail.
   *
   * @throws LogCompactedException if lo was compacted
   */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo >= hi) {
      return List.of();
    }
    long first = firstIndex();
    if (lo < first) {
      throw new LogCompactedException(lo, first);
    }
    if (hi > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "slice [" + lo + ", " + hi + ") past the last index " + lastIndex());
    }
    long uOff = unstable.offset();
    if (lo >= uOff) {
      return limit(unstable.slice(lo, hi), maxBytes);
    }
    List<Entry> stored = storage.entries(lo, Math.min(hi, uOff), maxBytes);
    if (hi <= uOff || stored.size() < Math.min(hi, uOff) - lo) {
      return stored;
    }
    long used = 0;
    for (Entry e : stored) {
      used += e.sizeBytes();
    }
    List<Entry> rest = unstable.slice(uOff, hi);
    ArrayList<Entry> out = new ArrayList<>(stored.size() + rest.size());
    out.addAll(stored);
    for (Entry e : rest) {
      used += e.sizeBytes();
      if (used > maxBytes) {
        break;
      }
      out.add(e);
    }
    return java.util.Collections.unmodifiableList(out);
  }

  /** The longest prefix of a slice of the unstable log within maxBytes (at least one entry). */
  private static List<Entry> limit(List<Entry> view, long maxBytes) {
    long used = 0;
    int n = 0;
    for (Entry e : view) {
      used += e.sizeBytes();
      if (used > maxBytes && n > 0) {
        break;
      }
      n++;
    }
    return n == view.size() ? view : view.subList(0, n);
  }

  /** The snapshot to send a peer that needs compacted entries. */
  SnapshotMeta snapshot() {
    SnapshotMeta s = unstable.snapshot();
    return s != null ? s : storage.snapshot();
  }

  /** Replaces the log with a snapshot received from the leader. */
  void restore(SnapshotMeta meta) {
    committed = meta.index();
    unstable.restore(meta);
  }

  /** After restore and persistence: everything up to the snapshot counts as applied. */
  void snapshotApplied(long index) {
    if (index > applied) {
      applied = index;
    }
    if (index > applying) {
      applying = index;
    }
  }

  @Override
  public String toString() {
    return "committed="
        + committed
        + " applied="
        + applied
        + " applying="
        + applying
        + " first="
        + firstIndex()
        + " last="
        + lastIndex()
        + " unstable.offset="
        + unstable.offset();
  }
}
