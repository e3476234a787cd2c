package io.crema.cache.statemachine;

import java.util.function.LongSupplier;

/**
 * Configuration of a {@link CacheStateMachine}. Immutable; build with {@link #builder()}, which
 * fails fast on a bad or repeated setting.
 *
 * <p>Capacity: {@code maximumEntries} and {@code maximumWeightBytes} are the bounds the leader
 * keeps the cache under by proposing EVICT commands (replicas never evict on their own for these
 * bounds). {@code safetyCapWeightBytes} is a hard memory cap at which a replica does evict on its
 * own, non-deterministically, logging an error each time: it exists so that a leader that cannot
 * keep up never exhausts memory, and should never be reached in normal operation.
 */
public final class CacheStateMachineConfig {
  /** Default weight bound: 256 MiB. */
  public static final long DEFAULT_MAXIMUM_WEIGHT_BYTES = 256L << 20;

  /** Default number of victims per EVICT command. */
  public static final int DEFAULT_EVICTION_BATCH = 256;

  /** Default number of clients in the deduplication table. */
  public static final int DEFAULT_DEDUP_MAX_CLIENTS = 10_000;

  /** Default number of remembered results per client. */
  public static final int DEFAULT_DEDUP_WINDOW = 32;

  private final long groupId;
  private final long maximumEntries;
  private final long maximumWeightBytes;
  private final long safetyCapWeightBytes;
  private final int evictionBatch;
  private final int dedupMaxClients;
  private final int dedupWindow;
  private final LongSupplier wallClockMs;
  private final CommandLimits limits;
  private final EvictionProposer evictionProposer;

  private CacheStateMachineConfig(Builder b) {
    this.groupId = b.groupId;
    this.maximumEntries = b.maximumEntries;
    this.maximumWeightBytes = b.maximumWeightBytes;
    this.safetyCapWeightBytes =
        b.safetyCapWeightBytes > 0
            ? b.safetyCapWeightBytes
            : (b.maximumWeightBytes > Long.MAX_VALUE / 2
                ? Long.MAX_VALUE
                : 2 * b.maximumWeightBytes);
    if (safetyCapWeightBytes < maximumWeightBytes) {
      throw new IllegalArgumentException(
          "safetyCapWeightBytes "
              + safetyCapWeightBytes
              + " must be >= maximumWeightBytes "
              + maximumWeightBytes);
    }
    this.evictionBatch = b.evictionBatch;
    this.dedupMaxClients = b.dedupMaxClients;
    this.dedupWindow = b.dedupWindow;
    this.wallClockMs = b.wallClockMs;
    this.limits = b.limits;
    this.evictionProposer = b.evictionProposer;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long groupId() {
    return groupId;
  }

  public long maximumEntries() {
    return maximumEntries;
  }

  public long maximumWeightBytes() {
    return maximumWeightBytes;
  }

  public long safetyCapWeightBytes() {
    return safetyCapWeightBytes;
  }

  public int evictionBatch() {
    return evictionBatch;
  }

  public int dedupMaxClients() {
    return dedupMaxClients;
  }

  public int dedupWindow() {
    return dedupWindow;
  }

  /** The local wall clock (epoch ms) used to hide expired entries from local reads. */
  public LongSupplier wallClockMs() {
    return wallClockMs;
  }

  public CommandLimits limits() {
    return limits;
  }

  /**
   * The eviction proposer, or null if set later with {@link CacheStateMachine#evictionProposer}.
   */
  public EvictionProposer evictionProposer() {
    return evictionProposer;
  }

  /** Builds a {@link CacheStateMachineConfig}; each setting may be set once. */
  public static final class Builder {
    private long groupId;
    private long maximumEntries = Long.MAX_VALUE;
    private long maximumWeightBytes = DEFAULT_MAXIMUM_WEIGHT_BYTES;
    private long safetyCapWeightBytes;
    private int evictionBatch = DEFAULT_EVICTION_BATCH;
    private int dedupMaxClients = DEFAULT_DEDUP_MAX_CLIENTS;
    private int dedupWindow = DEFAULT_DEDUP_WINDOW;
    private LongSupplier wallClockMs = System::currentTimeMillis;
    private CommandLimits limits = CommandLimits.defaults();
    private EvictionProposer evictionProposer;
    private int set;

    private Builder() {}

    private void once(int bit, String name) {
      if ((set & bit) != 0) {
        throw new IllegalStateException(name + " was already set");
      }
      set |= bit;
    }

    private static long positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be > 0, was " + v);
      }
      return v;
    }

    /** The Raft group this state machine belongs to (for logs). */
    public Builder groupId(long id) {
      once(1, "groupId");
      this.groupId = id;
      return this;
    }

    /** Entry-count bound kept by leader-decided eviction (default: unbounded). */
    public Builder maximumEntries(long entries) {
      once(2, "maximumEntries");
      this.maximumEntries = positive("maximumEntries", entries);
      return this;
    }

    /** Weight bound in bytes kept by leader-decided eviction (default 256 MiB). */
    public Builder maximumWeightBytes(long bytes) {
      once(4, "maximumWeightBytes");
      this.maximumWeightBytes = positive("maximumWeightBytes", bytes);
      return this;
    }

    /** Hard per-replica memory cap in bytes (default twice maximumWeightBytes). */
    public Builder safetyCapWeightBytes(long bytes) {
      once(8, "safetyCapWeightBytes");
      this.safetyCapWeightBytes = positive("safetyCapWeightBytes", bytes);
      return this;
    }

    /** Victims per EVICT command, in [1, 65536] (default 256). */
    public Builder evictionBatch(int victims) {
      once(16, "evictionBatch");
      if (victims < 1 || victims > 65_536) {
        throw new IllegalArgumentException("evictionBatch must be in [1, 65536], was " + victims);
      }
      this.evictionBatch = victims;
      return this;
    }

    /** Deduplication bounds: clients remembered and results remembered per client. */
    public Builder dedup(int maxClients, int window) {
      once(32, "dedup");
      if (maxClients < 1 || window < 1 || window > 4096) {
        throw new IllegalArgumentException(
            "dedup needs maxClients >= 1 and window in [1, 4096], was maxClients="
                + maxClients
                + " window="
                + window);
      }
      this.dedupMaxClients = maxClients;
      this.dedupWindow = window;
      return this;
    }

    /** The local wall clock in epoch ms (default System::currentTimeMillis). */
    public Builder wallClockMs(LongSupplier clock) {
      once(64, "wallClockMs");
      if (clock == null) {
        throw new IllegalArgumentException("wallClockMs must not be null");
      }
      this.wallClockMs = clock;
      return this;
    }

    /** Limits for {@link CacheStateMachine#precheck} (default {@link CommandLimits#defaults()}). */
    public Builder limits(CommandLimits commandLimits) {
      once(128, "limits");
      if (commandLimits == null) {
        throw new IllegalArgumentException("limits must not be null");
      }
      this.limits = commandLimits;
      return this;
    }

    /** Where the leader sends its EVICT commands (may also be set later). */
    public Builder evictionProposer(EvictionProposer proposer) {
      once(256, "evictionProposer");
      this.evictionProposer = proposer;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException if the safety cap is below the weight bound
     */
    public CacheStateMachineConfig build() {
      return new CacheStateMachineConfig(this);
    }
  }
}
