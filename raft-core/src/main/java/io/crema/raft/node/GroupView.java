package io.crema.raft.node;

import io.crema.raft.core.RaftNode;
import io.crema.raft.core.Role;

/**
 * A group's role, leader and indexes as last seen by the host thread, readable from any thread
 * without a round trip (values may be a cycle old). For routing and monitoring.
 */
public final class GroupView {
  private final long groupId;
  private volatile Role role = Role.FOLLOWER;
  private volatile long term;
  private volatile long leader;
  private volatile long commitIndex;
  private volatile long appliedIndex;

  GroupView(long groupId) {
    this.groupId = groupId;
  }

  void update(RaftNode node, long applied) {
    role = node.role();
    term = node.term();
    leader = node.leader();
    commitIndex = node.commitIndex();
    appliedIndex = applied;
  }

  public long groupId() {
    return groupId;
  }

  public Role role() {
    return role;
  }

  public boolean isLeader() {
    return role == Role.LEADER;
  }

  public long term() {
    return term;
  }

  /** The leader last known, or 0. */
  public long leader() {
    return leader;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long appliedIndex() {
    return appliedIndex;
  }
}
