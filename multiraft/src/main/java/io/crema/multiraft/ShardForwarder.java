package io.crema.multiraft;

import java.util.concurrent.CompletableFuture;

/**
 * Carries a write to the coordinator of the node that leads its shard, which proposes it there with
 * {@link MultiRaftCoordinator#proposeLocal(int, byte[])}. The network implementation belongs to the
 * transport/cache layers; {@link InProcessForwarder} connects coordinators of one JVM.
 *
 * <p>Contract: the future completes with the state machine's result, or fails with a {@link
 * io.crema.raft.node.RaftOperationException}: {@code NO_LEADER} when the node could not be reached
 * and the command was certainly not delivered, {@code TIMEOUT} when its fate is unknown, otherwise
 * the reason the remote coordinator gave (for instance {@code NOT_LEADER} naming the leader it
 * knows). It must not block.
 */
@FunctionalInterface
public interface ShardForwarder {
  /**
   * Sends {@code command} for {@code shard} to node {@code node}.
   *
   * @return the outcome as described in the class comment
   */
  CompletableFuture<Object> forward(long node, int shard, byte[] command);
}
