package io.crema.cache.statemachine;

import io.crema.raft.StateMachine;

/**
 * A deterministic cache replica for one Raft group, backed by Caffeine.
 *
 * <p><b>Determinism.</b> Replicas that applied the same log prefix hold the same entries (key,
 * value, version, expire-at) and return the same {@link CacheResult}s, whatever local reads
 * happened and whatever their local clocks say: "now" during apply is the timestamp carried by the
 * command (never going backwards; Caffeine's ticker reads this log time), expiry uses the absolute
 * expire-at in the command, and capacity is enforced by EVICT commands that only the leader
 * proposes (through the {@link EvictionProposer}). The only exception is the hard safety cap of
 * {@link CacheStateMachineConfig#safetyCapWeightBytes()}, logged as an error whenever it evicts.
 *
 * <p><b>Exactly-once.</b> Commands carrying a {@link RequestId} apply at most once: a retry gets
 * the original result while the client's session and the request are within the deduplication
 * bounds ({@link CacheStateMachineConfig#dedupMaxClients()} least-recently-applied clients, {@link
 * CacheStateMachineConfig#dedupWindow()} unacknowledged results each); an older retry gets {@link
 * CacheResult.Status#STALE_REQUEST}. The table is part of snapshots.
 *
 * <p><b>Threads.</b> {@link #apply}, {@link #snapshot}, {@link #restore} and {@link #onRoleChange}
 * are called from the group's apply thread. Local reads ({@link #get}, {@link #getVersioned},
 * {@link #stats}) may be called from any thread; they see a prefix of the log (possibly stale on a
 * follower) and additionally hide entries whose expire-at has passed on the local wall clock.
 *
 * <p><b>Results.</b> {@link #apply} stores one {@link CacheResult} per entry (null for empty no-op
 * entries). A committed entry that is not a valid command (a bug, or a newer format from a
 * mixed-version cluster) makes apply throw {@link IllegalStateException}, which stops the group
 * rather than letting replicas diverge.
 */
public interface CacheStateMachine extends StateMachine {
  /** Creates an empty cache state machine. */
  static CacheStateMachine create(CacheStateMachineConfig config) {
    return new DefaultCacheStateMachine(config);
  }

  /**
   * Reads a key locally.
   *
   * @return a private copy of the value, or null if absent or expired (by log time or local clock)
   */
  byte[] get(byte[] key);

  /** Like {@link #get} but with the entry's version and expire-at; null if absent or expired. */
  VersionedValue getVersioned(byte[] key);

  /**
   * Validates a command before proposing it: the format and limits ({@link CacheCommands#validate})
   * and, best effort against the local state, conditions that cannot succeed (an increment of a key
   * holding a non-counter value). A command that passes may still get a non-OK result at apply time
   * if the state changed in between.
   *
   * @throws InvalidCommandException naming the offending value and the limit
   */
  void precheck(byte[] command);

  /** Sets (or clears, with null) where the leader sends its eviction decisions. */
  void evictionProposer(EvictionProposer proposer);

  /** The index of the last applied entry. */
  long appliedIndex();

  /** The log time (epoch ms) of the last applied command. */
  long logTimeMs();

  /** An immutable snapshot of the statistics. */
  CacheStats stats();
}
