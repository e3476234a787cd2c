package io.crema.cache.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same random command log (puts, TTLs crossing expiry, conditional writes, increments, deletes,
 * retried requests, capacity pressure forcing leader-decided evictions) is applied to three
 * replicas with different batchings, local read patterns and skewed local clocks, and to a fourth
 * restored from a snapshot taken mid-way while apply continued. Every result and the final contents
 * and deduplication tables must be identical.
 *
 * <p>Sizes: {@code -Dcrema.determinism.seeds=N} (default 40), {@code
 * -Dcrema.determinism.commands=N} (default 1500). Reproduce one seed with {@code
 * -Dcrema.determinism.seed=S}.
 */
class DeterminismTest {
  private static final long BASE_MS = 1_700_000_000_000L;
  private final Map<String, Integer> seen = new HashMap<>();

  @Test
  void replicasAgreeOnEveryResultAndOnContents() throws IOException {
    int commands = Integer.getInteger("crema.determinism.commands", 1500);
    String one = System.getProperty("crema.determinism.seed");
    if (one != null) {
      runSeed(Long.parseLong(one), commands);
      return;
    }
    int seeds = Integer.getInteger("crema.determinism.seeds", 40);
    for (long seed = 1; seed <= seeds; seed++) {
      runSeed(seed, commands);
    }
    // The generator must actually have exercised the interesting paths.
    for (String kind :
        List.of("evicted", "expired", "Conflict", "Counter", "NOT_A_COUNTER", "OVERFLOW", "dup")) {
      assertTrue(seen.getOrDefault(kind, 0) > 0, "never saw " + kind + ": " + seen);
    }
  }

  private void runSeed(long seed, int commands) throws IOException {
    try {
      check(seed, commands);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "determinism failed for seed "
              + seed
              + "; reproduce with -Dcrema.determinism.seed="
              + seed,
          e);
    }
  }

  private static CacheStateMachine replica(long skewMs, EvictionProposer proposer) {
    CacheStateMachineConfig.Builder b =
        CacheStateMachineConfig.builder()
            .maximumEntries(40)
            .maximumWeightBytes(40 * 200)
            .safetyCapWeightBytes(1 << 20)
            .evictionBatch(8)
            .dedup(4, 4)
            .wallClockMs(() -> System.currentTimeMillis() + skewMs);
    if (proposer != null) {
      b.evictionProposer(proposer);
    }
    return CacheStateMachine.create(b.build());
  }

  private void check(long seed, int commands) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<byte[]> proposed = new ArrayList<>();
    CacheStateMachine a = replica(0, proposed::add);
    a.onRoleChange(true, 1);
    CommandGenerator gen = new CommandGenerator(rnd.split(), BASE_MS);
    List<byte[]> log = new ArrayList<>();
    List<Object> resultsA = new ArrayList<>();
    while (gen.count() < commands) {
      List<byte[]> batch = new ArrayList<>(proposed);
      proposed.clear();
      int n = 1 + rnd.nextInt(20);
      for (int i = 0; i < n; i++) {
        batch.add(gen.next(log.size()));
      }
      resultsA.addAll(Arrays.asList(Replicas.apply(a, log.size() + 1, batch)));
      log.addAll(batch);
      for (int i = rnd.nextInt(4); i > 0; i--) {
        a.get(gen.randomKey());
      }
    }
    CacheStateMachine b = replica(3_600_000, null);
    List<Object> resultsB = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      resultsB.add(Replicas.applyOne(b, i + 1, log.get(i)));
      for (int r = rnd.nextInt(3); r > 0; r--) {
        b.getVersioned(gen.randomKey());
      }
    }
    CacheStateMachine c = replica(-3_600_000, null);
    int snapAt = rnd.nextInt(log.size());
    List<Object> resultsC = new ArrayList<>();
    StateMachine.Snapshot snap = null;
    int pos = 0;
    while (pos < log.size()) {
      if (snap == null && pos >= snapAt) {
        snap = c.snapshot();
        snapAt = pos;
      }
      int end = Math.min(log.size(), pos + 1 + rnd.nextInt(200));
      resultsC.addAll(Arrays.asList(Replicas.apply(c, pos + 1, log.subList(pos, end))));
      pos = end;
    }
    if (snap == null) {
      snap = c.snapshot();
      snapAt = log.size();
    }
    CacheStateMachine d = replica(0, null);
    Replicas.applyOne(
        d, 1, gen.commands().put(Replicas.bytes("junk"), new byte[3], 0, BASE_MS, null));
    d.restore(
        new SnapshotMeta(Math.max(1, snapAt), 1, ConfState.ofVoters(1)),
        new ByteArrayInputStream(Replicas.snapshotBytes(snap)));
    List<Object> resultsD =
        new ArrayList<>(
            Arrays.asList(Replicas.apply(d, snapAt + 1, log.subList(snapAt, log.size()))));

    for (int i = 0; i < log.size(); i++) {
      assertEquals(resultsA.get(i), resultsB.get(i), "result of entry " + (i + 1) + " A vs B");
      assertEquals(resultsA.get(i), resultsC.get(i), "result of entry " + (i + 1) + " A vs C");
      if (i >= snapAt) {
        assertEquals(
            resultsA.get(i), resultsD.get(i - snapAt), "result of entry " + (i + 1) + " A vs D");
      }
      count(resultsA.get(i));
    }
    Map<String, String> contents = Replicas.contents(a);
    assertEquals(contents, Replicas.contents(b), "contents A vs B");
    assertEquals(contents, Replicas.contents(c), "contents A vs C");
    assertEquals(contents, Replicas.contents(d), "contents A vs D (restored)");
    assertEquals(Replicas.sessions(a), Replicas.sessions(b), "dedup A vs B");
    assertEquals(Replicas.sessions(a), Replicas.sessions(c), "dedup A vs C");
    assertEquals(Replicas.sessions(a), Replicas.sessions(d), "dedup A vs D");
    assertTrue(contents.size() <= 40 + 8 * 4 + 20, "leader kept capacity: " + contents.size());
    for (CacheStateMachine m : List.of(a, b, c, d)) {
      assertEquals(0, m.stats().safetyEvictionCount(), "no replica evicted on its own");
      assertEquals(a.stats().evictionCount() > 0, m.stats().evictionCount() > 0 || m == d);
    }
    seen.merge("evicted", (int) a.stats().evictionCount(), Integer::sum);
    seen.merge(
        "expired", gen.expiringPuts() > 0 && a.logTimeMs() > BASE_MS + 1000 ? 1 : 0, Integer::sum);
    seen.merge("dup", gen.retries(), Integer::sum);
  }

  private void count(Object r) {
    String kind =
        r instanceof CacheResult.Conflict
            ? "Conflict"
            : r instanceof CacheResult.Counter ? "Counter" : String.valueOf(r);
    seen.merge(kind, 1, Integer::sum);
  }
}
