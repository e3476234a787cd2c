package io.crema.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The unstable log against a plain list model under random appends, truncations, persistence and
 * snapshots; every list it handed out (entries to persist, slices to send) must still hold what it
 * held then, as they are views of its array and are used after the log has moved on.
 */
class UnstableLogTest {
  private static final byte[] DATA = new byte[0];

  private record HandedOut(List<Entry> list, List<Entry> contents, String when) {}

  @Test
  void matchesAListModelAndHandedOutListsNeverChange() {
    long seed = Long.getLong("unstable.seed", 20261122L);
    for (int run = 0; run < 200; run++) {
      check(seed + run);
    }
  }

  private static void check(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    UnstableLog log = new UnstableLog(1);
    List<Entry> model = new ArrayList<>(); // entries [offset, ...)
    long offset = 1;
    long inProgress = 1;
    long term = 1;
    List<HandedOut> handedOut = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      String where = "seed " + seed + " step " + step;
      int op = random.nextInt(10);
      long end = offset + model.size();
      if (op < 4) {
        // Append at the end, or (a new leader's entries) from a random earlier index.
        long from = end;
        if (op == 3 && end > 1) {
          from = Math.max(1, end - 1 - random.nextInt((int) Math.min(end - 1, 20)));
          term++;
        }
        List<Entry> es = new ArrayList<>();
        int n = 1 + random.nextInt(random.nextInt(4) == 0 ? 300 : 8);
        for (int i = 0; i < n; i++) {
          es.add(Entry.normal(from + i, term, DATA));
        }
        log.truncateAndAppend(es);
        if (from <= offset) {
          model.clear();
          offset = from;
          inProgress = offset;
        } else {
          model.subList((int) (from - offset), model.size()).clear();
          inProgress = Math.min(inProgress, from);
        }
        model.addAll(es);
      } else if (op < 6) {
        List<Entry> next = log.nextEntries();
        int from = (int) (inProgress - offset);
        assertEquals(model.subList(Math.min(from, model.size()), model.size()), next, where);
        handedOut.add(new HandedOut(next, List.copyOf(next), where));
        log.acceptInProgress();
        if (!model.isEmpty()) {
          inProgress = offset + model.size();
        }
      } else if (op < 8) {
        if (!model.isEmpty()) {
          int k = random.nextInt(model.size());
          Entry e = model.get(k);
          boolean stale = random.nextInt(5) == 0;
          log.stableTo(e.index(), stale ? e.term() + 1 : e.term());
          if (!stale) {
            model.subList(0, k + 1).clear();
            offset = e.index() + 1;
            inProgress = Math.max(inProgress, offset);
          }
        }
      } else if (op == 8) {
        if (!model.isEmpty()) {
          int lo = random.nextInt(model.size());
          int hi = lo + random.nextInt(model.size() - lo + 1);
          List<Entry> slice = log.slice(offset + lo, offset + hi);
          assertEquals(model.subList(lo, hi), slice, where);
          handedOut.add(new HandedOut(slice, List.copyOf(slice), where));
          if (hi > lo) {
            List<Entry> sub = slice.subList(1, slice.size());
            assertEquals(model.subList(lo + 1, hi), sub, where);
            handedOut.add(new HandedOut(sub, List.copyOf(sub), where));
          }
        }
      } else if (random.nextInt(4) == 0) {
        long at = end + random.nextInt(50);
        log.restore(new SnapshotMeta(at, term, ConfState.ofVoters(1, 2, 3)));
        log.stableSnapshotTo(at);
        model.clear();
        offset = at + 1;
        inProgress = offset;
      }
      assertEquals(offset, log.offset(), where);
      assertEquals(model.isEmpty() ? -1 : offset + model.size() - 1, maybeLast(log), where);
      for (int i = 0; i < model.size(); i++) {
        assertEquals(model.get(i).term(), log.maybeTerm(offset + i), where);
      }
      assertEquals(inProgress - offset < model.size(), log.hasNextEntries(), where);
      for (HandedOut h : handedOut) {
        assertEquals(h.contents(), h.list(), "handed out at " + h.when() + ", checked at " + where);
      }
    }
  }

  private static long maybeLast(UnstableLog log) {
    long last = log.maybeLastIndex();
    return log.hasSnapshotPending() ? -1 : last;
  }

  @Test
  void slicesAreUnmodifiableAndCheckTheirBounds() {
    UnstableLog log = new UnstableLog(1);
    log.truncateAndAppend(List.of(Entry.normal(1, 1, DATA), Entry.normal(2, 1, DATA)));
    List<Entry> s = log.slice(1, 3);
    assertThrows(UnsupportedOperationException.class, () -> s.set(0, Entry.normal(1, 2, DATA)));
    assertThrows(UnsupportedOperationException.class, () -> s.add(Entry.normal(3, 1, DATA)));
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
    assertThrows(IndexOutOfBoundsException.class, () -> s.subList(1, 3));
  }
}
