package io.crema.raft.node;

import org.HdrHistogram.Histogram;

/**
 * Counters of a group on this node at a point in time (an immutable copy).
 *
 * @param proposals proposals accepted by this node as leader
 * @param applied entries applied by this node
 * @param elections elections this node started
 * @param leaderChanges changes of the known leader
 * @param snapshotsTaken local snapshots written
 * @param snapshotsInstalled snapshots received from a leader and installed
 * @param lastSnapshotNs duration of the last local snapshot, capture to durable
 * @param proposalLatencyNs latency of this node's proposals from the duty cycle that took each up
 *     (the first after its {@code propose()}) to its apply here (a copy)
 */
public record GroupStats(
    long proposals,
    long applied,
    long elections,
    long leaderChanges,
    long snapshotsTaken,
    long snapshotsInstalled,
    long lastSnapshotNs,
    Histogram proposalLatencyNs) {}
