package io.crema.cache.statemachine;

/**
 * The outcome of applying one cache command; identical on every replica that applied the same log.
 * Apply never throws for a validated command: conditions that depend on the state at apply time (a
 * failed compare-and-set, an increment of a non-counter) are results, not errors.
 */
public sealed interface CacheResult
    permits CacheResult.Status, CacheResult.Counter, CacheResult.Conflict {

  /** Results without data. */
  enum Status implements CacheResult {
    /** The command took effect (put, delete of a present key, successful CAS, tick, evict). */
    OK,
    /** Delete of an absent (or expired) key: nothing changed. */
    NOT_FOUND,
    /** Increment of a value that is not a decimal 64-bit integer: nothing changed. */
    NOT_A_COUNTER,
    /** Increment would overflow a signed 64-bit integer: nothing changed. */
    OVERFLOW,
    /**
     * A request whose sequence number is at or below what the client acknowledged or what the
     * bounded deduplication window still remembers: not applied now (it may have been applied
     * before; its result is no longer known).
     */
    STALE_REQUEST
  }

  /** The new value of a counter after an increment. */
  record Counter(long value) implements CacheResult {}

  /**
   * A conditional write (put-if-absent, compare-and-set) whose condition did not hold: nothing
   * changed.
   *
   * @param currentVersion the key's version (log index that last wrote it), 0 if absent
   */
  record Conflict(long currentVersion) implements CacheResult {}
}
