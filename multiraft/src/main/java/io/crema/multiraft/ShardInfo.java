package io.crema.multiraft;

import java.util.List;

/**
 * One shard as seen by this node at a point in time.
 *
 * @param shardId the shard, in [0, numShards)
 * @param groupId the Raft group that replicates it
 * @param state its state on this node
 * @param leader the node leading it as this node knows, or 0 if unknown
 * @param term the Raft term this node is in for the group (the leader's epoch); 0 if stopped
 * @param commitIndex highest log index known committed here; 0 if stopped
 * @param appliedIndex highest log index applied here; 0 if stopped
 * @param members the voters of the group (sorted); the configured replica set if stopped
 * @param entryCount entries in this node's replica (as the state machine counts them)
 * @param sizeBytes bytes in this node's replica (as the state machine counts them)
 */
public record ShardInfo(
    int shardId,
    long groupId,
    ShardState state,
    long leader,
    long term,
    long commitIndex,
    long appliedIndex,
    List<Long> members,
    long entryCount,
    long sizeBytes) {
  public ShardInfo {
    members = List.copyOf(members);
  }
}
