package io.crema.raft.core;

/**
 * The answer to a {@link RaftNode#readIndex(long)} request: once the local state machine has
 * applied {@code index}, a read of it is linearizable. {@code index == -1} means the request could
 * not be served (no leader, leadership lost): retry or fail it.
 */
public record ReadState(long index, long requestId) {
  public boolean rejected() {
    return index < 0;
  }
}
