package io.crema.raft.core.tracker;

/** How the leader replicates to one peer. */
public enum ProgressState {
  /** One append at a time until the peer's match index is known. */
  PROBE,
  /** Optimistic pipelining within the in-flight window. */
  REPLICATE,
  /** A snapshot is being sent; appends wait. */
  SNAPSHOT
}
