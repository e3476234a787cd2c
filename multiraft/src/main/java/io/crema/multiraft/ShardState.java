package io.crema.multiraft;

/**
 * The life cycle of a shard on one node. Moves only along these edges:
 *
 * <pre>
 * INITIALIZING -> ACTIVE | REMOVING | STOPPED
 * ACTIVE       -> TRANSFERRING | REMOVING | STOPPED
 * TRANSFERRING -> ACTIVE | REMOVING | STOPPED
 * REMOVING     -> STOPPED
 * STOPPED      (final)
 * </pre>
 */
public enum ShardState {
  /** The shard's Raft group is starting here, or no leader has been seen yet. */
  INITIALIZING,
  /** The group runs here and has had a leader: operations are routed to it. */
  ACTIVE,
  /**
   * This node is moving the shard's leadership (leader placement); operations still work, writes
   * may be refused briefly with LEADER_TRANSFER and are retried.
   */
  TRANSFERRING,
  /** The group is being stopped on this node; new operations are refused. */
  REMOVING,
  /** The group no longer runs here; operations are refused. */
  STOPPED;

  /** Whether a shard in this state may move to {@code next}. */
  public boolean canMoveTo(ShardState next) {
    switch (this) {
      case INITIALIZING:
        return next == ACTIVE || next == REMOVING || next == STOPPED;
      case ACTIVE:
        return next == TRANSFERRING || next == REMOVING || next == STOPPED;
      case TRANSFERRING:
        return next == ACTIVE || next == REMOVING || next == STOPPED;
      case REMOVING:
        return next == STOPPED;
      default:
        return false;
    }
  }

  /** Whether operations are routed to a shard in this state. */
  public boolean serving() {
    return this == INITIALIZING || this == ACTIVE || this == TRANSFERRING;
  }
}
