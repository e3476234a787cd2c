package io.crema.raft.core;

/**
 * A proposal (entry, configuration change, leadership transfer) was refused. Carries why, and the
 * leader if one is known, so that a caller can redirect. Cheap to throw (no stack trace).
 */
public final class ProposalDroppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a proposal was refused. */
  public enum Reason {
    /** This node is not the leader; see {@link #leader()}. */
    NOT_LEADER,
    /** A leadership transfer is in progress; proposals are refused until it ends. */
    LEADER_TRANSFER_IN_PROGRESS,
    /** Too many uncommitted bytes: back-pressure. */
    UNCOMMITTED_LIMIT,
    /** Another configuration change is not yet applied, or this one is invalid. */
    INVALID_CONF_CHANGE,
    /** The node is not a voter (a learner or removed). */
    NOT_A_VOTER,
    /** The request itself is malformed. */
    INVALID_REQUEST
  }

  private final Reason reason;
  private final long leader;

  public ProposalDroppedException(Reason reason, long leader, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.leader = leader;
  }

  public Reason reason() {
    return reason;
  }

  /** The leader this node knows of, or 0. */
  public long leader() {
    return leader;
  }
}
