package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStoreException;
import io.crema.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chronicle-specific behaviour beyond the contract: config, sync policies, files, failures. */
class ChronicleLogStoreTest {
  @TempDir Path dir;

  private static List<Entry> entries(long g, long from, long to, long term) {
    return LogStoreContractTest.entries(g, from, to, term);
  }

  private static SnapshotMeta snap(long index, long term) {
    return new SnapshotMeta(index, term, ConfState.ofVoters(1, 2, 3));
  }

  /** A log whose files roll every second of a clock the test moves. */
  private static ChronicleLogConfig.Builder rollingEverySecond(Path wal, SetTimeProvider time) {
    return ChronicleLogConfig.builder(wal)
        .rollCycle(TestRollCycles.TEST_SECONDLY)
        .timeProvider(time);
  }

  @Test
  void theConfigRejectsBadAndRepeatedSettings() {
    ChronicleLogConfig.Builder b = ChronicleLogConfig.builder(dir);
    assertThrows(IllegalArgumentException.class, () -> b.entryCache(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> b.entryCache(10, -1));
    assertThrows(IllegalArgumentException.class, () -> b.syncIntervalMs(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxEntryBytes(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.maxEntryBytes(ChronicleLogConfig.MAX_ENTRY_BYTES_LIMIT + 1));
    assertThrows(NullPointerException.class, () -> ChronicleLogConfig.builder(null));
    b.syncNeverUnsafe();
    IllegalStateException twice = assertThrows(IllegalStateException.class, b::syncEveryBatch);
    assertTrue(twice.getMessage().contains("NEVER"), twice.getMessage());
    ChronicleLogConfig c = b.build();
    assertEquals(SyncPolicy.NEVER, c.syncPolicy());
    assertEquals(ChronicleLogConfig.DEFAULT_CACHE_MAX_ENTRIES, c.cacheMaxEntries());
    assertEquals(SyncPolicy.EVERY_BATCH, ChronicleLogConfig.builder(dir).build().syncPolicy());
  }

  @Test
  void syncPoliciesDecideWhenToMsync() {
    try (ChronicleLogStore every =
        ChronicleLogStore.open(ChronicleLogConfig.builder(dir.resolve("a")).build())) {
      every.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
      every.sync();
      every.sync();
      assertEquals(2, every.syncCount());
    }
    try (ChronicleLogStore never =
        ChronicleLogStore.open(
            ChronicleLogConfig.builder(dir.resolve("b")).syncNeverUnsafe().build())) {
      never.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
      never.sync();
      assertEquals(0, never.syncCount());
    }
    try (ChronicleLogStore interval =
        ChronicleLogStore.open(
            ChronicleLogConfig.builder(dir.resolve("c")).syncIntervalMs(3_600_000).build())) {
      interval.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
      interval.sync();
      assertEquals(0, interval.syncCount(), "within the interval: no msync");
    }
  }

  @Test
  void syncTasksRunOnAnotherThreadWhileTheHostAppends() throws Exception {
    Path wal = dir.resolve("async");
    SetTimeProvider time = new SetTimeProvider("2026-11-22T10:00:00");
    ChronicleLogConfig config = rollingEverySecond(wal, time).build();
    java.util.concurrent.ExecutorService disk =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      assertTrue(store.syncLater() == io.crema.raft.LogStore.SYNCED, "nothing written yet");
      store.append(new LogBatch().add(1, null, entries(1, 1, 100, 1), new HardState(1, 1, 0)));
      Runnable first = store.syncLater();
      // The host goes on appending (and rolls to a new file) while the first sync is queued.
      time.advanceMillis(1_500);
      store.append(new LogBatch().add(1, null, entries(1, 101, 200, 1), null));
      Runnable second = store.syncLater();
      try (Stream<Path> files = Files.list(wal)) {
        assertEquals(
            2, files.filter(f -> f.toString().endsWith(".cq4")).count(), "two roll cycles");
      }
      // Run only the newest: it covers the file of the first as well (no error, one sync).
      disk.submit(second).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(1, store.syncCount());
      disk.submit(first).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(2, store.syncCount());
      store.append(new LogBatch().add(1, null, entries(1, 201, 210, 1), null));
      disk.submit(store.syncLater()).get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(3, store.syncCount());
    } finally {
      disk.shutdown();
    }
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      assertEquals(210, store.group(1).lastIndex());
      assertEquals(entries(1, 1, 210, 1), store.group(1).entries(1, 211, Long.MAX_VALUE));
    }
  }

  @Test
  void syncTasksFollowThePolicyAndFailOnceClosed() {
    try (ChronicleLogStore never =
        ChronicleLogStore.open(
            ChronicleLogConfig.builder(dir.resolve("n")).syncNeverUnsafe().build())) {
      never.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
      assertTrue(never.syncLater() == io.crema.raft.LogStore.SYNCED);
    }
    try (ChronicleLogStore interval =
        ChronicleLogStore.open(
            ChronicleLogConfig.builder(dir.resolve("i")).syncIntervalMs(3_600_000).build())) {
      interval.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
      interval.syncLater().run();
      assertEquals(0, interval.syncCount(), "within the interval: no sync");
    }
    ChronicleLogStore store = ChronicleLogStore.open(ChronicleLogConfig.builder(dir).build());
    store.append(new LogBatch().add(1, null, entries(1, 1, 3, 1), null));
    Runnable late = store.syncLater();
    store.close();
    LogStoreException e = assertThrows(LogStoreException.class, late::run);
    assertTrue(e.getMessage().contains("closed before its sync ran"), e.getMessage());
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefused() {
    ChronicleLogConfig config = ChronicleLogConfig.builder(dir).build();
    try (ChronicleLogStore first = ChronicleLogStore.open(config)) {
      LogStoreException e =
          assertThrows(LogStoreException.class, () -> ChronicleLogStore.open(config));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
      assertEquals(Set.of(), first.groups());
    }
    try (ChronicleLogStore again = ChronicleLogStore.open(config)) {
      assertEquals(Set.of(), again.groups()); // the lock was released by close
    }
  }

  @Test
  void oversizedEntriesAreRejectedBeforeAnythingIsWritten() {
    ChronicleLogConfig config = ChronicleLogConfig.builder(dir).maxEntryBytes(1000).build();
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      List<Entry> es =
          List.of(Entry.normal(1, 1, new byte[10]), Entry.normal(2, 1, new byte[1001]));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> store.append(new LogBatch().add(3, null, es, new HardState(1, 0, 0))));
      assertTrue(e.getMessage().contains("1001") && e.getMessage().contains("1000"));
      assertEquals(0, store.group(3).lastIndex());
      assertEquals(HardState.EMPTY, store.group(3).hardState());
    }
  }

  @Test
  void largeWritesAreSplitIntoRecordsAndReadBack() {
    ChronicleLogConfig config = ChronicleLogConfig.builder(dir).entryCache(0, 0).build();
    byte[] big = new byte[600_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    List<Entry> es =
        List.of(Entry.normal(1, 1, big), Entry.normal(2, 1, big), Entry.normal(3, 1, big));
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      store.append(new LogBatch().add(1, null, es, null));
      store.sync();
    }
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      assertEquals(2, store.recoveryStats().records());
      assertEquals(es, store.group(1).entries(1, 4, Long.MAX_VALUE));
      assertEquals(es.subList(1, 2), store.group(1).entries(2, 4, 700_000));
    }
  }

  @Test
  void anIoFailureFailsTheBatchAndStopsWritesButNotReads() {
    ChronicleLogStore store = ChronicleLogStore.open(ChronicleLogConfig.builder(dir).build());
    try {
      store.append(new LogBatch().add(1, null, entries(1, 1, 5, 1), null));
      store.queue().close(); // the files vanish under the writer
      LogStoreException e =
          assertThrows(
              LogStoreException.class,
              () -> store.append(new LogBatch().add(1, null, entries(1, 6, 8, 1), null)));
      assertTrue(e.getMessage().contains("failed during append for group 1"), e.getMessage());
      assertEquals(5, store.group(1).lastIndex(), "the failed group is unchanged");
      assertEquals(entries(1, 1, 5, 1), store.group(1).entries(1, 6, Long.MAX_VALUE));
      LogStoreException later = assertThrows(LogStoreException.class, store::sync);
      assertTrue(later.getMessage().contains("failed earlier"), later.getMessage());
    } finally {
      store.close();
    }
  }

  @Test
  void compactionDeletesWholeFilesOnceNoLiveGroupNeedsThem() throws IOException {
    Path wal = dir.resolve("wal");
    SetTimeProvider time = new SetTimeProvider("2026-11-22T10:00:00");
    ChronicleLogConfig config = rollingEverySecond(wal, time).entryCache(0, 0).build();
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      store.append(
          new LogBatch()
              .add(1, null, entries(1, 1, 10, 1), new HardState(1, 1, 5))
              .add(2, null, entries(2, 1, 5, 1), null));
      time.advanceMillis(1000);
      store.append(
          new LogBatch()
              .add(1, null, entries(1, 11, 20, 2), new HardState(2, 1, 15))
              .add(2, null, entries(2, 6, 8, 1), null));
      store.sync();
      time.advanceMillis(1000);
      assertEquals(2, cq4Files(wal));
      store.append(new LogBatch().add(1, snap(15, 2), List.of(), null));
      store.compact(1, 16);
      assertEquals(3, cq4Files(wal), "group 2 still needs the first file");
      store.removeGroup(2);
      assertEquals(2, cq4Files(wal), "the first file is deleted");
      store.sync();
    }
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      assertEquals(Set.of(1L), store.groups());
      LogReader r = store.group(1);
      assertEquals(16, r.firstIndex());
      assertEquals(20, r.lastIndex());
      assertEquals(snap(15, 2), r.snapshot());
      assertEquals(2, r.term(15));
      assertEquals(new HardState(2, 1, 15), r.hardState());
      assertEquals(entries(1, 16, 20, 2), r.entries(16, 21, Long.MAX_VALUE));
      // a snapshot that replaces the log frees everything before the current file
      time.advanceMillis(1000);
      store.append(new LogBatch().add(1, snap(30, 3), List.of(), new HardState(3, 1, 30)));
      store.compact(1, 31);
      assertEquals(1, cq4Files(wal));
      store.sync();
    }
    try (ChronicleLogStore store = ChronicleLogStore.open(config)) {
      LogReader r = store.group(1);
      assertEquals(31, r.firstIndex());
      assertEquals(30, r.lastIndex());
      assertEquals(3, r.term(30));
      assertEquals(new HardState(3, 1, 30), r.hardState());
    }
  }

  private static long cq4Files(Path wal) throws IOException {
    try (Stream<Path> files = Files.list(wal)) {
      return files.filter(p -> p.toString().endsWith(".cq4")).count();
    }
  }
}
