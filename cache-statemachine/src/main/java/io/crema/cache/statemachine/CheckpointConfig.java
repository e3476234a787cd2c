package io.crema.cache.statemachine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * When and where checkpoints (snapshots) are written. Immutable; build with {@link #builder(Path)}.
 *
 * <p>Semantics: a checkpoint is due when at least {@code logThreshold} entries were applied since
 * the last one, or when {@code interval} has passed since the last one and at least one entry was
 * applied (an idle group writes none). {@code compression} selects LZ4 blocks or stored blocks;
 * both carry a CRC32 per block and a trailer checksum. The {@code retain} newest snapshots per
 * group are kept so that a corrupt newest one can fall back to an older one.
 */
public final class CheckpointConfig {
  /** Default entries between checkpoints. */
  public static final long DEFAULT_LOG_THRESHOLD = 100_000;

  /** Default time between checkpoints. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

  /** Default snapshots kept per group. */
  public static final int DEFAULT_RETAIN = 2;

  /** Default uncompressed block size: 128 KiB. */
  public static final int DEFAULT_BLOCK_BYTES = 128 * 1024;

  private final Path directory;
  private final long logThreshold;
  private final Duration interval;
  private final boolean compression;
  private final int retain;
  private final int blockBytes;

  private CheckpointConfig(Builder b) {
    this.directory = b.directory;
    this.logThreshold = b.logThreshold;
    this.interval = b.interval;
    this.compression = b.compression;
    this.retain = b.retain;
    this.blockBytes = b.blockBytes;
  }

  /** A builder for checkpoints in {@code directory} (created if missing). */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  public Path directory() {
    return directory;
  }

  public long logThreshold() {
    return logThreshold;
  }

  public Duration interval() {
    return interval;
  }

  public boolean compression() {
    return compression;
  }

  public int retain() {
    return retain;
  }

  public int blockBytes() {
    return blockBytes;
  }

  /**
   * Whether a checkpoint is due.
   *
   * @param entriesSinceLast entries applied since the last checkpoint
   * @param msSinceLast milliseconds since the last checkpoint (or since start)
   */
  public boolean isDue(long entriesSinceLast, long msSinceLast) {
    return entriesSinceLast >= logThreshold
        || (entriesSinceLast > 0 && msSinceLast >= interval.toMillis());
  }

  @Override
  public String toString() {
    return "CheckpointConfig{directory="
        + directory
        + ", logThreshold="
        + logThreshold
        + ", interval="
        + interval
        + ", compression="
        + compression
        + ", retain="
        + retain
        + ", blockBytes="
        + blockBytes
        + "}";
  }

  /** Builds a {@link CheckpointConfig}; each setting may be set once. */
  public static final class Builder {
    private final Path directory;
    private long logThreshold = DEFAULT_LOG_THRESHOLD;
    private Duration interval = DEFAULT_INTERVAL;
    private boolean compression = true;
    private int retain = DEFAULT_RETAIN;
    private int blockBytes = DEFAULT_BLOCK_BYTES;
    private int set;

    private Builder(Path directory) {
      if (directory == null) {
        throw new IllegalArgumentException("checkpoint directory must not be null");
      }
      this.directory = directory;
    }

    private void once(int bit, String name) {
      if ((set & bit) != 0) {
        throw new IllegalStateException(name + " was already set");
      }
      set |= bit;
    }

    /** Entries applied between checkpoints, at least 1. */
    public Builder logThreshold(long entries) {
      once(1, "logThreshold");
      if (entries < 1) {
        throw new IllegalArgumentException("logThreshold must be >= 1, was " + entries);
      }
      this.logThreshold = entries;
      return this;
    }

    /** Time between checkpoints of a group that applied something, at least 1 ms. */
    public Builder interval(Duration every) {
      once(2, "interval");
      if (every == null || every.toMillis() < 1) {
        throw new IllegalArgumentException("interval must be >= 1 ms, was " + every);
      }
      this.interval = every;
      return this;
    }

    /** LZ4 compression of blocks (default on). */
    public Builder compression(boolean on) {
      once(4, "compression");
      this.compression = on;
      return this;
    }

    /** Snapshots kept per group, at least 1 (default 2). */
    public Builder retain(int count) {
      once(8, "retain");
      if (count < 1) {
        throw new IllegalArgumentException("retain must be >= 1, was " + count);
      }
      this.retain = count;
      return this;
    }

    /** Uncompressed block size, in [4 KiB, 16 MiB] (default 128 KiB); bounds memory per stream. */
    public Builder blockBytes(int bytes) {
      once(16, "blockBytes");
      if (bytes < 4096 || bytes > 16 << 20) {
        throw new IllegalArgumentException("blockBytes must be in [4096, 16777216], was " + bytes);
      }
      this.blockBytes = bytes;
      return this;
    }

    public CheckpointConfig build() {
      return new CheckpointConfig(this);
    }
  }
}
