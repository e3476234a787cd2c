package io.crema.wal;

import java.nio.file.Path;
import java.util.Objects;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Settings of a {@link ChronicleLogStore}. Immutable; made with {@link #builder(Path)}, which
 * validates every setting and rejects a setting given twice.
 */
public final class ChronicleLogConfig {
  /** Default number of recent entries kept in memory per group for replication reads. */
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 4096;

  /** Default bytes ({@code Entry.sizeBytes()}) of recent entries kept in memory per group. */
  public static final long DEFAULT_CACHE_MAX_BYTES = 4L << 20;

  /** Default and upper bound of a single entry's payload. */
  public static final int DEFAULT_MAX_ENTRY_BYTES = 4 << 20;

  /** The largest payload this log accepts at all (Chronicle's message size limit, with margin). */
  public static final int MAX_ENTRY_BYTES_LIMIT = 12 << 20;

  /** Default roll cycle: one file per hour, so compaction can free space hourly. */
  public static final RollCycle DEFAULT_ROLL_CYCLE = RollCycles.FAST_HOURLY;

  private final Path directory;
  private final SyncPolicy syncPolicy;
  private final long syncIntervalMs;
  private final RollCycle rollCycle;
  private final int cacheMaxEntries;
  private final long cacheMaxBytes;
  private final int maxEntryBytes;
  private final TimeProvider timeProvider;

  private ChronicleLogConfig(Builder b) {
    this.directory = b.directory;
    this.syncPolicy = b.syncPolicy == null ? SyncPolicy.EVERY_BATCH : b.syncPolicy;
    this.syncIntervalMs = b.syncIntervalMs;
    this.rollCycle = b.rollCycle == null ? DEFAULT_ROLL_CYCLE : b.rollCycle;
    this.cacheMaxEntries = b.cacheMaxEntries < 0 ? DEFAULT_CACHE_MAX_ENTRIES : b.cacheMaxEntries;
    this.cacheMaxBytes = b.cacheMaxBytes < 0 ? DEFAULT_CACHE_MAX_BYTES : b.cacheMaxBytes;
    this.maxEntryBytes = b.maxEntryBytes < 0 ? DEFAULT_MAX_ENTRY_BYTES : b.maxEntryBytes;
    this.timeProvider = b.timeProvider == null ? SystemTimeProvider.INSTANCE : b.timeProvider;
  }

  /**
   * Starts a configuration for a log in {@code directory} (created if missing).
   *
   * @throws NullPointerException if directory is null
   */
  public static Builder builder(Path directory) {
    return new Builder(Objects.requireNonNull(directory, "directory"));
  }

  /** The data directory: Chronicle's {@code .cq4} files, its metadata and the lock file. */
  public Path directory() {
    return directory;
  }

  public SyncPolicy syncPolicy() {
    return syncPolicy;
  }

  /** For {@link SyncPolicy#INTERVAL}: the most time between two msyncs; 0 for other policies. */
  public long syncIntervalMs() {
    return syncIntervalMs;
  }

  /** How often Chronicle starts a new file; compaction deletes whole files. */
  public RollCycle rollCycle() {
    return rollCycle;
  }

  /** Most entries kept in memory per group (0 = no cache: every read goes to the queue). */
  public int cacheMaxEntries() {
    return cacheMaxEntries;
  }

  /** Most bytes of entries kept in memory per group. */
  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  /** The largest entry payload accepted; larger ones fail the batch with an exception. */
  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  /** The clock Chronicle rolls files by (tests drive it to roll files). */
  public TimeProvider timeProvider() {
    return timeProvider;
  }

  @Override
  public String toString() {
    return "ChronicleLogConfig{dir="
        + directory
        + ", sync="
        + syncPolicy
        + (syncPolicy == SyncPolicy.INTERVAL ? " every " + syncIntervalMs + " ms" : "")
        + ", roll="
        + rollCycle
        + ", cache="
        + cacheMaxEntries
        + " entries/"
        + cacheMaxBytes
        + " B per group, maxEntry="
        + maxEntryBytes
        + " B}";
  }

  /** Builds a {@link ChronicleLogConfig}; each setting may be given once. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private SyncPolicy syncPolicy;
    private long syncIntervalMs;
    private RollCycle rollCycle;
    private int cacheMaxEntries = -1;
    private long cacheMaxBytes = -1;
    private int maxEntryBytes = -1;
    private TimeProvider timeProvider;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /**
     * Sync every batch (the default): what {@code sync()} returned for survives power loss.
     *
     * @throws IllegalStateException if a sync policy was already set
     */
    public Builder syncEveryBatch() {
      return syncPolicy(SyncPolicy.EVERY_BATCH, 0);
    }

    /**
     * Msync at most every {@code intervalMs} milliseconds (see {@link SyncPolicy#INTERVAL}).
     *
     * @throws IllegalArgumentException if intervalMs is not positive
     * @throws IllegalStateException if a sync policy was already set
     */
    public Builder syncIntervalMs(long intervalMs) {
      if (intervalMs <= 0) {
        throw new IllegalArgumentException("sync interval must be > 0 ms, was " + intervalMs);
      }
      return syncPolicy(SyncPolicy.INTERVAL, intervalMs);
    }

    /**
     * Never msync: UNSAFE for Raft, see {@link SyncPolicy#NEVER}.
     *
     * @throws IllegalStateException if a sync policy was already set
     */
    public Builder syncNeverUnsafe() {
      return syncPolicy(SyncPolicy.NEVER, 0);
    }

    private Builder syncPolicy(SyncPolicy policy, long intervalMs) {
      if (syncPolicy != null) {
        throw new IllegalStateException("sync policy was already set to " + syncPolicy);
      }
      syncPolicy = policy;
      syncIntervalMs = intervalMs;
      return this;
    }

    /**
     * The roll cycle (default {@link #DEFAULT_ROLL_CYCLE}).
     *
     * @throws NullPointerException if rollCycle is null
     * @throws IllegalStateException if already set
     */
    public Builder rollCycle(RollCycle rollCycle) {
      Objects.requireNonNull(rollCycle, "rollCycle");
      if (this.rollCycle != null) {
        throw new IllegalStateException("roll cycle was already set to " + this.rollCycle);
      }
      this.rollCycle = rollCycle;
      return this;
    }

    /**
     * Bounds the per-group cache of recent entries (defaults {@link #DEFAULT_CACHE_MAX_ENTRIES},
     * {@link #DEFAULT_CACHE_MAX_BYTES}).
     *
     * @throws IllegalArgumentException if maxEntries or maxBytes is negative
     * @throws IllegalStateException if already set
     */
    public Builder entryCache(int maxEntries, long maxBytes) {
      if (maxEntries < 0) {
        throw new IllegalArgumentException("cache max entries must be >= 0, was " + maxEntries);
      }
      if (maxBytes < 0) {
        throw new IllegalArgumentException("cache max bytes must be >= 0, was " + maxBytes);
      }
      if (cacheMaxEntries >= 0) {
        throw new IllegalStateException("entry cache was already set to " + cacheMaxEntries);
      }
      cacheMaxEntries = maxEntries;
      cacheMaxBytes = maxBytes;
      return this;
    }

    /**
     * The largest entry payload accepted (default {@link #DEFAULT_MAX_ENTRY_BYTES}).
     *
     * @throws IllegalArgumentException unless 0 &lt; bytes &lt;= {@link #MAX_ENTRY_BYTES_LIMIT}
     * @throws IllegalStateException if already set
     */
    public Builder maxEntryBytes(int bytes) {
      if (bytes <= 0 || bytes > MAX_ENTRY_BYTES_LIMIT) {
        throw new IllegalArgumentException(
            "max entry bytes must be in 1.." + MAX_ENTRY_BYTES_LIMIT + ", was " + bytes);
      }
      if (maxEntryBytes >= 0) {
        throw new IllegalStateException("max entry bytes was already set to " + maxEntryBytes);
      }
      maxEntryBytes = bytes;
      return this;
    }

    /**
     * The clock Chronicle rolls files by (default: the system clock).
     *
     * @throws NullPointerException if timeProvider is null
     * @throws IllegalStateException if already set
     */
    public Builder timeProvider(TimeProvider timeProvider) {
      Objects.requireNonNull(timeProvider, "timeProvider");
      if (this.timeProvider != null) {
        throw new IllegalStateException("time provider was already set");
      }
      this.timeProvider = timeProvider;
      return this;
    }

    /** Returns the validated configuration. */
    public ChronicleLogConfig build() {
      return new ChronicleLogConfig(this);
    }
  }
}
