package io.crema.cache.statemachine;

/**
 * Receives the leader's eviction decisions as encoded EVICT commands to propose to the group's log.
 * Called on the apply thread of the leader; must not block (enqueue the proposal and return). A
 * dropped proposal is harmless: the state machine proposes again once its pending evictions time
 * out or its role changes.
 */
@FunctionalInterface
public interface EvictionProposer {
  /** Proposes an EVICT command (already encoded and stamped with the current log time). */
  void propose(byte[] evictCommand);
}
