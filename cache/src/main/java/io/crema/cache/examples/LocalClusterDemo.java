package io.crema.cache.examples;

import io.crema.cache.CacheConfig;
import io.crema.cache.DistributedCache;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The README's "run" command: a 3-node cluster on loopback (Aeron UDP, Chronicle logs in a temp
 * directory, 4 shards) writes and reads through different nodes, stops the leader of a shard, shows
 * the new leader serving, and checks that no acknowledged write was lost. Exits non-zero if
 * anything is off.
 */
public final class LocalClusterDemo {
  private LocalClusterDemo() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("crema-demo");
    System.exit(run(keys, dir, System.out) ? 0 : 1);
  }

  /** Runs the demo; returns whether every check held. */
  public static boolean run(int keys, Path dir, PrintStream out) throws Exception {
    int[] ports = LoopbackPorts.free(3);
    DistributedCache[] nodes = new DistributedCache[3];
    for (int i = 0; i < 3; i++) {
      CacheConfig.Builder b =
          CacheConfig.builder()
              .nodeId(i + 1)
              .raftAddress("127.0.0.1:" + ports[i])
              .storage(CacheConfig.StorageType.CHRONICLE)
              .dataDirectory(dir.resolve("node-" + (i + 1)))
              .shards(4)
              .requestTimeout(Duration.ofSeconds(10));
      for (int j = 0; j < 3; j++) {
        if (j != i) {
          b.seedNode(j + 1, "127.0.0.1:" + ports[j]);
        }
      }
      nodes[i] = DistributedCache.create(b.build());
    }
    for (DistributedCache n : nodes) {
      n.start().join();
    }
    out.printf("3 nodes up on 127.0.0.1:%d,%d,%d; logs in %s%n", ports[0], ports[1], ports[2], dir);

    long t0 = System.nanoTime();
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      writes.add(nodes[i % 3].put("key-" + i, "value-" + i)); // every node takes writes
      if (writes.size() == 2_000) {
        CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
        writes.clear();
      }
    }
    CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(
        "%d puts through all three nodes in %.2f s (%.0f/s, synced to Chronicle)%n",
        keys, secs, keys / secs);
    out.printf(
        "consistentGet on node 2 of a key written via node 1: %s%n",
        nodes[1].consistentGet("key-0").get());

    int leader = leaderOfShard0(nodes);
    out.printf("node %d leads shard 0; stopping it%n", leader + 1);
    nodes[leader].shutdown();
    DistributedCache survivor = nodes[(leader + 1) % 3];
    nodes[leader] = null;
    survivor.put("after-failover", "yes").get();
    int next = leaderOfShard0(nodes);
    out.printf("node %d now leads shard 0 and serves writes%n", next + 1);

    int missing = 0;
    for (int i = 0; i < keys; i += Math.max(1, keys / 2_000)) {
      if (!("value-" + i).equals(survivor.consistentGet("key-" + i).get())) {
        missing++;
      }
    }
    out.printf(
        "acknowledged writes checked after failover: %s%n",
        missing == 0 ? "none lost" : missing + " MISSING");
    String after = survivor.consistentGet("after-failover").get();
    survivor
        .metrics()
        .toPrometheus()
        .lines()
        .filter(l -> l.startsWith("raft_proposals_total ") || l.startsWith("cache_entries "))
        .forEach(l -> out.println("metrics of node " + survivor.nodeId() + ": " + l));
    for (DistributedCache n : nodes) {
      if (n != null) {
        n.shutdown();
      }
    }
    return missing == 0 && "yes".equals(after);
  }

  private static int leaderOfShard0(DistributedCache[] nodes) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.length; i++) {
        if (nodes[i] != null
            && nodes[i].multiraftCoordinator().host().view(0) != null
            && nodes[i].multiraftCoordinator().host().view(0).isLeader()) {
          return i;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
    throw new IllegalStateException("no leader of shard 0 within 30 s");
  }
}
