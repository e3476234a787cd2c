package io.crema.benchmarks.cache;

import io.crema.benchmarks.BenchSupport;
import io.crema.cache.CacheConfig;
import io.crema.cache.DistributedCache;
import io.crema.cache.examples.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Three cache nodes in one JVM for the cache benchmarks: Aeron loopback, Chronicle logs. */
final class BenchCluster implements AutoCloseable {
  /**
   * Datagram size between the nodes: loopback carries 64 KiB datagrams whole, so the nodes batch
   * messages into 8 KiB ones (less CPU per put than with Aeron's default 1408 here, see
   * benchmarks/README.md). The limit row's Aeron rate is measured at the same MTU.
   */
  static final int LOOPBACK_MTU = 8192;

  final DistributedCache[] nodes = new DistributedCache[3];
  private final Path dir;

  BenchCluster(int shards) throws IOException {
    this(shards, CacheConfig.DEFAULT_IDLE_MAX_PARK, CacheConfig.StorageType.CHRONICLE);
  }

  BenchCluster(int shards, Duration idleMaxPark, CacheConfig.StorageType storage)
      throws IOException {
    dir = Files.createTempDirectory("crema-cache-bench");
    int[] ports = LoopbackPorts.free(3);
    for (int i = 0; i < 3; i++) {
      CacheConfig.Builder b =
          CacheConfig.builder()
              .nodeId(i + 1)
              .raftAddress("127.0.0.1:" + ports[i])
              .storage(storage)
              .shards(shards)
              .maxBytes(1L << 30)
              .requestTimeout(Duration.ofSeconds(30))
              .idleMaxPark(idleMaxPark)
              .transportMtu(LOOPBACK_MTU);
      if (storage == CacheConfig.StorageType.CHRONICLE) {
        b.dataDirectory(dir.resolve("node-" + (i + 1)));
      }
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
  }

  /**
   * The id of node {@code nodeId}'s event-loop thread (its host agent, which also runs its Aeron
   * transport and its Chronicle log): where that node's share of the write path runs.
   */
  static long hostThreadId(int nodeId) {
    String name = "crema-raft-host-" + nodeId;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no thread named " + name);
  }

  /** The node leading {@code shard}, as node 1 sees it (0 if unknown). */
  long leaderOf(int shard) {
    Long leader = nodes[0].multiraftCoordinator().shardLeaders().get(shard);
    return leader == null ? 0 : leader;
  }

  @Override
  public void close() throws IOException {
    for (DistributedCache n : nodes) {
      n.shutdown();
    }
    BenchSupport.deleteRecursively(dir);
  }
}
