package io.crema.raft.node;

import io.crema.raft.core.Role;

/**
 * Metrics hooks of a host, called on the host thread: keep them cheap and non-blocking. Every
 * method has an empty default.
 */
public interface HostListener {
  /** A listener that ignores everything. */
  HostListener NONE = new HostListener() {};

  /**
   * A proposal made on this node was applied; latency from the host's duty cycle that took it up
   * (the first after {@code propose()}) to its apply here.
   */
  default void onProposalApplied(long groupId, long latencyNs) {}

  /** This node's role or known leader in a group changed. */
  default void onRoleChange(long groupId, Role role, long term, long leader) {}

  /** A local snapshot was written (duration from capture to durable). */
  default void onSnapshotTaken(long groupId, long index, long durationNs) {}

  /** A snapshot received from the leader was installed. */
  default void onSnapshotInstalled(long groupId, long index) {}
}
