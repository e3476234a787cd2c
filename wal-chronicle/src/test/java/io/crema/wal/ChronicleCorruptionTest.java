package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.Entry;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: a bad tail is cut (and the cut survives later restarts), damage before the tail
 * fails the open with the file and position, and no damage ever makes a read return a wrong entry.
 */
class ChronicleCorruptionTest {
  @TempDir Path dir;

  private static ChronicleLogConfig config(Path wal) {
    return ChronicleLogConfig.builder(wal).entryCache(0, 0).build();
  }

  /** Writes groups 0..2, each entries 1..10*records in records of 10 (term 1), synced. */
  private static void writeLog(Path wal, int records) {
    try (ChronicleLogStore store = ChronicleLogStore.open(config(wal))) {
      for (int r = 0; r < records; r++) {
        for (long g = 0; g < 3; g++) {
          store.append(
              new LogBatch()
                  .add(g, null, LogStoreContractTest.entries(g, r * 10 + 1, r * 10 + 10, 1), null));
        }
        store.sync();
      }
    }
  }

  /** Every entry a group returns is the one written at its index (never a wrong one). */
  private static void assertOnlyRightEntries(ChronicleLogStore store) {
    for (long g : store.groups()) {
      LogReader r = store.group(g);
      for (Entry e : r.entries(r.firstIndex(), r.lastIndex() + 1, Long.MAX_VALUE)) {
        assertEquals(LogStoreContractTest.entries(g, e.index(), e.index(), 1).get(0), e);
      }
    }
  }

  @Test
  void aDamagedLastRecordIsCutAndTheCutSurvivesRestarts() throws Exception {
    Path wal = dir.resolve("wal");
    writeLog(wal, 3);
    List<QueueFiles.Doc> docs = QueueFiles.docs(wal);
    QueueFiles.Doc last = docs.get(docs.size() - 1); // group 2, entries 21..30
    QueueFiles.flip(last.file(), last.position() + last.length() / 2, 0x10);
    try (ChronicleLogStore store = ChronicleLogStore.open(config(wal))) {
      assertEquals(1, store.recoveryStats().cutRecords());
      assertEquals(20, store.group(2).lastIndex());
      assertEquals(30, store.group(1).lastIndex());
      assertOnlyRightEntries(store);
      store.append(new LogBatch().add(2, null, LogStoreContractTest.entries(2, 21, 25, 1), null));
      store.sync();
    }
    try (ChronicleLogStore store = ChronicleLogStore.open(config(wal))) {
      assertEquals(0, store.recoveryStats().cutRecords());
      assertEquals(25, store.group(2).lastIndex());
      assertOnlyRightEntries(store);
    }
  }

  @Test
  void damageBeforeTheTailFailsTheOpenNamingFileAndPosition() throws Exception {
    Path wal = dir.resolve("wal");
    writeLog(wal, 3);
    List<QueueFiles.Doc> docs = QueueFiles.docs(wal);
    QueueFiles.Doc middle = docs.get(4);
    QueueFiles.flip(middle.file(), middle.position() + 20, 0x01);
    WalCorruptionException e =
        assertThrows(WalCorruptionException.class, () -> ChronicleLogStore.open(config(wal)));
    assertEquals(middle.file().getName(), e.file().getName());
    assertEquals(middle.position(), e.position());
    assertTrue(e.getMessage().contains(middle.file().getName()), e.getMessage());
    assertTrue(e.getMessage().contains("position " + middle.position()), e.getMessage());
    // the lock is released after a failed open: the next attempt fails the same way, not "locked"
    assertThrows(WalCorruptionException.class, () -> ChronicleLogStore.open(config(wal)));
  }

  @Test
  void aTruncatedTailIsCutOrRefusedButNeverMisread() throws Exception {
    Path wal = dir.resolve("wal");
    writeLog(wal, 3);
    List<QueueFiles.Doc> docs = QueueFiles.docs(wal);
    QueueFiles.Doc last = docs.get(docs.size() - 1);
    QueueFiles.truncate(last.file(), last.position() + last.length() / 2);
    try (ChronicleLogStore store = ChronicleLogStore.open(config(wal))) {
      assertTrue(store.group(2).lastIndex() <= 30);
      assertEquals(30, store.group(1).lastIndex());
      assertOnlyRightEntries(store);
    } catch (LogStoreException refused) {
      assertTrue(refused instanceof WalCorruptionException, refused.toString());
    }
  }

  @Test
  void randomByteFlipsNeverYieldAWrongEntry() throws Exception {
    long seed = Long.getLong("wal.corruption.seed", System.nanoTime());
    int rounds = Integer.getInteger("wal.corruption.rounds", 25);
    SplittableRandom random = new SplittableRandom(seed);
    int opened = 0;
    int refused = 0;
    for (int round = 0; round < rounds; round++) {
      Path wal = dir.resolve("wal" + round);
      writeLog(wal, 4);
      List<QueueFiles.Doc> docs = QueueFiles.docs(wal);
      QueueFiles.Doc first = docs.get(0);
      QueueFiles.Doc last = docs.get(docs.size() - 1);
      long from = first.position();
      long to = last.position() + last.length();
      int flips = random.nextInt(1, 4);
      for (int f = 0; f < flips; f++) {
        QueueFiles.flip(first.file(), from + random.nextLong(to - from), 1 << random.nextInt(8));
      }
      try (ChronicleLogStore store = ChronicleLogStore.open(config(wal))) {
        assertOnlyRightEntries(store);
        opened++;
      } catch (LogStoreException e) {
        refused++; // failing loudly is allowed; returning wrong data is not
      } catch (AssertionError e) {
        throw new AssertionError("wrong entry; reproduce with -Dwal.corruption.seed=" + seed, e);
      }
    }
    System.out.printf(
        "random flips: %d rounds, %d opened without a wrong entry, %d refused (seed %d)%n",
        rounds, opened, refused, seed);
    assertEquals(rounds, opened + refused);
  }
}
