package io.crema.cache.statemachine;

/**
 * An immutable snapshot of a replica's cache statistics. Hits and misses count local reads on this
 * replica only; evictions count leader-decided (replicated) evictions applied here; safety
 * evictions count entries this replica removed on its own because the hard memory cap was reached
 * (each one is a potential divergence and is logged); expirations count entries physically removed
 * after their expire-at (removal timing is local, the logical contents are not).
 *
 * @param hitCount local reads that found a live entry
 * @param missCount local reads that found nothing (absent or expired)
 * @param entryCount approximate number of entries held, including expired ones not yet removed
 * @param weightedSize approximate bytes held (keys, values and a fixed per-entry overhead)
 * @param evictionCount entries removed by replicated EVICT commands
 * @param safetyEvictionCount entries removed by this replica's hard memory cap
 * @param expirationCount entries removed because they expired
 */
public record CacheStats(
    long hitCount,
    long missCount,
    long entryCount,
    long weightedSize,
    long evictionCount,
    long safetyEvictionCount,
    long expirationCount) {

  /** Hits plus misses. */
  public long requestCount() {
    return hitCount + missCount;
  }

  /** Hits over requests, 1.0 when there were no requests. */
  public double hitRate() {
    long requests = requestCount();
    return requests == 0 ? 1.0 : (double) hitCount / requests;
  }
}
