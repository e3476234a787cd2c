package io.crema.multiraft;

import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.RaftHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader placement by pulling: a node that leads at least two shards fewer than the busiest node
 * asks for the leadership of one of that node's shards (a Raft leadership transfer to itself,
 * forwarded to the current leader). A node only ever moves leadership to itself, so a node that is
 * down never receives a transfer, and a node that returns takes its share back on its own. Each
 * transfer narrows the gap between the busiest and the idlest node, so rounds converge to leader
 * counts within one of each other; one transfer per node is in flight at a time.
 */
final class LeaderBalancer<S extends StateMachine> {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderBalancer.class);

  private final long nodeId;
  private final long[] replicas;
  private final ShardRegistry<S> registry;
  private final RaftHost host;
  private final long transferTimeoutMs;
  private final Runnable afterTransfer;

  /** The transfer this node asked for and still waits on, or null. */
  private final AtomicReference<Pending<S>> inFlight = new AtomicReference<>();

  private int cursor;

  /** A requested transfer of {@code shard}'s leadership from node {@code from} to this node. */
  private record Pending<S extends StateMachine>(ShardRegistry.Shard<S> shard, long from) {}

  LeaderBalancer(
      long nodeId,
      long[] replicas,
      ShardRegistry<S> registry,
      RaftHost host,
      long transferTimeoutMs,
      Runnable afterTransfer) {
    this.nodeId = nodeId;
    this.replicas = replicas.clone();
    this.registry = registry;
    this.host = host;
    this.transferTimeoutMs = transferTimeoutMs;
    this.afterTransfer = afterTransfer;
    this.cursor = (int) (nodeId % Math.max(1, registry.size()));
  }

  /**
   * One placement round.
   *
   * @return the shard whose leadership this node requested, or -1 if none (balanced, a transfer
   *     still in flight, or some shard without a known leader)
   */
  synchronized int rebalanceOnce() {
    Pending<S> pending = inFlight.get();
    if (pending != null) {
      GroupView v = pending.shard().view();
      long leader = v == null ? 0 : v.leader();
      if (leader == 0 || leader == pending.from() || leader == nodeId) {
        return -1;
      }
      // Another node took the shard (a concurrent pull won): stop waiting for ours.
      finish(pending, "node " + leader + " took it first");
    }
    Map<Long, List<ShardRegistry.Shard<S>>> ledBy = new HashMap<>();
    for (long r : replicas) {
      ledBy.put(r, new ArrayList<>());
    }
    for (ShardRegistry.Shard<S> s : registry.all()) {
      GroupView v = s.view();
      if (s.state() != ShardState.ACTIVE || v == null || v.leader() == 0) {
        return -1; // starting, moving or electing: decide on a settled picture only
      }
      List<ShardRegistry.Shard<S>> led = ledBy.get(v.leader());
      if (led != null) {
        led.add(s);
      }
    }
    int mine = ledBy.get(nodeId).size();
    long busiest = 0;
    int most = -1;
    for (long r : replicas) {
      int n = ledBy.get(r).size();
      if (r != nodeId && n > most) {
        busiest = r;
        most = n;
      }
    }
    if (most <= mine + 1) {
      return -1;
    }
    List<ShardRegistry.Shard<S>> candidates = ledBy.get(busiest);
    ShardRegistry.Shard<S> pick = candidates.get(Math.floorMod(cursor++, candidates.size()));
    if (!pick.compareAndMove(ShardState.ACTIVE, ShardState.TRANSFERRING)) {
      return -1;
    }
    Pending<S> request = new Pending<>(pick, busiest);
    inFlight.set(request);
    LOG.info(
        "node {} takes the leadership of shard {} from node {} (leaders: node {} {}, node {} {})",
        nodeId,
        pick.id,
        busiest,
        nodeId,
        mine,
        busiest,
        most);
    host.transferLeadership(pick.groupId, nodeId)
        .orTimeout(transferTimeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, t) -> {
              if (finish(request, t == null ? null : t.toString())) {
                afterTransfer.run();
              }
            });
    return pick.id;
  }

  /** Ends a transfer once (whichever comes first: its outcome or another node taking the shard). */
  private boolean finish(Pending<S> p, String failure) {
    if (!inFlight.compareAndSet(p, null)) {
      return false;
    }
    p.shard().compareAndMove(ShardState.TRANSFERRING, ShardState.ACTIVE);
    if (failure != null) {
      LOG.info("node {} did not get the leadership of shard {}: {}", nodeId, p.shard().id, failure);
    }
    return true;
  }
}
