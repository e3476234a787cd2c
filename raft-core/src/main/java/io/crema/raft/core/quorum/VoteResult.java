package io.crema.raft.core.quorum;

/** The outcome of an election so far. */
public enum VoteResult {
  /** Neither won nor lost yet: missing votes could still decide it. */
  PENDING,
  /** Lost: enough rejections that a quorum can no longer be reached. */
  LOST,
  /** Won: a quorum granted. */
  WON
}
