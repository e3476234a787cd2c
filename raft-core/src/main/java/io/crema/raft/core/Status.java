package io.crema.raft.core;

import io.crema.raft.ConfState;
import java.util.Map;

/**
 * A point-in-time view of a group on this node, for monitoring and tests.
 *
 * @param progress per-member replication progress ("STATE match=.. next=..") when leader, else
 *     empty
 */
public record Status(
    long id,
    long groupId,
    Role role,
    long term,
    long vote,
    long leader,
    long commit,
    long applied,
    long lastIndex,
    long leadTransferee,
    ConfState config,
    Map<Long, String> progress) {}
