package io.crema.cache.statemachine;

/**
 * Limits checked before a command is proposed (see {@link CacheCommands}). Immutable; build with
 * {@link #builder()}.
 */
public final class CommandLimits {
  /** Default maximum key size: 64 KiB. */
  public static final int DEFAULT_MAX_KEY_BYTES = 64 * 1024;

  /** Default maximum value size: 1 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  /** Default minimum TTL: 1 ms. */
  public static final long DEFAULT_MIN_TTL_MS = 1;

  /** Default maximum TTL: 365 days. */
  public static final long DEFAULT_MAX_TTL_MS = 365L * 24 * 3600 * 1000;

  /** Largest accepted epoch-millisecond timestamp or expire-at (year 2262; fits log-time nanos). */
  public static final long MAX_EPOCH_MS = Long.MAX_VALUE / 1_000_000L - DEFAULT_MAX_TTL_MS * 100;

  private static final CommandLimits DEFAULTS = builder().build();

  private final int maxKeyBytes;
  private final int maxValueBytes;
  private final long minTtlMs;
  private final long maxTtlMs;

  private CommandLimits(Builder b) {
    this.maxKeyBytes = b.maxKeyBytes;
    this.maxValueBytes = b.maxValueBytes;
    this.minTtlMs = b.minTtlMs;
    this.maxTtlMs = b.maxTtlMs;
  }

  /** The defaults: keys up to 64 KiB, values up to 1 MiB, TTL from 1 ms to 365 days. */
  public static CommandLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  public long minTtlMs() {
    return minTtlMs;
  }

  public long maxTtlMs() {
    return maxTtlMs;
  }

  @Override
  public String toString() {
    return "CommandLimits{maxKeyBytes="
        + maxKeyBytes
        + ", maxValueBytes="
        + maxValueBytes
        + ", ttlMs=["
        + minTtlMs
        + ", "
        + maxTtlMs
        + "]}";
  }

  /** Builds {@link CommandLimits}; each setting may be set once. */
  public static final class Builder {
    private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private long minTtlMs = DEFAULT_MIN_TTL_MS;
    private long maxTtlMs = DEFAULT_MAX_TTL_MS;
    private int set;

    private Builder() {}

    private void once(int bit, String name) {
      if ((set & bit) != 0) {
        throw new IllegalStateException(name + " was already set");
      }
      set |= bit;
    }

    /** Maximum key size in bytes, in [1, 16 MiB]. */
    public Builder maxKeyBytes(int bytes) {
      once(1, "maxKeyBytes");
      if (bytes < 1 || bytes > 16 << 20) {
        throw new IllegalArgumentException("maxKeyBytes must be in [1, 16777216], was " + bytes);
      }
      this.maxKeyBytes = bytes;
      return this;
    }

    /** Maximum value size in bytes, in [0, 256 MiB]. */
    public Builder maxValueBytes(int bytes) {
      once(2, "maxValueBytes");
      if (bytes < 0 || bytes > 256 << 20) {
        throw new IllegalArgumentException("maxValueBytes must be in [0, 268435456], was " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    /** Accepted TTL range in ms (a TTL of 0 means "no expiry" and is always accepted). */
    public Builder ttlRangeMs(long minMs, long maxMs) {
      once(4, "ttlRangeMs");
      if (minMs < 1 || maxMs < minMs || maxMs > DEFAULT_MAX_TTL_MS * 100) {
        throw new IllegalArgumentException(
            "TTL range must satisfy 1 <= min <= max <= "
                + DEFAULT_MAX_TTL_MS * 100
                + ", was ["
                + minMs
                + ", "
                + maxMs
                + "]");
      }
      this.minTtlMs = minMs;
      this.maxTtlMs = maxMs;
      return this;
    }

    public CommandLimits build() {
      return new CommandLimits(this);
    }
  }
}
