package io.crema.cache;

import io.crema.cache.statemachine.CacheCommands;
import io.crema.raft.node.ProposalStamper;
import java.util.function.LongSupplier;

/**
 * Stamps every command on the shard leader with the leader's wall clock, never going backwards
 * within a shard, so that every replica applies it at the same log time (TTL and expiry are
 * computed from it). Host thread only.
 */
final class LeaderClock implements ProposalStamper {
  private final LongSupplier wallClockMs;
  private final long[] lastMs;

  LeaderClock(LongSupplier wallClockMs, int shards) {
    this.wallClockMs = wallClockMs;
    this.lastMs = new long[shards];
  }

  @Override
  public byte[] stamp(long groupId, byte[] command) {
    int shard = (int) groupId;
    long now = Math.max(wallClockMs.getAsLong(), lastMs[shard]);
    lastMs[shard] = now;
    CacheCommands.restamp(command, now);
    return command;
  }
}
