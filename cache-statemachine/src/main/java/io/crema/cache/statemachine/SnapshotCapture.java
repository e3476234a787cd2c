package io.crema.cache.statemachine;

import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One snapshot in progress, taken in O(1) on the apply thread and serialised later on any thread
 * while apply continues (copy-on-write at the key level).
 *
 * <p>At capture time it records the applied index and log time, copies the (bounded) deduplication
 * table, and registers itself with the {@link CacheState}. While registered, every change of a key
 * first records the key's value as of the capture (its "pre-image", or {@link #ABSENT}) here, once;
 * and Caffeine's clock is held at the capture's log time so that Caffeine does not hide or expire
 * entries the snapshot needs. The writer then emits (1) every live entry whose key has no pre-image
 * whose version is at most the captured index (a key changed since carries a newer version), and
 * (2) every present pre-image. An entry can be emitted twice (read live in (1), changed later,
 * emitted again from its pre-image with the same contents); restore overwrites, so that is
 * harmless.
 */
final class SnapshotCapture implements StateMachine.Snapshot {
  /** Pre-image of a key that did not exist at capture time. */
  static final StoredValue ABSENT = new StoredValue(new byte[0], -1, 0);

  final long index;
  final long logTimeMs;
  private final CacheState state;
  private final List<DedupTable.Session> sessions;
  private final ConcurrentHashMap<Key, StoredValue> preimages = new ConcurrentHashMap<>();
  private volatile boolean done;
  private boolean written;

  private SnapshotCapture(CacheState state) {
    this.state = state;
    this.index = state.appliedIndex;
    this.logTimeMs = state.logTimeMs;
    this.sessions = state.dedup.copySessions();
  }

  /** Captures the state as of now (apply thread). */
  static SnapshotCapture capture(CacheState s) {
    SnapshotCapture c = new SnapshotCapture(s);
    s.register(c);
    return c;
  }

  /** Records key's value as of the capture before it changes (any thread; first call wins). */
  void beforeChange(Key key, StoredValue current) {
    preimages.putIfAbsent(key, current == null ? ABSENT : current);
  }

  boolean isDone() {
    return done;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    synchronized (this) {
      if (written) {
        throw new IllegalStateException("a snapshot is written once");
      }
      written = true;
    }
    try {
      StateCodec.Writer w = StateCodec.begin(out, index, logTimeMs, sessions);
      for (Map.Entry<Key, StoredValue> e : state.map.entrySet()) {
        Key k = e.getKey();
        StoredValue v = e.getValue();
        // A key changed since the capture carries a newer version (the log index that wrote it),
        // so the version test alone skips it; its pre-image is written below.
        if (v.version <= index && !v.isExpiredAt(logTimeMs)) {
          w.entry(k, v);
        }
      }
      for (Map.Entry<Key, StoredValue> e : preimages.entrySet()) {
        StoredValue v = e.getValue();
        if (v != ABSENT && !v.isExpiredAt(logTimeMs)) {
          w.entry(e.getKey(), v);
        }
      }
      w.end();
    } finally {
      done = true;
    }
  }

  /** Builds a complete new state from snapshot data; the caller's state is not touched. */
  static CacheState restore(
      CacheStateMachineConfig config,
      CacheState.Counters counters,
      SnapshotMeta meta,
      InputStream data)
      throws IOException {
    if (meta == null || data == null) {
      throw new IllegalArgumentException("meta and data must not be null");
    }
    CacheState[] fresh = new CacheState[1];
    StateCodec.Header h =
        StateCodec.read(
            data,
            config.dedupWindow(),
            (applied, logTime) -> {
              CacheState s =
                  new CacheState(config, counters, logTime, Math.max(applied, meta.index()));
              fresh[0] = s;
              return (key, value) -> {
                if (!value.isExpiredAt(logTime)) {
                  s.cache.put(key, value);
                }
              };
            });
    CacheState s = fresh[0];
    s.maintenance.run();
    for (DedupTable.Session ses : h.sessions()) {
      s.dedup.restore(ses);
    }
    return s;
  }
}
