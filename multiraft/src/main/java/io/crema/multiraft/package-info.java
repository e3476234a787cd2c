/**
 * Multi-Raft: the keyspace split into shards, each its own Raft group on a {@link
 * io.crema.raft.node.RaftHost}. {@link io.crema.multiraft.ShardRouter} maps keys to shards; {@link
 * io.crema.multiraft.MultiRaftCoordinator} (built by {@link io.crema.multiraft.MultiRaftBuilder})
 * starts the groups, routes operations, tracks shard states and leaders, and spreads leaders over
 * the nodes.
 */
package io.crema.multiraft;
