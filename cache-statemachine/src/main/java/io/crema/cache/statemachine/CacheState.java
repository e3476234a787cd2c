package io.crema.cache.statemachine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of replicated state: a Caffeine cache on its own log-time ticker plus the
 * deduplication table. A restore builds a new generation and swaps it in whole, so a failed restore
 * leaves the old one untouched.
 *
 * <p>Caffeine is configured so that it never decides anything replicas could disagree on: its clock
 * is log time, expiry is the absolute expire-at of each value, maintenance runs on the calling
 * thread, and its size bound is only the hard safety cap (every such eviction is counted and logged
 * as an error).
 */
final class CacheState {
  private static final Logger LOG = LoggerFactory.getLogger(CacheState.class);

  final LogTicker ticker = new LogTicker();
  final BatchedMaintenance maintenance = new BatchedMaintenance();
  final Cache<Key, StoredValue> cache;
  final ConcurrentMap<Key, StoredValue> map;
  final Policy<Key, StoredValue> policy;
  final Policy.Eviction<Key, StoredValue> eviction;
  final DedupTable dedup;
  volatile long logTimeMs;
  volatile long appliedIndex;
  private static final SnapshotCapture[] NO_CAPTURES = new SnapshotCapture[0];
  private volatile SnapshotCapture[] captures = NO_CAPTURES;

  /** Counters shared by all generations of one state machine. */
  static final class Counters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder expirations = new LongAdder();
    final LongAdder safetyEvictions = new LongAdder();
    final AtomicLong evictions = new AtomicLong();
  }

  CacheState(CacheStateMachineConfig config, Counters counters, long logTimeMs, long appliedIndex) {
    this.logTimeMs = logTimeMs;
    this.appliedIndex = appliedIndex;
    ticker.setMs(logTimeMs);
    long groupId = config.groupId();
    long cap = config.safetyCapWeightBytes();
    this.cache =
        Caffeine.newBuilder()
            .executor(maintenance)
            .ticker(ticker)
            .maximumWeight(StoredValue.toUnits(cap))
            .weigher(StoredValue::weigh)
            .expireAfter(new AbsoluteExpiry())
            .evictionListener(
                (Key k, StoredValue v, RemovalCause cause) ->
                    onEvicted(counters, cause, groupId, cap))
            .build();
    this.map = cache.asMap();
    this.policy = cache.policy();
    this.eviction = policy.eviction().orElseThrow();
    this.dedup = new DedupTable(config.dedupMaxClients(), config.dedupWindow());
  }

  private static void onEvicted(Counters counters, RemovalCause cause, long groupId, long cap) {
    if (cause == RemovalCause.EXPIRED) {
      counters.expirations.increment();
    } else if (cause == RemovalCause.SIZE) {
      counters.safetyEvictions.increment();
      long n = counters.safetyEvictions.sum();
      if (n <= 10 || Long.bitCount(n) == 1) {
        LOG.error(
            "group {}: hard safety cap of {} bytes reached; this replica evicted an entry on its own"
                + " ({} so far) and may now diverge from its peers. The leader's evictions are not"
                + " keeping up: lower maximumWeightBytes, raise safetyCapWeightBytes, or check the"
                + " eviction proposer.",
            groupId,
            cap,
            n);
      }
    }
  }

  /** Starts copy-on-write for a snapshot being taken (apply thread). */
  void register(SnapshotCapture c) {
    SnapshotCapture[] cur = captures;
    SnapshotCapture[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
    next[cur.length] = c;
    captures = next;
    refreshClock(next);
    if (next.length > 4) {
      LOG.warn("{} snapshots are being written concurrently; each slows apply down", next.length);
    }
  }

  /** Drops the captures whose snapshot was written (apply thread, once per batch). */
  void releaseWrittenCaptures() {
    SnapshotCapture[] cur = captures;
    if (cur.length == 0) {
      return;
    }
    int live = 0;
    for (SnapshotCapture c : cur) {
      if (!c.isDone()) {
        live++;
      }
    }
    if (live == cur.length) {
      return;
    }
    SnapshotCapture[] next = new SnapshotCapture[live];
    int i = 0;
    for (SnapshotCapture c : cur) {
      if (!c.isDone()) {
        next[i++] = c;
      }
    }
    captures = next;
    refreshClock(next);
  }

  private void refreshClock(SnapshotCapture[] active) {
    long min = -1;
    for (SnapshotCapture c : active) {
      min = min < 0 ? c.logTimeMs : Math.min(min, c.logTimeMs);
    }
    ticker.freezeAt(min);
  }

  private void recordPreimage(Key k, StoredValue before) {
    for (SnapshotCapture c : captures) {
      c.beforeChange(k, before);
    }
  }

  private void beforeChange(Key k) {
    if (captures.length > 0) {
      recordPreimage(k, policy.getIfPresentQuietly(k));
    }
  }

  /** Stores a value (apply thread). */
  void write(Key k, StoredValue v) {
    beforeChange(k);
    cache.put(k, v);
  }

  /**
   * Whether the key {@code probe} is aimed at is live and may be written or removed through the
   * probe (apply thread): Caffeine then updates the existing entry and keeps its own key object,
   * never the probe; nothing removes entries in between, as maintenance runs on the apply thread
   * only. Not while a snapshot is capturing pre-images, which keep the key they are given.
   */
  boolean canOverwrite(Key probe) {
    return captures.length == 0 && policy.getIfPresentQuietly(probe) != null;
  }

  /** Removes a key (apply thread). */
  void remove(Key k) {
    beforeChange(k);
    map.remove(k);
  }

  /** Removes a key if it still maps to {@code expected} (apply thread); returns whether it did. */
  boolean remove(Key k, StoredValue expected) {
    beforeChange(k);
    return map.remove(k, expected);
  }

  /** The live value for key at log time {@code nowMs}, or null. No side effects on the policy. */
  StoredValue lookup(Key key, long nowMs) {
    StoredValue v = policy.getIfPresentQuietly(key);
    return v == null || v.isExpiredAt(nowMs) ? null : v;
  }

  void advanceTo(long tsMs) {
    if (tsMs > logTimeMs) {
      logTimeMs = tsMs;
      ticker.setMs(tsMs);
    }
  }

  /** Expiry at the absolute expire-at carried by each value, measured on the log-time ticker. */
  private static final class AbsoluteExpiry implements Expiry<Key, StoredValue> {
    private static long remaining(StoredValue v, long currentTimeNs) {
      if (v.expireAtMs == 0) {
        return Long.MAX_VALUE;
      }
      return Math.max(0, v.expireAtMs * 1_000_000L - currentTimeNs);
    }

    @Override
    public long expireAfterCreate(Key key, StoredValue value, long currentTime) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterUpdate(
        Key key, StoredValue value, long currentTime, long currentDuration) {
      return remaining(value, currentTime);
    }

    @Override
    public long expireAfterRead(
        Key key, StoredValue value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
