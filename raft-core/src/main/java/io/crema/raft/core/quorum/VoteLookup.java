package io.crema.raft.core.quorum;

/** Looks up each voter's vote. */
@FunctionalInterface
public interface VoteLookup {
  int GRANTED = 1;
  int REJECTED = 0;
  int MISSING = -1;

  /** {@link #GRANTED}, {@link #REJECTED} or {@link #MISSING}. */
  int vote(long voterId);
}
