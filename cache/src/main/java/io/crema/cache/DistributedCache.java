package io.crema.cache;

import io.crema.multiraft.MultiRaftCoordinator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A strongly consistent, replicated, sharded cache: one node of it.
 *
 * <p><b>Writes</b> ({@code put}, {@code putIfAbsent}, {@code compareAndSet}, {@code increment},
 * {@code delete}) are linearizable: routed to the key's shard, carried to the shard's Raft leader
 * from whichever node they are made on, committed by a quorum and applied on every replica. A
 * write's future completes once it is applied; it fails with a {@link CacheException}: {@link
 * CacheTimeoutException} when the outcome is unknown (it may or may not have been applied; retrying
 * the same call applies it at most once more, as every write carries a request id that replicas
 * deduplicate), {@link NoLeaderException} when no quorum is reachable, {@link
 * CacheOverloadedException} under back-pressure. Invalid arguments (null or oversized key or value,
 * negative TTL) throw {@link InvalidRequestException} at once, and every method of a shut down
 * cache throws {@link CacheShutdownException}.
 *
 * <p><b>Reads:</b> {@link #get} reads this node's replica: fast, possibly stale on a follower,
 * never showing an expired entry. {@link #consistentGet} is linearizable from any node (ReadIndex).
 *
 * <p>Futures complete on internal threads: do not block in their dependent stages. All methods are
 * thread-safe and do not block (except {@link #shutdown}).
 */
public interface DistributedCache extends AutoCloseable {
  /**
   * Creates a node from its settings: opens storage and transport, nothing runs until {@link
   * #start()}.
   *
   * @throws IllegalStateException naming what could not be opened (data directory, port)
   */
  static DistributedCache create(CacheConfig config) {
    return new CremaCache(config);
  }

  /** Starts the node's shards; completes when every shard runs here (leaders may come later). */
  CompletableFuture<Void> start();

  long nodeId();

  /** Stores a value (with the configured default TTL). */
  CompletableFuture<Void> put(byte[] key, byte[] value);

  /** Stores a value that expires after {@code ttl} (zero = never). */
  CompletableFuture<Void> put(byte[] key, byte[] value, Duration ttl);

  /** Stores a value only if the key is absent; completes with whether it did. */
  CompletableFuture<Boolean> putIfAbsent(byte[] key, byte[] value);

  /**
   * Replaces the value only if it currently equals {@code expected} ({@code null} = only if
   * absent); completes with whether it did.
   */
  CompletableFuture<Boolean> compareAndSet(byte[] key, byte[] expected, byte[] newValue);

  /**
   * Adds {@code delta} to a decimal counter value (absent counts as 0); completes with the new
   * value. Fails with {@link InvalidRequestException} if the value is not a 64-bit decimal counter
   * or the result would overflow.
   */
  CompletableFuture<Long> increment(byte[] key, long delta);

  /** Removes a key; completes with whether it was present. */
  CompletableFuture<Boolean> delete(byte[] key);

  /** This node's replica's value (possibly stale on a follower), or null. */
  byte[] get(byte[] key);

  /** The value as of a linearizable read point, from any node. */
  CompletableFuture<byte[]> consistentGet(byte[] key);

  /**
   * Metrics of this node under the crema names; {@link CacheMetrics#toPrometheus()} renders them.
   */
  CacheMetrics metrics();

  /** The shard layer, for introspection (shard info, leaders, stats). */
  MultiRaftCoordinator<?> multiraftCoordinator();

  /**
   * Graceful stop: refuses new requests, hands the leadership of shards this node leads to other
   * replicas, lets the log flush, and closes storage and transport. Blocks until done.
   */
  void shutdown();

  @Override
  default void close() {
    shutdown();
  }

  // ---------------------------------------------------------------------------------------------
  // String overloads (UTF-8)

  private static byte[] utf8(String s, String what) {
    if (s == null) {
      throw new InvalidRequestException(what + " must not be null");
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  default CompletableFuture<Void> put(String key, String value) {
    return put(utf8(key, "key"), utf8(value, "value"));
  }

  default CompletableFuture<Void> put(String key, String value, Duration ttl) {
    return put(utf8(key, "key"), utf8(value, "value"), ttl);
  }

  default CompletableFuture<Boolean> putIfAbsent(String key, String value) {
    return putIfAbsent(utf8(key, "key"), utf8(value, "value"));
  }

  default CompletableFuture<Boolean> compareAndSet(String key, String expected, String newValue) {
    return compareAndSet(
        utf8(key, "key"),
        expected == null ? null : utf8(expected, "expected"),
        utf8(newValue, "newValue"));
  }

  default CompletableFuture<Long> increment(String key, long delta) {
    return increment(utf8(key, "key"), delta);
  }

  default CompletableFuture<Boolean> delete(String key) {
    return delete(utf8(key, "key"));
  }

  default String get(String key) {
    return string(get(utf8(key, "key")));
  }

  default CompletableFuture<String> consistentGet(String key) {
    return consistentGet(utf8(key, "key")).thenApply(DistributedCache::string);
  }
}
