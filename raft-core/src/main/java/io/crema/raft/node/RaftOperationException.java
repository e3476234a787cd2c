package io.crema.raft.node;

/**
 * A host operation (proposal, read, membership change, transfer, snapshot) failed. {@link
 * #reason()} says why and whether retrying may help; {@link #mayHaveBeenApplied()} says whether a
 * proposal might still have taken effect (only after a timeout or a shutdown while in flight).
 */
public final class RaftOperationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** This node does not lead the group; {@link #leader()} names the leader if known. */
    NOT_LEADER,
    /** No leader is known (election in progress or no quorum): retry later. */
    NO_LEADER,
    /** Too much in flight (queue or uncommitted bytes full): back off and retry. */
    BACK_PRESSURE,
    /** A leadership transfer is in progress: retry shortly. */
    LEADER_TRANSFER,
    /** The request is invalid (the message says which value and which limit). */
    INVALID,
    /** The group is not hosted on this node. */
    UNKNOWN_GROUP,
    /** The host is shut down or the group stopped. */
    SHUT_DOWN,
    /** The entry was overwritten by a new leader: it was certainly not applied. */
    SUPERSEDED,
    /** No outcome in time: the operation may or may not have been applied. */
    TIMEOUT,
    /** The state machine or storage failed. */
    INTERNAL
  }

  private final Reason reason;
  private final long groupId;
  private final long leader;

  public RaftOperationException(Reason reason, long groupId, long leader, String message) {
    super(message);
    this.reason = reason;
    this.groupId = groupId;
    this.leader = leader;
  }

  public RaftOperationException(Reason reason, long groupId, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.groupId = groupId;
    this.leader = 0;
  }

  public Reason reason() {
    return reason;
  }

  public long groupId() {
    return groupId;
  }

  /** The leader this node knew of when the operation failed, or 0. */
  public long leader() {
    return leader;
  }

  /** Whether a proposal that failed this way may still have been applied. */
  public boolean mayHaveBeenApplied() {
    return reason == Reason.TIMEOUT || reason == Reason.SHUT_DOWN || reason == Reason.INTERNAL;
  }

  /** Whether retrying (possibly on another node) can succeed. */
  public boolean retryable() {
    return reason != Reason.INVALID && reason != Reason.UNKNOWN_GROUP && reason != Reason.INTERNAL;
  }
}
