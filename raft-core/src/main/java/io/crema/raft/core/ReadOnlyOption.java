package io.crema.raft.core;

/** How the leader serves linearizable reads. */
public enum ReadOnlyOption {
  /** ReadIndex confirmed by a heartbeat quorum (batched): safe whatever the clocks do. */
  SAFE,
  /**
   * Leader lease: the leader answers from its commit index without a round trip, trusting that no
   * other leader can exist within an election timeout. Requires check-quorum, and that clocks on
   * the nodes do not drift apart by more than the difference between the election timeout and the
   * time a heartbeat round takes.
   */
  LEASE_BASED
}
