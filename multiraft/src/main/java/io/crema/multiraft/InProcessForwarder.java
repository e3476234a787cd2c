package io.crema.multiraft;

import io.crema.raft.node.RaftOperationException;
import io.crema.raft.node.RaftOperationException.Reason;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ShardForwarder} between coordinators of one JVM (tests, benchmarks, embedded multi-node
 * setups): forwarding is a direct call of the leader's {@link MultiRaftCoordinator#proposeLocal}.
 * Register each coordinator after building it; a node that is not registered is unreachable
 * (NO_LEADER, nothing delivered). Thread-safe.
 */
public final class InProcessForwarder implements ShardForwarder {
  private final Map<Long, MultiRaftCoordinator<?>> coordinators = new ConcurrentHashMap<>();

  /**
   * Makes a coordinator reachable under its node id, replacing any earlier one of that node.
   *
   * @throws IllegalArgumentException if coordinator is null
   */
  public void register(MultiRaftCoordinator<?> coordinator) {
    if (coordinator == null) {
      throw new IllegalArgumentException("coordinator must not be null");
    }
    coordinators.put(coordinator.nodeId(), coordinator);
  }

  /** Makes a node unreachable (if {@code coordinator} is still the one registered for it). */
  public void unregister(MultiRaftCoordinator<?> coordinator) {
    coordinators.remove(coordinator.nodeId(), coordinator);
  }

  @Override
  public CompletableFuture<Object> forward(long node, int shard, byte[] command) {
    MultiRaftCoordinator<?> target = coordinators.get(node);
    if (target == null) {
      return CompletableFuture.failedFuture(
          new RaftOperationException(
              Reason.NO_LEADER,
              shard,
              0,
              "node "
                  + node
                  + " is not reachable; the command for shard "
                  + shard
                  + " was not sent"));
    }
    return target.proposeLocal(shard, command);
  }
}
