package io.crema.raft.core.quorum;

/** Looks up the highest log index each voter is known to hold durably. */
@FunctionalInterface
public interface AckedIndexer {
  /** Returned for a voter with no known acknowledgement; counts as index 0. */
  long UNKNOWN = -1;

  long ackedIndex(long voterId);
}
