package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Seeded random operations (appends with overwrites, snapshots of both kinds, hard states,
 * compaction, removal, syncs, restarts) against a store and a plain reference model, comparing
 * after every step. Every restart follows a sync, so the model is exact, except that the contract
 * lets a restart undo a compaction (compaction may happen later, never earlier).
 */
final class LogStoreModelCheck {
  private static final int GROUPS = 5;

  /** The reference: one group's log. Keeps compacted entries so a restart may bring them back. */
  private static final class Model {
    SnapshotMeta snapshot = SnapshotMeta.EMPTY;
    HardState hardState = HardState.EMPTY;
    long base = 1; // index of entries.get(0)
    long baseTerm; // term of base - 1
    long first = 1; // compaction point, >= base
    final List<Entry> entries = new ArrayList<>();

    long last() {
      return base + entries.size() - 1;
    }

    long lastTerm() {
      return entries.isEmpty() ? baseTerm : entries.get(entries.size() - 1).term();
    }

    long term(long index) {
      return index == base - 1 ? baseTerm : entries.get((int) (index - base)).term();
    }

    List<Entry> live(long from) {
      return entries.subList((int) (from - base), entries.size());
    }
  }

  private final SplittableRandom random;
  private final UnaryOperator<LogStore> restart;
  private final Map<Long, Model> models = new TreeMap<>();

  LogStoreModelCheck(long seed, UnaryOperator<LogStore> restart) {
    this.random = new SplittableRandom(seed);
    this.restart = restart;
  }

  LogStore run(LogStore store, int steps) {
    LogStore s = store;
    for (int step = 0; step < steps; step++) {
      long g = random.nextInt(GROUPS);
      int op = random.nextInt(100);
      if (op < 50) {
        append(s, g);
      } else if (op < 58) {
        installSnapshot(s, g);
      } else if (op < 68) {
        HardState hs =
            new HardState(random.nextInt(1, 9), random.nextInt(0, 4), random.nextInt(50));
        s.append(new LogBatch().add(g, null, List.of(), hs));
        model(g).hardState = hs;
      } else if (op < 75) {
        compact(s, g);
      } else if (op < 78) {
        s.removeGroup(g);
        models.remove(g);
      } else if (op < 86) {
        s.sync();
      } else if (op < 91) {
        s.sync();
        s = restart.apply(s);
        afterRestart(s, step);
      } else if (models.containsKey(g)) {
        long gapAt = model(g).last() + 2;
        LogStore target = s;
        assertThrows(
            IllegalArgumentException.class,
            () -> target.append(new LogBatch().add(g, null, entries(g, gapAt, 1), null)));
      }
      verify(s, step);
    }
    return s;
  }

  private Model model(long g) {
    return models.computeIfAbsent(g, k -> new Model());
  }

  private List<Entry> entries(long g, long from, long term) {
    int n = random.nextInt(1, 9);
    return LogStoreContractTest.entries(g, from, from + n - 1, term);
  }

  private void append(LogStore s, long g) {
    Model m = model(g);
    long from = m.last() + 1;
    long term = Math.max(1, m.lastTerm());
    long lowest = Math.max(m.first, m.snapshot.index() + 1); // snapshotted entries are committed
    if (m.last() >= lowest && random.nextInt(4) == 0) {
      from = lowest + random.nextLong(m.last() - lowest + 1);
      term++;
    }
    List<Entry> es = entries(g, from, term);
    s.append(new LogBatch().add(g, null, es, null));
    m.entries.subList((int) (from - m.base), m.entries.size()).clear();
    m.entries.addAll(es);
  }

  private void compact(LogStore s, long g) {
    Model m = models.get(g);
    if (m == null) {
      return;
    }
    long max = Math.min(m.snapshot.index() + 1, m.last() + 1);
    long index = max <= m.first ? m.first : m.first + random.nextLong(max - m.first + 1);
    s.compact(g, index);
    m.first = index;
  }

  private void installSnapshot(LogStore s, long g) {
    Model m = model(g);
    ConfState conf = ConfState.ofVoters(1, 2, random.nextInt(3, 9));
    long lo = Math.max(m.snapshot.index(), m.first - 1);
    if (m.last() > lo && random.nextBoolean()) {
      // a snapshot of a prefix of the log: the entries stay
      long index = lo + 1 + random.nextLong(m.last() - lo);
      SnapshotMeta meta = new SnapshotMeta(index, m.term(index), conf);
      s.append(new LogBatch().add(g, meta, List.of(), null));
      m.snapshot = meta;
      return;
    }
    long index = Math.max(1, m.snapshot.index()) + random.nextInt(0, (int) (m.last() + 5));
    long term = m.lastTerm() + 1; // matches no entry: the snapshot replaces the log
    SnapshotMeta meta = new SnapshotMeta(index, term, conf);
    List<Entry> after = random.nextBoolean() ? entries(g, index + 1, term) : List.of();
    s.append(new LogBatch().add(g, meta, after, null));
    m.snapshot = meta;
    m.base = index + 1;
    m.first = index + 1;
    m.baseTerm = term;
    m.entries.clear();
    m.entries.addAll(after);
  }

  private void afterRestart(LogStore s, int step) {
    assertEquals(models.keySet(), s.groups(), "step " + step + ": groups after restart");
    for (Map.Entry<Long, Model> e : models.entrySet()) {
      Model m = e.getValue();
      long first = s.group(e.getKey()).firstIndex();
      assertTrue(
          first >= m.base && first <= m.first,
          "step " + step + ", group " + e.getKey() + ": first index " + first + " after restart");
      m.first = first; // compaction may be redone later
    }
  }

  private void verify(LogStore s, int step) {
    for (Map.Entry<Long, Model> e : models.entrySet()) {
      long g = e.getKey();
      Model m = e.getValue();
      LogReader r = s.group(g);
      String at = "step " + step + ", group " + g;
      assertEquals(m.first, r.firstIndex(), at + ": first index");
      assertEquals(m.last(), r.lastIndex(), at + ": last index");
      assertEquals(m.snapshot, r.snapshot(), at + ": snapshot");
      assertEquals(m.hardState, r.hardState(), at + ": hard state");
      assertEquals(m.term(m.first - 1), r.term(m.first - 1), at + ": term before first");
      assertEquals(m.live(m.first), r.entries(m.first, m.last() + 1, Long.MAX_VALUE), at);
      if (m.last() >= m.first) {
        long x = m.first + random.nextLong(m.last() - m.first + 1);
        assertEquals(m.term(x), r.term(x), at + ": term of " + x);
        assertEquals(m.live(x), r.entries(x, m.last() + 1, Long.MAX_VALUE), at + ": from " + x);
      }
    }
  }
}
