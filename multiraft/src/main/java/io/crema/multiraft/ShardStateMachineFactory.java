package io.crema.multiraft;

import io.crema.raft.StateMachine;

/**
 * Creates the replica of one shard on one node. Called once per shard when the coordinator starts,
 * on the caller's thread.
 *
 * @param <S> the state machine type
 */
@FunctionalInterface
public interface ShardStateMachineFactory<S extends StateMachine> {
  /** A new, empty replica for the shard (restarts restore it from the log and snapshots). */
  S create(ShardContext shard);
}
