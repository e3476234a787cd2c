package io.crema.multiraft;

/**
 * A coordinator's statistics at a point in time (an immutable snapshot).
 *
 * @param totalShards shards configured
 * @param activeShards shards in state ACTIVE or TRANSFERRING on this node
 * @param localLeaderShards shards this node leads now
 * @param totalEntries entries over all of this node's replicas
 * @param totalSizeBytes bytes over all of this node's replicas
 * @param totalOperations operations submitted to this coordinator that succeeded
 * @param failedOperations operations submitted to this coordinator that failed
 * @param operationsPerSecond successful operations per second over the last {@value
 *     RateMeter#WINDOW_SECONDS} seconds (or since the start, if shorter), from samples of the
 *     success count taken every rebalance interval and at each {@code stats()}; approximate
 */
public record MultiRaftStats(
    int totalShards,
    int activeShards,
    int localLeaderShards,
    long totalEntries,
    long totalSizeBytes,
    long totalOperations,
    long failedOperations,
    double operationsPerSecond) {}
