package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.CommandFormat.*;

import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Caffeine-backed {@link CacheStateMachine}. */
final class DefaultCacheStateMachine implements CacheStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultCacheStateMachine.class);

  private final CacheStateMachineConfig config;
  private final LongSupplier wallClockMs;
  private final CacheState.Counters counters = new CacheState.Counters();
  private final CommandReader reader = new CommandReader();
  private final Key keyProbe = Key.probe();
  private final CommandReader.EvictCursor evictCursor = new CommandReader.EvictCursor();
  private final EvictionPlanner planner;
  private final CacheCommands validator;
  private volatile CacheState state;
  private volatile EvictionProposer proposer;
  private volatile boolean leader;

  DefaultCacheStateMachine(CacheStateMachineConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    this.wallClockMs = config.wallClockMs();
    this.planner = new EvictionPlanner(config);
    this.validator = CacheCommands.create(config.limits());
    this.proposer = config.evictionProposer();
    this.state = new CacheState(config, counters, 0, 0);
  }

  @Override
  public void apply(List<Entry> entries, Object[] results) {
    CacheState s = state;
    s.releaseWrittenCaptures();
    int n = entries.size();
    long last = s.appliedIndex;
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      byte[] d = e.data();
      last = e.index();
      results[i] = d.length == 0 ? null : applyOne(s, last, d);
    }
    s.appliedIndex = last;
    s.maintenance.run();
    EvictionProposer p = proposer;
    if (leader && p != null && n > 0) {
      planner.plan(s.eviction, s.cache.estimatedSize(), last, s.logTimeMs, p);
    }
  }

  private CacheResult applyOne(CacheState s, long index, byte[] d) {
    CommandReader r = reader;
    try {
      r.wrap(d);
    } catch (IllegalArgumentException ex) {
      throw new IllegalStateException(
          "committed entry " + index + " is not a valid cache command: " + ex.getMessage(), ex);
    }
    s.advanceTo(r.timestampMs);
    if (!r.hasRequestId()) {
      return execute(s, index, r);
    }
    DedupTable.Session session = s.dedup.session(r.clientId, r.ackedSeq);
    if (r.seq <= session.floor) {
      return CacheResult.Status.STALE_REQUEST;
    }
    CacheResult previous = session.find(r.seq);
    if (previous != null) {
      return previous;
    }
    CacheResult result = execute(s, index, r);
    session.record(r.seq, result);
    return result;
  }

  private CacheResult execute(CacheState s, long index, CommandReader r) {
    long now = s.logTimeMs;
    switch (r.op) {
      case OP_PUT:
        put(s, r, index, now);
        return CacheResult.Status.OK;
      case OP_PUT_IF_ABSENT:
        {
          Key k = key(r);
          StoredValue cur = s.lookup(k, now);
          if (cur != null) {
            return new CacheResult.Conflict(cur.version);
          }
          storeValueOf(s, k, r, index, now);
          return CacheResult.Status.OK;
        }
      case OP_CAS_VALUE:
        {
          Key k = key(r);
          StoredValue cur = s.lookup(k, now);
          if (cur == null || !cur.contentEquals(r.data, r.expectedOff, r.expectedLen)) {
            return new CacheResult.Conflict(cur == null ? 0 : cur.version);
          }
          storeValueOf(s, k, r, index, now);
          return CacheResult.Status.OK;
        }
      case OP_CAS_VERSION:
        {
          Key k = key(r);
          StoredValue cur = s.lookup(k, now);
          long curVersion = cur == null ? 0 : cur.version;
          if (curVersion != r.longArg) {
            return new CacheResult.Conflict(curVersion);
          }
          storeValueOf(s, k, r, index, now);
          return CacheResult.Status.OK;
        }
      case OP_DELETE:
        {
          Key k = key(r);
          if (s.lookup(k, now) == null) {
            return CacheResult.Status.NOT_FOUND;
          }
          s.remove(k);
          return CacheResult.Status.OK;
        }
      case OP_INCREMENT:
        return increment(s, index, r, now);
      case OP_TICK:
        return CacheResult.Status.OK;
      case OP_EVICT:
        return evict(s, r);
      default:
        throw new IllegalStateException("unknown opcode " + r.op + " at entry " + index);
    }
  }

  private static Key key(CommandReader r) {
    return Key.view(r.data, r.keyOff, r.keyLen);
  }

  /**
   * Writes the command's value under {@code k} (a view of the same command). Key and value go on
   * sharing the command's array, which is never written again, unless it is much larger than the
   * two (a command carrying more than one write), which a stored entry must not keep alive: then
   * one compact copy of the two.
   */
  private static void storeValueOf(CacheState s, Key k, CommandReader r, long version, long now) {
    byte[] data = r.data;
    int valueOff = r.valueOff;
    int valueLen = r.valueLen;
    if (data.length - k.length() - valueLen > Key.MAX_SHARED_SLACK) {
      byte[] packed = new byte[k.length() + valueLen];
      k.copyTo(packed, 0);
      System.arraycopy(data, valueOff, packed, k.length(), valueLen);
      k = k.rebase(packed, 0);
      data = packed;
      valueOff = k.length();
    }
    store(s, k, new StoredValue(data, valueOff, valueLen, version, r.expireAtMs), now);
  }

  /**
   * A plain PUT. Overwriting a live key makes no key object: the key is found with the reusable
   * probe and the cache keeps the key it holds (an overwrite is the common write; a new key object
   * per write was the largest allocation left on the apply path), so only the value is taken from
   * the command. A new key, or any key while a snapshot is capturing pre-images, takes the general
   * path.
   */
  private void put(CacheState s, CommandReader r, long version, long now) {
    Key probe = keyProbe.aim(r.data, r.keyOff, r.keyLen);
    if (s.canOverwrite(probe)) {
      store(s, probe, valueOnly(r, version), now);
    } else {
      storeValueOf(s, key(r), r, version, now);
    }
  }

  /**
   * The command's value alone: a view of the command, or a copy when the rest of the command (its
   * key included, which is not kept) is more than {@link Key#MAX_SHARED_SLACK} bytes.
   */
  private static StoredValue valueOnly(CommandReader r, long version) {
    if (r.data.length - r.valueLen > Key.MAX_SHARED_SLACK) {
      byte[] copy = java.util.Arrays.copyOfRange(r.data, r.valueOff, r.valueOff + r.valueLen);
      return new StoredValue(copy, version, r.expireAtMs);
    }
    return new StoredValue(r.data, r.valueOff, r.valueLen, version, r.expireAtMs);
  }

  /** Writes a value; a value already expired at log time {@code now} removes the key instead. */
  private static void store(CacheState s, Key k, StoredValue v, long now) {
    if (v.isExpiredAt(now)) {
      s.remove(k);
    } else {
      s.write(k, v);
    }
  }

  private CacheResult increment(CacheState s, long index, CommandReader r, long now) {
    Key k = key(r);
    StoredValue cur = s.lookup(k, now);
    long base = 0;
    if (cur != null) {
      if (!cur.isCounter()) {
        return CacheResult.Status.NOT_A_COUNTER;
      }
      base = cur.counter();
    }
    long next;
    try {
      next = Math.addExact(base, r.longArg);
    } catch (ArithmeticException ex) {
      return CacheResult.Status.OVERFLOW;
    }
    byte[] bytes = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
    store(
        s,
        k.compact(),
        new StoredValue(bytes, index, cur != null ? cur.expireAtMs : r.expireAtMs),
        now);
    return new CacheResult.Counter(next);
  }

  private CacheResult evict(CacheState s, CommandReader r) {
    CommandReader.EvictCursor c = evictCursor;
    c.start(r);
    for (int i = 0; i < r.evictCount; i++) {
      c.next();
      Key k = Key.view(r.data, c.keyOff, c.keyLen);
      StoredValue cur = s.policy.getIfPresentQuietly(k);
      if (cur != null && (c.version == 0 || cur.version == c.version) && s.remove(k, cur)) {
        counters.evictions.incrementAndGet();
      }
      planner.onEvictApplied(k);
    }
    return CacheResult.Status.OK;
  }

  @Override
  public Snapshot snapshot() {
    return SnapshotCapture.capture(state);
  }

  @Override
  public void restore(SnapshotMeta meta, InputStream data) throws IOException {
    CacheState fresh = SnapshotCapture.restore(config, counters, meta, data);
    planner.reset();
    state = fresh;
    LOG.info(
        "group {}: restored snapshot at index {} ({} entries, {} client sessions)",
        config.groupId(),
        fresh.appliedIndex,
        fresh.cache.estimatedSize(),
        fresh.dedup.size());
  }

  @Override
  public void onRoleChange(boolean isLeader, long term) {
    planner.reset();
    leader = isLeader;
  }

  @Override
  public byte[] get(byte[] key) {
    StoredValue v = read(key);
    return v == null ? null : v.copy();
  }

  @Override
  public VersionedValue getVersioned(byte[] key) {
    StoredValue v = read(key);
    return v == null ? null : new VersionedValue(v.copy(), v.version, v.expireAtMs);
  }

  private StoredValue read(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    CacheState s = state;
    StoredValue v = s.cache.getIfPresent(new Key(key));
    if (v == null || v.isExpiredAt(Math.max(wallClockMs.getAsLong(), s.logTimeMs))) {
      counters.misses.increment();
      return null;
    }
    counters.hits.increment();
    return v;
  }

  @Override
  public void precheck(byte[] command) {
    validator.validate(command);
    CommandReader r = new CommandReader().wrap(command);
    if (r.op == OP_INCREMENT) {
      CacheState s = state;
      StoredValue cur = s.lookup(Key.copyOf(r.data, r.keyOff, r.keyLen), s.logTimeMs);
      if (cur != null && !cur.isCounter()) {
        throw new InvalidCommandException(
            "cannot increment: the key holds a "
                + cur.length()
                + "-byte value that is not a decimal 64-bit integer");
      }
    }
  }

  @Override
  public void evictionProposer(EvictionProposer p) {
    this.proposer = p;
  }

  @Override
  public long appliedIndex() {
    return state.appliedIndex;
  }

  @Override
  public long logTimeMs() {
    return state.logTimeMs;
  }

  @Override
  public CacheStats stats() {
    CacheState s = state;
    return new CacheStats(
        counters.hits.sum(),
        counters.misses.sum(),
        s.cache.estimatedSize(),
        s.eviction.weightedSize().orElse(0L) * StoredValue.WEIGHT_UNIT_BYTES,
        counters.evictions.get(),
        counters.safetyEvictions.sum(),
        counters.expirations.sum());
  }

  /** Pending leader evictions (for tests). */
  int pendingEvictions() {
    return planner.pendingCount();
  }

  /** Live entries at log time, for tests: the logical contents. */
  CacheState currentState() {
    return state;
  }
}
