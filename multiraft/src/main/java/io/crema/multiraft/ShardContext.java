package io.crema.multiraft;

/**
 * What a state machine factory knows about the shard it creates a replica for.
 *
 * @param shardId the shard, in [0, numShards)
 * @param groupId the Raft group replicating the shard
 * @param nodeId the node the replica runs on
 * @param capacityBytes the configured capacity of one shard in bytes (0 = unbounded); enforcing it
 *     is the state machine's business
 * @param defaultTtlMs the configured default time to live in ms (0 = no expiry)
 */
public record ShardContext(
    int shardId, long groupId, long nodeId, long capacityBytes, long defaultTtlMs) {}
