package io.crema.benchmarks.suite;

/**
 * The best rate a 3-replica write can reach on one machine, given the raw rates of its components
 * measured in the same run. This is the one place the formula lives; the report prints it.
 *
 * <p>All three replicas of the cache benchmarks run on one box and share its CPUs and its disk, so
 * for every committed write the box as a whole does:
 *
 * <ul>
 *   <li>{@value #REPLICAS} WAL appends (leader and both followers persist the entry), at the rate
 *       of {@code wal.WalAppendBenchmark} with a sync per 1024-entry batch and entries as long as
 *       the benchmark's PUT command ({@link SuiteReport#PUT_COMMAND_BYTES} bytes: 16-byte key and
 *       value, request id; until 2026-11-22 16-byte entries, which understated a write's cost);
 *   <li>{@value #REPLICAS} Caffeine puts (every replica applies it), at the rate of {@code
 *       limit.CaffeinePutBenchmark};
 *   <li>{@code m} transport messages, at the rate of {@code
 *       transport.AeronTransportBenchmark.append} (one-entry APPENDs over UDP loopback), where
 *       {@code m = (2 (R - 1) + 2 f) / B}: per APPEND batch of {@code B} entries the leader sends
 *       one APPEND to each of the {@code R - 1} followers and gets one APPEND_RESPONSE back from
 *       each (4 messages for 3 replicas, amortised over the batch), and the fraction {@code f} of
 *       puts that reach a node other than their shard's leader are forwarded: the host gathers them
 *       per group and duty cycle into one CLIENT_REQUEST and answers them in one CLIENT_RESPONSE,
 *       so they too cost two messages per batch.
 * </ul>
 *
 * If the box did nothing else and did these operations one after another at the rates measured in
 * isolation, the time per write would be the sum of their costs, and
 *
 * <pre>
 *   limit = 1 / (R / wal + R / caffeine + m / aeron)     writes per second
 * </pre>
 *
 * <p>Defaults: {@code B} = {@value #DEFAULT_BATCH_ENTRIES}: with thousands of puts in flight an
 * APPEND carries tens to hundreds of entries; the message term {@code (4 + 2 f) / B} is then a few
 * hundredths of a message per write, and anything from 16 to 1024 changes the limit by a few
 * percent at most, so a middle value is enough. {@code f} = 2/3: {@code
 * cache.ShardThroughputBenchmark} spreads its puts evenly over the three nodes, so two thirds of
 * them land on a follower of the (single) shard and are forwarded. With {@code f = 0} (clients that
 * always reach the leader) the same formula gives the bound without forwarding; the report prints
 * both.
 *
 * <p>What this is not: a strict upper bound. Each component was measured on one or two threads, and
 * on two cores the disk waits of the WAL and the CPU work of the others can overlap, so the real
 * ceiling can be higher; the real write path also pays for Raft bookkeeping, command encoding and
 * decoding, futures and batching, which no component benchmark includes, and its WAL entries are
 * synced per Raft batch rather than per 1024 entries. Read it as the rate of the bare components,
 * and our figure as a fraction of it.
 *
 * @param batchEntries {@code B}: entries per APPEND batch (at least 1)
 * @param forwardedFraction {@code f}: fraction of puts forwarded to the leader, in [0, 1]
 */
public record WriteLimit(double batchEntries, double forwardedFraction) {
  /** Replicas of every shard. */
  public static final int REPLICAS = 3;

  /** Default {@code B}; see the class comment. */
  public static final double DEFAULT_BATCH_ENTRIES = 64;

  /** Default {@code f}: puts spread evenly over 3 nodes, one of which leads the shard. */
  public static final double DEFAULT_FORWARDED_FRACTION = 2.0 / 3.0;

  /** Validates the parameters. */
  public WriteLimit {
    if (!(batchEntries >= 1)) {
      throw new IllegalArgumentException("batchEntries must be >= 1, was " + batchEntries);
    }
    if (!(forwardedFraction >= 0 && forwardedFraction <= 1)) {
      throw new IllegalArgumentException(
          "forwardedFraction must be in [0, 1], was " + forwardedFraction);
    }
  }

  /** The defaults, for {@code cache.ShardThroughputBenchmark} with one shard. */
  public static WriteLimit defaults() {
    return new WriteLimit(DEFAULT_BATCH_ENTRIES, DEFAULT_FORWARDED_FRACTION);
  }

  /** The same batching with no forwarding: clients that always reach the leader. */
  public WriteLimit withoutForwarding() {
    return new WriteLimit(batchEntries, 0);
  }

  /** WAL appends per committed write: every replica persists the entry. */
  public double walAppendsPerWrite() {
    return REPLICAS;
  }

  /** Caffeine puts per committed write: every replica applies the entry. */
  public double cachePutsPerWrite() {
    return REPLICAS;
  }

  /** {@code m}: transport messages per committed write, {@code (2 (R - 1) + 2 f) / B}. */
  public double messagesPerWrite() {
    return (2.0 * (REPLICAS - 1) + 2.0 * forwardedFraction) / batchEntries;
  }

  /**
   * The limit in writes per second from the component rates (all per second): WAL entries appended,
   * Caffeine puts, transport messages delivered. NaN if any rate is missing (NaN) or not positive.
   */
  public double writesPerSecond(
      double walEntriesPerSecond, double cachePutsPerSecond, double messagesPerSecond) {
    if (!(walEntriesPerSecond > 0 && cachePutsPerSecond > 0 && messagesPerSecond > 0)) {
      return Double.NaN;
    }
    double secondsPerWrite =
        walAppendsPerWrite() / walEntriesPerSecond
            + cachePutsPerWrite() / cachePutsPerSecond
            + messagesPerWrite() / messagesPerSecond;
    return 1.0 / secondsPerWrite;
  }

  /** The formula as printed in the report. */
  public String formula() {
    return "limit = 1 / (3 / wal + 3 / caffeine + m / aeron), m = (4 + 2 f) / B";
  }
}
