package io.crema.cache;

import io.crema.cache.statemachine.CacheCommands;
import io.crema.cache.statemachine.CacheResult;
import io.crema.cache.statemachine.CacheStateMachine;
import io.crema.cache.statemachine.CacheStats;
import io.crema.cache.statemachine.RequestId;
import io.crema.multiraft.MultiRaftCoordinator;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.RaftOperationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link DistributedCache} of one node: validation, request ids, retries, error mapping. */
final class CremaCache implements DistributedCache {
  private static final Logger LOG = LoggerFactory.getLogger(CremaCache.class);
  private static final int NEW = 0;
  private static final int STARTED = 1;
  private static final int SHUT_DOWN = 2;

  private final CacheConfig config;
  private final CacheCommands commands;
  private final ClientSession session;
  private final CacheNode node;
  private final AtomicInteger state = new AtomicInteger(NEW);
  private final LongAdder proposals = new LongAdder();
  private final ConcurrentHistogram latencyNs = new ConcurrentHistogram(3_600_000_000_000L, 3);
  private final long timeoutNs;

  CremaCache(CacheConfig config) {
    if (config == null) {
      throw new InvalidRequestException("config must not be null");
    }
    this.config = config;
    this.commands = CacheNode.commands(config);
    this.session = new ClientSession(CacheNode.MAX_WRITES_IN_FLIGHT);
    this.node = new CacheNode(config, commands);
    this.timeoutNs = config.requestTimeout().toNanos();
  }

  @Override
  public CompletableFuture<Void> start() {
    if (!state.compareAndSet(NEW, STARTED)) {
      throw new CacheShutdownException(
          "node "
              + config.nodeId()
              + " was already "
              + (state.get() == STARTED ? "started" : "shut down"));
    }
    return node.start();
  }

  @Override
  public long nodeId() {
    return config.nodeId();
  }

  private void checkOpen() {
    int s = state.get();
    if (s != STARTED) {
      throw new CacheShutdownException(
          s == NEW
              ? "node " + config.nodeId() + " is not started: call start() first"
              : "node " + config.nodeId() + " is shut down");
    }
  }

  private static byte[] key(byte[] key) {
    if (key == null) {
      throw new InvalidRequestException("key must not be null");
    }
    return key;
  }

  private static byte[] value(byte[] value, String what) {
    if (value == null) {
      throw new InvalidRequestException(what + " must not be null");
    }
    return value;
  }

  private static long ttlMs(Duration ttl) {
    if (ttl == null || ttl.isNegative()) {
      throw new InvalidRequestException("ttl must be zero (no expiry) or positive, was " + ttl);
    }
    return ttl.toMillis();
  }

  private long now() {
    return System.currentTimeMillis();
  }

  // -----------------------------------------------------------------------------------------------
  // Writes

  /** Encodes (validating), proposes with a request id, retries while safe, maps the outcome. */
  private <T> CompletableFuture<T> write(
      byte[] key, Function<RequestId, byte[]> encode, Function<CacheResult, T> outcome) {
    checkOpen();
    ClientSession.Lane lane = session.next();
    byte[] command;
    try {
      command = encode.apply(lane.current);
    } catch (IllegalArgumentException e) {
      session.done(lane);
      throw new InvalidRequestException(e.getMessage(), e);
    }
    proposals.increment();
    Write<T> w = new Write<>(key, command, outcome, lane, System.nanoTime());
    node.coordinator().propose(key, command).whenComplete(w);
    return w;
  }

  /**
   * One write: the future the caller gets and the handler of each attempt's outcome, in one object
   * (a write completes on the event loop; a future and a callback fewer per write is CPU there).
   * The lane is freed when the write has its outcome, whoever completes the returned future first.
   */
  private final class Write<T> extends CompletableFuture<T>
      implements java.util.function.BiConsumer<Object, Throwable> {
    private final byte[] key;
    private final byte[] command;
    private final Function<CacheResult, T> outcome;
    private final ClientSession.Lane lane;
    private final long start;

    Write(
        byte[] key,
        byte[] command,
        Function<CacheResult, T> outcome,
        ClientSession.Lane lane,
        long start) {
      this.key = key;
      this.command = command;
      this.outcome = outcome;
      this.lane = lane;
      this.start = start;
    }

    /** An attempt's outcome. */
    @Override
    public void accept(Object r, Throwable error) {
      if (error == null) {
        T value;
        try {
          value = outcome.apply((CacheResult) r);
        } catch (CacheException e) {
          finish(null, e);
          return;
        }
        finish(value, null);
        return;
      }
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      long stillLeftNs = timeoutNs - (System.nanoTime() - start);
      if (stillLeftNs > 0
          && state.get() == STARTED
          && cause instanceof RaftOperationException
          && retryableAcrossLeaders((RaftOperationException) cause)) {
        // Same bytes, same request id: replicas apply it at most once. The retry gets what is left
        // of the first attempt's deadline, no more, so a write fails within about requestTimeout
        // however many leaders it tried.
        node.coordinator()
            .propose(key, command, java.time.Duration.ofNanos(stillLeftNs))
            .whenComplete(this);
      } else {
        finish(null, translate(cause));
      }
    }

    private void finish(T value, Throwable error) {
      session.done(lane);
      latencyNs.recordValue(Math.max(0, System.nanoTime() - start));
      if (error == null) {
        super.complete(value);
      } else {
        super.completeExceptionally(error);
      }
    }
  }

  private static boolean retryableAcrossLeaders(RaftOperationException e) {
    switch (e.reason()) {
      case SUPERSEDED:
      case TIMEOUT:
      case NOT_LEADER:
      case NO_LEADER:
      case LEADER_TRANSFER:
        return true;
      default:
        return false;
    }
  }

  /** Maps internal failures to the cache's exceptions (never a raw internal exception). */
  static CacheException translate(Throwable t) {
    if (t instanceof CacheException) {
      return (CacheException) t;
    }
    if (!(t instanceof RaftOperationException)) {
      return new CacheTimeoutException(
          "the request failed internally (" + t + "); it may or may not have been applied", t);
    }
    RaftOperationException e = (RaftOperationException) t;
    switch (e.reason()) {
      case NOT_LEADER:
      case NO_LEADER:
      case LEADER_TRANSFER:
        return new NoLeaderException(
            "no leader of the key's shard could be reached in time (" + e.getMessage() + ")", e);
      case BACK_PRESSURE:
        return new CacheOverloadedException(e.getMessage(), e);
      case INVALID:
        return new InvalidRequestException(e.getMessage(), e);
      case SHUT_DOWN:
        return new CacheShutdownException(
            e.getMessage() + "; a write in flight may or may not have been applied", e);
      default:
        return new CacheTimeoutException(
            "no outcome in time ("
                + e.getMessage()
                + "); the write may or may not have been applied",
            e);
    }
  }

  private static void requireOk(CacheResult r, String what) {
    if (r == CacheResult.Status.STALE_REQUEST) {
      throw new CacheTimeoutException(
          what
              + ": a retry came too late to learn its result; it may or may not have been applied");
    }
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value) {
    return put(key, value, config.defaultTtl());
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value, Duration ttl) {
    byte[] k = key(key);
    byte[] v = value(value, "value");
    long ttl0 = ttlMs(ttl);
    return write(
        k,
        id -> commands.put(k, v, ttl0, now(), id),
        r -> {
          requireOk(r, "put");
          return null;
        });
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(byte[] key, byte[] value) {
    byte[] k = key(key);
    byte[] v = value(value, "value");
    long ttl0 = ttlMs(config.defaultTtl());
    return write(
        k,
        id -> commands.putIfAbsent(k, v, ttl0, now(), id),
        r -> {
          requireOk(r, "putIfAbsent");
          return r == CacheResult.Status.OK;
        });
  }

  @Override
  public CompletableFuture<Boolean> compareAndSet(byte[] key, byte[] expected, byte[] newValue) {
    byte[] k = key(key);
    byte[] v = value(newValue, "newValue");
    long ttl0 = ttlMs(config.defaultTtl());
    return write(
        k,
        id ->
            expected == null
                ? commands.putIfAbsent(k, v, ttl0, now(), id)
                : commands.compareAndSetValue(k, expected, v, ttl0, now(), id),
        r -> {
          requireOk(r, "compareAndSet");
          return r == CacheResult.Status.OK;
        });
  }

  @Override
  public CompletableFuture<Long> increment(byte[] key, long delta) {
    byte[] k = key(key);
    long ttl0 = ttlMs(config.defaultTtl());
    return write(
        k,
        id -> commands.increment(k, delta, ttl0, now(), id),
        r -> {
          requireOk(r, "increment");
          if (r instanceof CacheResult.Counter) {
            return ((CacheResult.Counter) r).value();
          }
          if (r == CacheResult.Status.OVERFLOW) {
            throw new InvalidRequestException(
                "increment by " + delta + " would overflow a 64-bit counter");
          }
          throw new InvalidRequestException("the value of the key is not a 64-bit decimal counter");
        });
  }

  @Override
  public CompletableFuture<Boolean> delete(byte[] key) {
    byte[] k = key(key);
    return write(
        k,
        id -> commands.delete(k, now(), id),
        r -> {
          requireOk(r, "delete");
          return r == CacheResult.Status.OK;
        });
  }

  // -----------------------------------------------------------------------------------------------
  // Reads

  @Override
  public byte[] get(byte[] key) {
    checkOpen();
    return node.coordinator().localGet(key(key));
  }

  @Override
  public CompletableFuture<byte[]> consistentGet(byte[] key) {
    checkOpen();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    node.coordinator()
        .get(key(key))
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                f.complete(v);
              } else {
                f.completeExceptionally(
                    translate(e instanceof CompletionException ? e.getCause() : e));
              }
            });
    return f;
  }

  // -----------------------------------------------------------------------------------------------
  // Introspection and life cycle

  @Override
  public CacheMetrics metrics() {
    long hits = 0;
    long misses = 0;
    long entries = 0;
    long bytes = 0;
    long leaderChanges = 0;
    List<CacheMetrics.Shard> shards = new ArrayList<>();
    MultiRaftCoordinator<CacheStateMachine> c = node.coordinator();
    for (int s = 0; s < c.numShards(); s++) {
      CacheStats st = c.stateMachine(s).stats();
      hits += st.hitCount();
      misses += st.missCount();
      entries += st.entryCount();
      bytes += st.weightedSize();
      long changes = node.leaderChanges(s);
      leaderChanges += changes;
      shards.add(new CacheMetrics.Shard(s, st.entryCount(), changes));
    }
    Histogram latency = latencyNs.copy();
    return new CacheMetrics(
        hits, misses, entries, bytes, proposals.sum(), latency, leaderChanges, List.copyOf(shards));
  }

  @Override
  public MultiRaftCoordinator<?> multiraftCoordinator() {
    return node.coordinator();
  }

  /** The view of a shard's group on this node (tests and tools). */
  GroupView shardView(int shard) {
    return node.coordinator().host().view(shard);
  }

  @Override
  public void shutdown() {
    int prev = state.getAndSet(SHUT_DOWN);
    if (prev == SHUT_DOWN) {
      return;
    }
    if (prev == STARTED) {
      // A transfer takes a couple of round trips; give it a few election timeouts at most.
      node.handOffLeadership(
          Duration.ofMillis(Math.min(2_000, 4 * config.electionTick() * config.tickIntervalMs())));
    }
    node.close();
    LOG.info("cache node {} shut down", config.nodeId());
  }
}
