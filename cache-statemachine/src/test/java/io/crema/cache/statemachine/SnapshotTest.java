package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.Replicas.applyOne;
import static io.crema.cache.statemachine.Replicas.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.SnapshotStore;
import io.crema.raft.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final ConfState CONF =
      new ConfState(new long[] {1, 2, 3}, new long[] {4}, new long[0], new long[0], false);
  private final CacheCommands cmd = CacheCommands.withDefaultLimits();

  @TempDir Path dir;

  private static CacheStateMachine machine() {
    return CacheStateMachine.create(CacheStateMachineConfig.builder().build());
  }

  /** A machine with n entries (some with TTLs, some counters) and a client session. */
  private CacheStateMachine filled(int n, long seed) {
    CacheStateMachine sm = machine();
    SplittableRandom rnd = new SplittableRandom(seed);
    long i = 1;
    for (; i <= n; i++) {
      byte[] v = new byte[rnd.nextInt(64)];
      rnd.nextBytes(v);
      long ttl = rnd.nextInt(4) == 0 ? 10_000 + rnd.nextInt(1_000_000) : 0;
      applyOne(sm, i, cmd.put(bytes("key-" + i), v, ttl, NOW + i, null));
    }
    applyOne(sm, i, cmd.increment(bytes("counter"), 5, 0, NOW + i, new RequestId(77, 1, 0)));
    return sm;
  }

  private SnapshotStore.Stored write(FileSnapshotStore store, CacheStateMachine sm)
      throws IOException {
    SnapshotMeta meta = new SnapshotMeta(sm.appliedIndex(), 3, CONF);
    StateMachine.Snapshot snap = sm.snapshot();
    try (SnapshotStore.Writer w = store.create(5, meta)) {
      snap.writeTo(w.out());
      w.commit();
    }
    return store.latest(5).orElseThrow();
  }

  private static void restore(CacheStateMachine sm, SnapshotStore.Stored stored)
      throws IOException {
    try (InputStream in = stored.open()) {
      sm.restore(stored.meta(), in);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void roundTripThroughFiles(boolean compression) throws IOException {
    FileSnapshotStore store =
        FileSnapshotStore.open(
            CheckpointConfig.builder(dir).compression(compression).blockBytes(4096).build());
    CacheStateMachine sm = filled(3000, 1);
    SnapshotStore.Stored stored = write(store, sm);
    assertEquals(new SnapshotMeta(3001, 3, CONF), stored.meta());
    // sizeBytes is what open() yields (the state data), whatever the file's compression.
    try (java.io.InputStream in = stored.open()) {
      assertEquals(in.readAllBytes().length, stored.sizeBytes());
    }
    CacheStateMachine copy = machine();
    restore(copy, stored);
    assertEquals(Replicas.contents(sm), Replicas.contents(copy));
    assertEquals(3001, Replicas.contents(copy).size());
    assertEquals(Replicas.sessions(sm), Replicas.sessions(copy));
    assertEquals(3001, copy.appliedIndex());
    assertEquals(sm.logTimeMs(), copy.logTimeMs());
  }

  private Path onlySnapshotFile() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> snaps = files.filter(p -> p.toString().endsWith(".snap")).toList();
      assertEquals(1, snaps.size(), "exactly one snapshot file: " + snaps);
      return snaps.get(0);
    }
  }

  @Test
  void snapshotIsThePointInTimeStateWhileApplyContinues() throws IOException {
    CacheStateMachine sm = filled(500, 2);
    long index = sm.appliedIndex();
    applyOne(sm, ++index, cmd.put(bytes("soon"), bytes("x"), 10, sm.logTimeMs(), null));
    Map<String, String> atCapture = Replicas.contents(sm);
    long captureIndex = sm.appliedIndex();
    StateMachine.Snapshot snap = sm.snapshot();
    // Changes after the capture: overwrite, delete, add, evict, and let entries expire.
    applyOne(sm, ++index, cmd.put(bytes("key-1"), bytes("changed"), 0, NOW + 600, null));
    applyOne(sm, ++index, cmd.delete(bytes("key-2"), NOW + 600, null));
    applyOne(sm, ++index, cmd.put(bytes("added"), bytes("n"), 0, NOW + 600, null));
    applyOne(
        sm,
        ++index,
        CacheCommands.evict(NOW + 600, List.of(new Key(bytes("key-3"))), new long[] {3}));
    applyOne(sm, ++index, cmd.tick(NOW + 10_000_000));
    assertNotEquals(atCapture, Replicas.contents(sm));
    byte[] data = Replicas.snapshotBytes(snap);
    CacheStateMachine copy = machine();
    copy.restore(new SnapshotMeta(captureIndex, 1, CONF), new java.io.ByteArrayInputStream(data));
    assertEquals(atCapture, Replicas.contents(copy));
    assertTrue(
        Replicas.contents(copy).containsKey(java.util.HexFormat.of().formatHex(bytes("soon"))));
    // the ticker was released once the snapshot was written: expiry proceeds on the live machine
    applyOne(sm, ++index, cmd.tick(NOW + 10_000_001));
    assertEquals(null, sm.get(bytes("soon")));
    assertThrows(
        IllegalStateException.class, () -> snap.writeTo(new java.io.ByteArrayOutputStream()));
  }

  @Test
  void restoreIntoNonEmptyMachineReplacesEverything() throws IOException {
    FileSnapshotStore store = FileSnapshotStore.open(CheckpointConfig.builder(dir).build());
    CacheStateMachine source = filled(100, 3);
    SnapshotStore.Stored stored = write(store, source);
    CacheStateMachine target = filled(300, 4);
    applyOne(target, 302, cmd.put(bytes("only-in-target"), bytes("x"), 0, NOW, null));
    restore(target, stored);
    assertEquals(Replicas.contents(source), Replicas.contents(target));
    assertEquals(null, target.get(bytes("only-in-target")));
    assertEquals(101, target.appliedIndex());
  }

  @Test
  void dedupSurvivesSnapshotAndRestore() throws IOException {
    FileSnapshotStore store = FileSnapshotStore.open(CheckpointConfig.builder(dir).build());
    CacheStateMachine sm = machine();
    byte[] request = cmd.increment(bytes("n"), 7, 0, NOW, new RequestId(42, 1, 0));
    assertEquals(new CacheResult.Counter(7), applyOne(sm, 1, request));
    SnapshotStore.Stored stored = write(store, sm);
    CacheStateMachine restored = machine();
    restore(restored, stored);
    assertEquals(new CacheResult.Counter(7), applyOne(restored, 2, request), "retry after restore");
    assertArrayEquals(bytes("7"), restored.get(bytes("n")), "applied once");
  }

  @Test
  void flippedBytesAreDetectedAndStateIsUnchanged() throws IOException {
    FileSnapshotStore store =
        FileSnapshotStore.open(CheckpointConfig.builder(dir).blockBytes(4096).build());
    write(store, filled(2000, 5));
    Path file = onlySnapshotFile();
    byte[] good = Files.readAllBytes(file);
    CacheStateMachine target = filled(10, 6);
    Map<String, String> before = Replicas.contents(target);
    SplittableRandom rnd = new SplittableRandom(9);
    int[] positions = {
      80, 120, good.length / 2, good.length - 10, good.length - 2, rnd.nextInt(good.length)
    };
    for (int pos : positions) {
      byte[] bad = good.clone();
      bad[pos] ^= (byte) (1 << rnd.nextInt(8));
      Files.write(file, bad);
      List<SnapshotStore.Stored> listed = store.list(5);
      if (listed.isEmpty()) {
        continue; // a damaged header is refused when listing
      }
      IOException e =
          assertThrows(IOException.class, () -> restore(target, listed.get(0)), "flip at " + pos);
      assertTrue(e instanceof CorruptSnapshotException, "flip at " + pos + ": " + e);
      assertEquals(before, Replicas.contents(target), "state unchanged after flip at " + pos);
    }
    Files.write(file, good);
    restore(target, store.latest(5).orElseThrow());
    assertEquals(2001, Replicas.contents(target).size());
  }

  @Test
  void headerDamageHidesTheFile() throws IOException {
    FileSnapshotStore store = FileSnapshotStore.open(CheckpointConfig.builder(dir).build());
    write(store, filled(10, 7));
    Path file = onlySnapshotFile();
    byte[] bad = Files.readAllBytes(file);
    bad[20] ^= 1;
    Files.write(file, bad);
    assertTrue(store.latest(5).isEmpty());
  }

  @Test
  void truncatedFilesAreDetected() throws IOException {
    FileSnapshotStore store =
        FileSnapshotStore.open(CheckpointConfig.builder(dir).blockBytes(4096).build());
    write(store, filled(2000, 8));
    Path file = onlySnapshotFile();
    byte[] good = Files.readAllBytes(file);
    CacheStateMachine target = machine();
    for (int len : new int[] {good.length - 1, good.length - 17, good.length / 2, 100}) {
      Files.write(file, Arrays.copyOf(good, len));
      List<SnapshotStore.Stored> listed = store.list(5);
      // Detected either when listing (no valid trailer) or when reading: never restored.
      if (!listed.isEmpty()) {
        assertThrows(
            CorruptSnapshotException.class, () -> restore(target, listed.get(0)), "length " + len);
      }
      assertEquals(0, Replicas.contents(target).size());
    }
    Files.write(file, Arrays.copyOf(good, good.length + 1));
    java.util.Optional<SnapshotStore.Stored> extra = store.latest(5);
    if (extra.isPresent()) {
      assertThrows(CorruptSnapshotException.class, () -> restore(target, extra.get()));
    }
    assertEquals(0, Replicas.contents(target).size());
  }

  @Test
  void onlyCommittedSnapshotsAreVisibleAndOldOnesArePruned() throws IOException {
    FileSnapshotStore store =
        FileSnapshotStore.open(CheckpointConfig.builder(dir).retain(2).build());
    try (SnapshotStore.Writer w = store.create(5, new SnapshotMeta(9, 1, CONF))) {
      w.out().write(1);
    }
    assertTrue(store.latest(5).isEmpty(), "closed without commit");
    for (long i = 1; i <= 3; i++) {
      try (SnapshotStore.Writer w = store.create(5, new SnapshotMeta(i * 10, 1, CONF))) {
        machine().snapshot().writeTo(w.out());
        w.commit();
      }
    }
    List<SnapshotStore.Stored> all = store.list(5);
    assertEquals(List.of(30L, 20L), all.stream().map(s -> s.meta().index()).toList());
    try (Stream<Path> files = Files.walk(dir)) {
      assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temp files left");
    }
    store.quarantine(all.get(0));
    assertEquals(20, store.latest(5).orElseThrow().meta().index(), "falls back to the older one");
    assertTrue(store.latest(6).isEmpty(), "groups are separate");
  }

  @Test
  void checkpointConfigSemantics() {
    CheckpointConfig c =
        CheckpointConfig.builder(dir).logThreshold(1000).interval(Duration.ofSeconds(5)).build();
    assertTrue(c.isDue(1000, 0));
    assertFalse(c.isDue(999, 4999));
    assertTrue(c.isDue(1, 5000));
    assertFalse(c.isDue(0, 1_000_000), "an idle group writes no checkpoint");
    assertThrows(
        IllegalStateException.class, () -> CheckpointConfig.builder(dir).retain(1).retain(2));
    assertThrows(
        IllegalArgumentException.class, () -> CheckpointConfig.builder(dir).blockBytes(10));
  }
}
