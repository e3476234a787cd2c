/**
 * A deterministic, Caffeine-backed cache state machine for Crema's Raft groups, its binary command
 * encoding and pre-validation, and a file-based snapshot store with LZ4 checkpoints.
 *
 * <p>Entry points: {@link io.crema.cache.statemachine.CacheCommands} (encode and validate commands
 * before proposing), {@link io.crema.cache.statemachine.CacheStateMachine} (apply, local reads,
 * snapshots) and {@link io.crema.cache.statemachine.FileSnapshotStore} (checkpoint files).
 */
package io.crema.cache.statemachine;
