package io.crema.cache.statemachine;

import com.github.benmanes.caffeine.cache.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's eviction decisions. After each applied batch, if the cache is over its entry or
 * weight bound (counting victims already proposed but not yet applied as gone), it asks Caffeine's
 * W-TinyLFU policy for the coldest entries (the policy is fed by this leader's reads and the
 * applied writes), and proposes them, with the versions it saw, as one EVICT command. Replicas
 * apply EVICT like any other command, so they all remove the same keys at the same log index; an
 * EVICT whose key was rewritten since (another version) is a no-op. Apply thread only.
 */
final class EvictionPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(EvictionPlanner.class);

  /** Pending victims older than this many applied entries are assumed lost and forgotten. */
  static final long PENDING_TIMEOUT_ENTRIES = 100_000;

  private final long maxEntries;
  private final long maxWeight; // in StoredValue.WEIGHT_UNIT_BYTES units, as Caffeine counts
  private final int batch;
  private final Map<Key, Integer> pending = new HashMap<>();
  private long pendingWeight;
  private long pendingSinceIndex;

  EvictionPlanner(CacheStateMachineConfig config) {
    this.maxEntries = config.maximumEntries();
    this.maxWeight = StoredValue.toUnits(config.maximumWeightBytes());
    this.batch = config.evictionBatch();
  }

  /** Forgets pending victims (role change, restore). */
  void reset() {
    pending.clear();
    pendingWeight = 0;
  }

  /** An applied EVICT named this key: it is no longer pending, whatever the outcome. */
  void onEvictApplied(Key key) {
    Integer w = pending.remove(key);
    if (w != null) {
      pendingWeight -= w;
    }
  }

  int pendingCount() {
    return pending.size();
  }

  /** Proposes evictions if over capacity; returns the number of victims proposed. */
  int plan(
      Policy.Eviction<Key, StoredValue> eviction,
      long estimatedSize,
      long appliedIndex,
      long logTimeMs,
      EvictionProposer proposer) {
    if (!pending.isEmpty() && appliedIndex - pendingSinceIndex > PENDING_TIMEOUT_ENTRIES) {
      LOG.warn(
          "{} proposed evictions not applied after {} entries; proposing again",
          pending.size(),
          PENDING_TIMEOUT_ENTRIES);
      reset();
    }
    long weight = eviction.weightedSize().orElse(0L);
    long excessEntries = estimatedSize - pending.size() - maxEntries;
    long excessWeight = weight - pendingWeight - maxWeight;
    if (excessEntries <= 0 && excessWeight <= 0) {
      return 0;
    }
    if (pending.size() >= 4 * batch) {
      return 0; // back-pressure: wait for earlier proposals to apply
    }
    Map<Key, StoredValue> coldest = eviction.coldest(pending.size() + batch);
    List<Key> keys = new ArrayList<>();
    long[] versions = new long[batch];
    for (Map.Entry<Key, StoredValue> e : coldest.entrySet()) {
      if (keys.size() == batch || (excessEntries <= 0 && excessWeight <= 0)) {
        break;
      }
      Key k = e.getKey();
      if (pending.containsKey(k)) {
        continue;
      }
      int w = StoredValue.weigh(k, e.getValue());
      versions[keys.size()] = e.getValue().version;
      keys.add(k);
      if (pending.isEmpty()) {
        pendingSinceIndex = appliedIndex;
      }
      pending.put(k, w);
      pendingWeight += w;
      excessEntries--;
      excessWeight -= w;
    }
    if (keys.isEmpty()) {
      return 0;
    }
    try {
      proposer.propose(CacheCommands.evict(logTimeMs, keys, versions));
    } catch (RuntimeException ex) {
      LOG.warn("eviction proposer failed; will retry on a later batch", ex);
      reset();
      return 0;
    }
    return keys.size();
  }
}
