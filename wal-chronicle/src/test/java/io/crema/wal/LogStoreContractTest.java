package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogCompactedException;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LogStore} meets, run against each implementation by a subclass. Self
 * contained (JUnit 5 only) so it can move to raft-testkit. The randomised part is in {@link
 * LogStoreModelCheck}.
 */
public abstract class LogStoreContractTest {
  /** A fresh, empty store; called once per test. */
  protected abstract LogStore newStore();

  /**
   * Simulates a crash and restart: returns the store as a restarted process would see it (may be
   * the same object). Everything appended before the last {@code sync()} must be there.
   */
  protected abstract LogStore restart(LogStore store);

  /** Whether {@link #restart} drops what was appended after the last sync (power-loss model). */
  protected abstract boolean restartDropsUnsynced();

  protected LogStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- helpers (static so the model check can use them) ----

  /** A deterministic payload for (group, index, term): wrong data is detectable. */
  public static byte[] payload(long group, long index, long term) {
    int len = (int) ((group * 31 + index * 7 + term) % 40);
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (group * 131 + index * 17 + term * 5 + i);
    }
    return b;
  }

  public static List<Entry> entries(long group, long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(
          new Entry(
              i,
              term,
              i % 11 == 0 ? EntryType.CONF_CHANGE : EntryType.NORMAL,
              payload(group, i, term)));
    }
    return out;
  }

  protected void append(long group, List<Entry> es) {
    store.append(new LogBatch().add(group, null, es, null));
  }

  protected static SnapshotMeta snap(long index, long term) {
    return new SnapshotMeta(
        index,
        term,
        new ConfState(new long[] {1, 2, 3}, new long[] {4}, new long[0], new long[0], false));
  }

  protected static void assertEntries(List<Entry> expected, LogReader r) {
    if (expected.isEmpty()) {
      return;
    }
    long lo = expected.get(0).index();
    long hi = expected.get(expected.size() - 1).index() + 1;
    assertEquals(expected, r.entries(lo, hi, Long.MAX_VALUE));
    for (Entry e : expected) {
      assertEquals(e.term(), r.term(e.index()), "term of " + e.index());
    }
  }

  // ---- tests ----

  @Test
  void aNewGroupIsEmpty() {
    LogReader r = store.group(7);
    assertEquals(1, r.firstIndex());
    assertEquals(0, r.lastIndex());
    assertEquals(0, r.term(0));
    assertEquals(SnapshotMeta.EMPTY, r.snapshot());
    assertEquals(HardState.EMPTY, r.hardState());
    assertEquals(List.of(), r.entries(1, 1, 100));
  }

  @Test
  void appendedEntriesAreReadableBeforeSync() {
    append(1, entries(1, 1, 10, 1));
    LogReader r = store.group(1);
    assertEquals(1, r.firstIndex());
    assertEquals(10, r.lastIndex());
    assertEntries(entries(1, 1, 10, 1), r);
    assertEquals(entries(1, 4, 6, 1), r.entries(4, 7, Long.MAX_VALUE));
  }

  @Test
  void entriesStopAtMaxBytesButReturnAtLeastOne() {
    append(1, entries(1, 1, 10, 1));
    LogReader r = store.group(1);
    assertEquals(1, r.entries(1, 10, 0).size());
    List<Entry> all = entries(1, 1, 10, 1);
    long budget = all.get(0).sizeBytes() + all.get(1).sizeBytes() + all.get(2).sizeBytes();
    assertEquals(all.subList(0, 3), r.entries(1, 11, budget));
    assertEquals(all.subList(0, 3), r.entries(1, 11, budget + all.get(3).sizeBytes() - 1));
  }

  @Test
  void outOfRangeReadsAreRejected() {
    append(1, entries(1, 1, 5, 2));
    LogReader r = store.group(1);
    assertThrows(IllegalArgumentException.class, () -> r.term(6));
    assertThrows(IllegalArgumentException.class, () -> r.entries(1, 7, 100));
    assertThrows(IllegalArgumentException.class, () -> r.entries(4, 3, 100));
    assertThrows(LogCompactedException.class, () -> r.entries(0, 3, 100));
  }

  @Test
  void anAppendReplacesTheSuffixFromItsFirstIndex() {
    append(1, entries(1, 1, 10, 1));
    append(1, entries(1, 6, 8, 2));
    LogReader r = store.group(1);
    assertEquals(8, r.lastIndex());
    List<Entry> expected = new ArrayList<>(entries(1, 1, 5, 1));
    expected.addAll(entries(1, 6, 8, 2));
    assertEntries(expected, r);
  }

  @Test
  void gapsAndAppendsBelowTheFirstIndexAreRejectedAndChangeNothing() {
    append(1, entries(1, 1, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> append(1, entries(1, 7, 8, 1)));
    store.append(new LogBatch().add(1, snap(5, 9), List.of(), null)); // replaces the log
    assertThrows(IllegalArgumentException.class, () -> append(1, entries(1, 3, 8, 9)));
    LogReader r = store.group(1);
    assertEquals(6, r.firstIndex());
    assertEquals(5, r.lastIndex());
    assertEquals(9, r.term(5));
  }

  @Test
  void aSnapshotReplacesTheLogAndEntriesMayFollowInTheSameBatch() {
    append(1, entries(1, 1, 10, 1));
    store.append(
        new LogBatch().add(1, snap(20, 3), entries(1, 21, 25, 3), new HardState(3, 2, 22)));
    LogReader r = store.group(1);
    assertEquals(snap(20, 3), r.snapshot());
    assertEquals(21, r.firstIndex());
    assertEquals(25, r.lastIndex());
    assertEquals(3, r.term(20));
    assertThrows(LogCompactedException.class, () -> r.term(19));
    assertThrows(LogCompactedException.class, () -> r.entries(20, 22, 100));
    assertEntries(entries(1, 21, 25, 3), r);
    assertEquals(new HardState(3, 2, 22), r.hardState());
    assertThrows(
        IllegalArgumentException.class,
        () -> store.append(new LogBatch().add(1, snap(19, 3), List.of(), null)));
  }

  @Test
  void aSnapshotOfAPrefixKeepsTheEntriesUntilCompaction() {
    append(1, entries(1, 1, 20, 2));
    store.append(new LogBatch().add(1, snap(10, 2), List.of(), null));
    LogReader r = store.group(1);
    assertEquals(1, r.firstIndex());
    assertEquals(20, r.lastIndex());
    assertEquals(snap(10, 2), r.snapshot());
    assertThrows(IllegalArgumentException.class, () -> store.compact(1, 12));
    store.compact(1, 8);
    assertEquals(8, store.group(1).firstIndex());
    assertEquals(2, store.group(1).term(7));
    assertThrows(LogCompactedException.class, () -> store.group(1).term(6));
    assertThrows(LogCompactedException.class, () -> store.group(1).entries(7, 9, 100));
    store.compact(1, 11);
    store.sync();
    store = restart(store);
    r = store.group(1);
    assertTrue(r.firstIndex() <= 11, "compaction may be redone later, never earlier");
    assertEquals(20, r.lastIndex());
    assertEquals(2, r.term(10));
    assertEntries(entries(1, 11, 20, 2), r);
  }

  @Test
  void theTermBeforeACompactedFirstIndexSurvivesARestart() {
    append(1, entries(1, 1, 10, 2));
    store.append(new LogBatch().add(1, snap(5, 2), List.of(), null));
    store.sync();
    store.compact(1, 4);
    store.sync();
    store = restart(store);
    LogReader r = store.group(1);
    assertTrue(r.firstIndex() <= 4);
    assertEquals(2, r.term(r.firstIndex() - 1));
  }

  @Test
  void theHardStateIsKeptAndReplaced() {
    store.append(new LogBatch().add(1, null, List.of(), new HardState(1, 1, 0)));
    assertEquals(new HardState(1, 1, 0), store.group(1).hardState());
    store.append(new LogBatch().add(1, null, entries(1, 1, 3, 2), new HardState(2, 0, 3)));
    assertEquals(new HardState(2, 0, 3), store.group(1).hardState());
  }

  @Test
  void oneBatchCoversManyGroupsIndependently() {
    LogBatch b = new LogBatch();
    for (long g = 0; g < 20; g++) {
      b.add(g, null, entries(g, 1, g + 1, g + 1), new HardState(g + 1, 0, g));
    }
    store.append(b);
    store.sync();
    for (long g = 0; g < 20; g++) {
      LogReader r = store.group(g);
      assertEquals(g + 1, r.lastIndex());
      assertEntries(entries(g, 1, g + 1, g + 1), r);
      assertEquals(new HardState(g + 1, 0, g), r.hardState());
    }
    assertTrue(store.groups().containsAll(Set.of(0L, 5L, 19L)));
  }

  @Test
  void compactionIsBoundedByTheSnapshot() {
    store.append(new LogBatch().add(1, snap(10, 2), entries(1, 11, 20, 2), null));
    assertThrows(IllegalArgumentException.class, () -> store.compact(1, 12));
    store.compact(1, 11); // at the snapshot + 1: nothing to drop
    LogReader r = store.group(1);
    assertEquals(11, r.firstIndex());
    assertEquals(2, r.term(10));
    assertEntries(entries(1, 11, 20, 2), r);
  }

  @Test
  void aRemovedGroupIsForgotten() {
    append(1, entries(1, 1, 5, 1));
    append(2, entries(2, 1, 5, 1));
    store.removeGroup(1);
    assertEquals(Set.of(2L), store.groups());
    assertEquals(0, store.group(1).lastIndex());
    store.sync();
    store = restart(store);
    assertEquals(Set.of(2L), store.groups());
    assertEntries(entries(2, 1, 5, 1), store.group(2));
  }

  @Test
  void negativeGroupIdsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> store.group(-1));
  }

  @Test
  void everythingSyncedSurvivesARestart() {
    append(1, entries(1, 1, 10, 1));
    append(1, entries(1, 8, 12, 2)); // truncation
    store.append(
        new LogBatch().add(2, snap(50, 4), entries(2, 51, 55, 4), new HardState(4, 3, 52)));
    store.append(new LogBatch().add(3, null, List.of(), new HardState(7, 7, 0)));
    store.sync();
    store = restart(store);
    assertEquals(Set.of(1L, 2L, 3L), store.groups());
    List<Entry> g1 = new ArrayList<>(entries(1, 1, 7, 1));
    g1.addAll(entries(1, 8, 12, 2));
    assertEquals(12, store.group(1).lastIndex());
    assertEntries(g1, store.group(1));
    LogReader r2 = store.group(2);
    assertEquals(snap(50, 4), r2.snapshot());
    assertEquals(51, r2.firstIndex());
    assertEquals(4, r2.term(50));
    assertEntries(entries(2, 51, 55, 4), r2);
    assertEquals(new HardState(4, 3, 52), r2.hardState());
    assertEquals(new HardState(7, 7, 0), store.group(3).hardState());
    // and the restarted store keeps working
    append(1, entries(1, 13, 14, 3));
    store.sync();
    store = restart(store);
    assertEquals(14, store.group(1).lastIndex());
    assertEquals(3, store.group(1).term(14));
  }

  @Test
  void unsyncedWritesAreLostWholeOrKeptButNeverCorrupt() {
    append(1, entries(1, 1, 5, 1));
    store.sync();
    append(1, entries(1, 4, 9, 2));
    store = restart(store);
    LogReader r = store.group(1);
    List<Entry> synced = entries(1, 1, 5, 1);
    List<Entry> later = new ArrayList<>(entries(1, 1, 3, 1));
    later.addAll(entries(1, 4, 9, 2));
    List<Entry> seen = r.entries(1, r.lastIndex() + 1, Long.MAX_VALUE);
    if (restartDropsUnsynced()) {
      assertEquals(synced, seen);
    } else {
      assertTrue(seen.equals(synced) || seen.equals(later), "unexpected log " + seen);
    }
  }

  @Test
  void aClosedStoreRejectsUse() {
    store.close();
    assertThrows(IllegalStateException.class, () -> append(1, entries(1, 1, 1, 1)));
    assertThrows(IllegalStateException.class, () -> store.group(1));
    store = null;
  }

  @Test
  void randomOperationsMatchAReferenceModel() {
    long seed = Long.getLong("wal.contract.seed", System.nanoTime());
    int steps = Integer.getInteger("wal.contract.steps", 400);
    LogStoreModelCheck check = new LogStoreModelCheck(seed, this::restart);
    try {
      store = check.run(store, steps);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "model check failed; reproduce with -Dwal.contract.seed=" + seed + ": " + e, e);
    }
  }
}
