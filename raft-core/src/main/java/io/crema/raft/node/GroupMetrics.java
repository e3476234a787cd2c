package io.crema.raft.node;

import org.HdrHistogram.Histogram;

/** Per-group counters and the proposal latency histogram; host thread only. */
final class GroupMetrics {
  private final Histogram proposalLatencyNs = new Histogram(3_600_000_000_000L, 3);
  long proposals;
  long applied;
  long elections;
  long leaderChanges;
  long snapshotsTaken;
  long snapshotsInstalled;
  long lastSnapshotNs;

  void recordLatency(long ns) {
    proposalLatencyNs.recordValue(
        Math.max(0, Math.min(ns, proposalLatencyNs.getHighestTrackableValue())));
  }

  /** An immutable copy. */
  GroupStats snapshot() {
    return new GroupStats(
        proposals,
        applied,
        elections,
        leaderChanges,
        snapshotsTaken,
        snapshotsInstalled,
        lastSnapshotNs,
        proposalLatencyNs.copy());
  }
}
