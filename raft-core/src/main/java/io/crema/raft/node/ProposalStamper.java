package io.crema.raft.node;

/**
 * Lets the leader rewrite each command just before it is appended, on the host thread: the cache
 * stamps every command with the leader's clock, so that all replicas apply it with the same notion
 * of time. Called once per command and only on the leader (forwarded commands included).
 */
@FunctionalInterface
public interface ProposalStamper {
  /** No rewriting. */
  ProposalStamper NONE = (groupId, command) -> command;

  /** Returns the command to append (it may modify and return {@code command} itself). */
  byte[] stamp(long groupId, byte[] command);
}
