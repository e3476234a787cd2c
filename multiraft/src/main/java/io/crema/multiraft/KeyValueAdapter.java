package io.crema.multiraft;

import io.crema.raft.StateMachine;

/**
 * How the coordinator speaks to a key-value state machine: it encodes writes as commands and reads
 * a replica. The cache module implements it for its cache state machine; tests for a small map.
 *
 * @param <S> the state machine type
 */
public interface KeyValueAdapter<S extends StateMachine> {
  /**
   * Encodes "set key to value".
   *
   * @param ttlMs time to live in ms, 0 = no expiry
   * @throws IllegalArgumentException (or a subclass) naming the offending value and the limit if
   *     the key, value or TTL is not acceptable; nothing is proposed then
   */
  byte[] encodePut(byte[] key, byte[] value, long ttlMs);

  /**
   * Encodes "remove key".
   *
   * @throws IllegalArgumentException (or a subclass) naming the offending value and the limit
   */
  byte[] encodeDelete(byte[] key);

  /**
   * Reads a key from a replica: the value, or null if absent. Called on the host thread for
   * linearizable reads and on the caller's thread for local reads, so it must be thread-safe.
   */
  byte[] get(S stateMachine, byte[] key);

  /** Entries held by a replica (may be approximate). Called from any thread. */
  long entryCount(S stateMachine);

  /** Bytes held by a replica (may be approximate). Called from any thread. */
  long sizeBytes(S stateMachine);
}
