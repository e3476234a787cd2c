package io.crema.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteReportTest {
  /** B = 4, f = 1/2: m = 4/4 + 2 * 1/2 = 2 messages per write, round numbers. */
  private static final WriteLimit LIMIT = new WriteLimit(4, 0.5);

  private static String fixture() throws IOException {
    try (InputStream in = SuiteReportTest.class.getResourceAsStream("/suite/fixture.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static SuiteReport.RunInfo info(WriteLimit limit) {
    return new SuiteReport.RunInfo(
        "2026-11-22 12:00:00 UTC",
        "2 cores, 23.5 GiB memory, Linux",
        "OpenJDK 17",
        "quick",
        "java -cp benchmarks.jar io.crema.benchmarks.suite.Suite quick",
        "quick-20261122-120000.json",
        List.of("a note"),
        limit);
  }

  /** The table rows of one section (lines starting with "| " between its heading and the next). */
  private static List<String> rows(String md, String section) {
    int start = md.indexOf("## " + section + "\n");
    assertTrue(start >= 0, "no section " + section);
    int end = md.indexOf("\n## ", start + 1);
    List<String> out = new ArrayList<>();
    for (String line : md.substring(start, end < 0 ? md.length() : end).split("\n")) {
      if (line.startsWith("| ")) {
        out.add(line);
      }
    }
    return out;
  }

  private static String row(List<String> rows, String... parts) {
    String found = null;
    for (String r : rows) {
      boolean all = true;
      for (String p : parts) {
        all &= r.contains(p);
      }
      if (all) {
        assertEquals(null, found, "more than one row with " + String.join(", ", parts));
        found = r;
      }
    }
    assertTrue(found != null, "no row with " + String.join(", ", parts) + " in\n" + rows);
    return found;
  }

  @Test
  void header() throws IOException {
    String md = SuiteReport.render(fixture(), info(LIMIT));
    assertTrue(md.startsWith("# Crema benchmark suite: quick\n"));
    assertTrue(md.contains("- Date: 2026-11-22 12:00:00 UTC\n"));
    assertTrue(md.contains("- Machine: 2 cores, 23.5 GiB memory, Linux\n"));
    assertTrue(md.contains("- JDK: OpenJDK 17; forks: OpenJDK 64-Bit Server VM 17.0.15+6\n"));
    assertTrue(md.contains("- Profile: quick\n"));
    assertTrue(
        md.contains(
            "- Command: `java -cp benchmarks.jar io.crema.benchmarks.suite.Suite quick`\n"));
    assertTrue(md.contains("\n- a note"));
  }

  @Test
  void throughputRows() throws IOException {
    List<String> t = rows(SuiteReport.render(fixture(), info(LIMIT)), "Throughput");
    assertEquals(
        "| cache.ShardThroughputBenchmark.putsInFlight | shards=1 | 100,000 ± 5,000 ops/s"
            + " | 100,000 | 1,500 | — |",
        row(t, "ShardThroughput", "shards=1"));
    // Per shard = total / shards; no error when JMH gave NaN.
    assertEquals(
        "| cache.ShardThroughputBenchmark.putsInFlight | shards=4 | 200,000 ops/s | 50,000"
            + " | 1,234 | — |",
        row(t, "ShardThroughput", "shards=4"));
    assertTrue(row(t, "HostThroughput", "groups=16").contains(" | 100,000 | "));
    // Secondary results other than the GC profiler's; the old middle-dot prefix is understood.
    assertEquals(
        "| wal.WalAppendBenchmark.appendBatch | batchEntries=1024, payloadBytes=16, sync=true"
            + " | 2,930 ops/s | — | 40 | entries 3,000,000 ops/s |",
        row(t, "WalAppend", "payloadBytes=16, sync=true"));
    // Only throughput results here.
    assertFalse(t.toString().contains("PutLatency"));
    assertFalse(t.toString().contains("heartbeatRoundTrip"));
  }

  @Test
  void latencyRows() throws IOException {
    List<String> l = rows(SuiteReport.render(fixture(), info(LIMIT)), "Latency");
    // JMH sample time: its percentiles.
    assertEquals(
        "| transport.AeronTransportBenchmark.heartbeatRoundTrip | driverMaxParkUs=1000, mtu=1408"
            + " | 150 ± 5 us/op | 11 | 300 | 900 | us/op | JMH sample time |",
        row(l, "heartbeatRoundTrip"));
    // PutLatencyBenchmark's own percentiles: JMH sums them over iterations, the report averages
    // the iterations (1000 and 3000 -> 2000), not the sum (4000).
    assertEquals(
        "| cache.PutLatencyBenchmark.steadyLoad | rate=90000, shards=1 | — | 2,000 | 15,000"
            + " | 40,000 | µs | own percentiles, mean of 2 iterations; failed 3 |",
        row(l, "PutLatency"));
    assertEquals(
        "| wal.WalRecoveryBenchmark.reopen | batchEntries=1024, entries=1000000 | 40 ± 4 ms/op"
            + " | — | — | — | ms/op | single shot |",
        row(l, "WalRecovery"));
  }

  @Test
  void peersRowsWithRatioAndNotRun() throws IOException {
    List<String> p = rows(SuiteReport.render(fixture(), info(LIMIT)), "Peers");
    String ratis = row(p, "peers.RatisBenchmark");
    assertTrue(
        ratis.startsWith(
            "| durable: log synced to disk, loopback network | cache.ShardThroughputBenchmark"
                + " shards=1 | 100,000 | peers.RatisBenchmark.put | 50,000 | 2.00 | "),
        ratis);
    assertTrue(ratis.contains("Chronicle log synced per batch"), ratis);
    assertTrue(ratis.contains("(inFlight=1024)"), ratis);
    // MicroRaft is not in the JSON; ours is (in ops/ms in the fixture, converted).
    String microRaft = row(p, "peers.MicroRaftBenchmark");
    assertTrue(
        microRaft.startsWith(
            "| in memory: log and transport in memory | multiraft.MultiRaftThroughputBenchmark"
                + " completions=thread, entry=leader, keyCount=4096, machine=map, shards=1,"
                + " threads=shared, window=4096 |"
                + " 400,000"
                + " | peers.MicroRaftBenchmark | not run | — | "),
        microRaft);
  }

  @Test
  void limitFromComponentRates() throws IOException {
    String md = SuiteReport.render(fixture(), info(LIMIT));
    List<String> rows = rows(md, "Limit");
    // wal 2M entries/s of 69-byte PUT commands (the synced 1024-entry batch; not the 10M unsynced
    // one, nor the 3M of 16-byte entries), caffeine 6M/s (4,096 keys as in
    // ShardThroughputBenchmark,
    // not the 1M/s of 65,536 keys), aeron 2M messages/s at MTU 8192, the cache benchmarks' (not the
    // 1408 result): m = (4 + 2 * 0.5) / 4 = 1.25; per write 3/2M + 3/6M + 1.25/2M = 1.5 + 0.5 +
    // 0.625 us = 2.625 us -> 380,952 writes/s; ours 100,000 = 26.25%.
    assertTrue(row(rows, "WAL append").contains("payloadBytes=69"), row(rows, "WAL append"));
    assertTrue(row(rows, "WAL append").contains(" | 2,000,000 | 3 | 1,500 |"));
    assertTrue(row(rows, "Caffeine put").contains("keys=4096 | 6,000,000 | 3 | 500 |"));
    assertTrue(row(rows, "Aeron message").contains("mtu=8192 | 2,000,000 | 1.2500 | 625 |"));
    assertEquals("| limit (f as above) | 380,952 |", row(rows, "limit (f as above)"));
    // f = 0: m = 1, per write 2.5 us.
    assertEquals(
        "| limit without forwarding (f = 0, clients at the leader) | 400,000 |",
        row(rows, "without forwarding"));
    assertEquals(
        "| ours: cache.ShardThroughputBenchmark shards=1 | 100,000 |", row(rows, "ours: "));
    assertEquals("| ours / limit | 26.3% |", row(rows, "ours / limit"));
    // With the 16-byte entries of earlier runs: 1.0 + 0.5 + 0.625 us -> 470,588, ours 21.3%.
    assertEquals(
        "| limit with 16 B WAL entries (earlier runs' model) | 470,588 |",
        row(rows, "limit with 16 B"));
    assertEquals("| ours / that limit | 21.3% |", row(rows, "ours / that limit"));
    assertTrue(md.contains("B = 4 entries per APPEND, f = 0.500  ->  m = 1.2500 messages"));
  }

  /** The limit's WAL entries are as long as the PUT command ShardThroughputBenchmark writes. */
  @Test
  void theLimitsWalEntriesAreThePutCommandsSize() {
    byte[] put =
        io.crema.cache.statemachine.CacheCommands.withDefaultLimits()
            .put(
                new byte[16],
                new byte[16],
                0,
                System.currentTimeMillis(),
                new io.crema.cache.statemachine.RequestId(1, 1, 0));
    assertEquals(Integer.parseInt(SuiteReport.PUT_COMMAND_BYTES), put.length);
  }

  @Test
  void limitWithDefaults() throws IOException {
    // m = (4 + 2 * 2/3) / 64 = 0.083333...; per write 1.5 + 0.5 + 0.041667 us = 2.041667 us.
    List<String> rows = rows(SuiteReport.render(fixture(), info(WriteLimit.defaults())), "Limit");
    assertEquals("| limit (f as above) | 489,796 |", row(rows, "limit (f as above)"));
    assertEquals("| ours / limit | 20.4% |", row(rows, "ours / limit"));
    assertTrue(row(rows, "Aeron message").contains(" | 0.0833 | 41.7 |"));
  }

  @Test
  void emptyOrPartialResultsSayNotRun() {
    String md = SuiteReport.render("[]", info(LIMIT));
    assertTrue(md.contains("## Throughput\n\nnot run"));
    assertTrue(md.contains("## Latency\n\nnot run"));
    List<String> peers = rows(md, "Peers");
    assertEquals(1 + 2, peers.size()); // header and two rows
    assertTrue(
        row(peers, "RatisBenchmark").contains(" | not run | peers.RatisBenchmark | not run"));
    List<String> limit = rows(md, "Limit");
    assertTrue(row(limit, "WAL append").endsWith(" | not run | 3 | not run |"));
    assertEquals("| limit (f as above) | not run |", row(limit, "limit (f as above)"));
    assertEquals("| ours / limit | not run (a component is missing) |", row(limit, "ours / limit"));

    // Only our figure and the Aeron result at another MTU (used, and said so).
    String partial =
        "[{\"benchmark\":\"io.crema.benchmarks.transport.AeronTransportBenchmark.append\","
            + "\"mode\":\"thrpt\",\"params\":{\"mtu\":\"8192\",\"driverMaxParkUs\":\"100\"},"
            + "\"primaryMetric\":{\"score\":2.5E6,\"scoreError\":\"NaN\",\"scoreUnit\":\"ops/s\"}}]";
    List<String> l2 = rows(SuiteReport.render(partial, info(LIMIT)), "Limit");
    assertTrue(
        row(l2, "Aeron message").contains("(not the cache's transport settings) | 2,500,000"));
  }

  @Test
  void writeLimitFormula() {
    WriteLimit d = WriteLimit.defaults();
    assertEquals((4.0 + 4.0 / 3) / 64, d.messagesPerWrite(), 1e-12);
    double expected = 1 / (3 / 3e6 + 3 / 6e6 + ((4.0 + 4.0 / 3) / 64) / 2e6);
    assertEquals(expected, d.writesPerSecond(3e6, 6e6, 2e6), 1e-6);
    assertEquals(1.25, LIMIT.messagesPerWrite(), 1e-12);
    assertEquals(1 / 2.125e-6, LIMIT.writesPerSecond(3e6, 6e6, 2e6), 1e-3);
    assertTrue(Double.isNaN(LIMIT.writesPerSecond(Double.NaN, 6e6, 2e6)));
  }
}
