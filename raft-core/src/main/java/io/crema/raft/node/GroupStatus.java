package io.crema.raft.node;

import io.crema.raft.ConfState;
import io.crema.raft.core.Role;

/**
 * A group on this node at a point in time.
 *
 * @param groupId the group
 * @param role this node's role
 * @param term current term
 * @param leader the known leader, or 0
 * @param commitIndex highest index known committed
 * @param appliedIndex highest index applied to the state machine
 * @param lastIndex last index in the log
 * @param membership members in force
 * @param stats counters and latency
 */
public record GroupStatus(
    long groupId,
    Role role,
    long term,
    long leader,
    long commitIndex,
    long appliedIndex,
    long lastIndex,
    ConfState membership,
    GroupStats stats) {}
