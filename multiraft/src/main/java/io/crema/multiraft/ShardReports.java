package io.crema.multiraft;

import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupStatus;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.RaftHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Builds {@link ShardInfo} and {@link MultiRaftStats} from the registry, views and host. */
final class ShardReports<S extends StateMachine> {
  private final RaftHost host;
  private final ShardRegistry<S> registry;
  private final LeaderTable leaders;
  private final KeyValueAdapter<S> adapter;
  private final List<Long> replicas;

  ShardReports(
      RaftHost host,
      ShardRegistry<S> registry,
      LeaderTable leaders,
      KeyValueAdapter<S> adapter,
      long[] replicas) {
    this.host = host;
    this.registry = registry;
    this.leaders = leaders;
    this.adapter = adapter;
    this.replicas = LongStream.of(replicas).boxed().collect(Collectors.toUnmodifiableList());
  }

  CompletableFuture<List<ShardInfo>> shardInfo() {
    List<CompletableFuture<ShardInfo>> infos = new ArrayList<>();
    for (ShardRegistry.Shard<S> s : registry.all()) {
      infos.add(info(s));
    }
    return CompletableFuture.allOf(infos.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> infos.stream().map(CompletableFuture::join).collect(Collectors.toList()));
  }

  private CompletableFuture<ShardInfo> info(ShardRegistry.Shard<S> s) {
    long entries = adapter.entryCount(s.stateMachine);
    long bytes = adapter.sizeBytes(s.stateMachine);
    ShardInfo offline =
        new ShardInfo(
            s.id, s.groupId, s.state(), leaders.leader(s.id), 0, 0, 0, replicas, entries, bytes);
    if (!s.state().serving() || s.view() == null) {
      return CompletableFuture.completedFuture(offline);
    }
    return host.status(s.groupId)
        .thenApply(
            (GroupStatus st) ->
                new ShardInfo(
                    s.id,
                    s.groupId,
                    s.state(),
                    st.leader(),
                    st.term(),
                    st.commitIndex(),
                    st.appliedIndex(),
                    LongStream.of(st.membership().voters()).boxed().collect(Collectors.toList()),
                    entries,
                    bytes))
        // Stopped meanwhile (or the host closed): report what the registry knows.
        .exceptionally(t -> offline);
  }

  MultiRaftStats stats(ShardOperations<S> operations, RateMeter meter) {
    int active = 0;
    int leading = 0;
    long entries = 0;
    long bytes = 0;
    for (ShardRegistry.Shard<S> s : registry.all()) {
      ShardState st = s.state();
      if (st == ShardState.ACTIVE || st == ShardState.TRANSFERRING) {
        active++;
      }
      GroupView v = s.view();
      if (v != null && v.isLeader()) {
        leading++;
      }
      entries += adapter.entryCount(s.stateMachine);
      bytes += adapter.sizeBytes(s.stateMachine);
    }
    return new MultiRaftStats(
        registry.size(),
        active,
        leading,
        entries,
        bytes,
        operations.succeeded(),
        operations.failed(),
        meter.ratePerSecond());
  }
}
