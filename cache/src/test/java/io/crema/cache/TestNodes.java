package io.crema.cache;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Three cache nodes in one JVM on free loopback ports. */
final class TestNodes implements AutoCloseable {
  final int[] ports;
  final DistributedCache[] nodes;
  private final Consumer<CacheConfig.Builder> settings;
  private final Path dataRoot;
  private final java.time.Duration requestTimeout;

  TestNodes(int n, Consumer<CacheConfig.Builder> settings) {
    this(n, null, settings);
  }

  /** Nodes with Chronicle logs and snapshot files under {@code dataRoot/node-N}. */
  TestNodes(int n, Path dataRoot, Consumer<CacheConfig.Builder> settings) {
    this(n, dataRoot, java.time.Duration.ofSeconds(10), settings);
  }

  TestNodes(
      int n,
      Path dataRoot,
      java.time.Duration requestTimeout,
      Consumer<CacheConfig.Builder> settings) {
    this.dataRoot = dataRoot;
    this.requestTimeout = requestTimeout;
    this.ports = io.crema.cache.examples.LoopbackPorts.free(n);
    this.nodes = new DistributedCache[n];
    this.settings = settings;
    for (int i = 0; i < n; i++) {
      start(i);
    }
  }

  CacheConfig config(int i) {
    CacheConfig.Builder b =
        CacheConfig.builder()
            .nodeId(i + 1)
            .raftAddress("127.0.0.1:" + ports[i])
            .tickIntervalMs(10)
            .electionTick(20)
            .requestTimeout(requestTimeout);
    if (i == 1) {
      // Node 2 sends loopback-sized datagrams, the others Aeron's default: both sizes, and a
      // cluster that mixes them, are exercised by every test.
      b.transportMtu(8192);
    }
    for (int j = 0; j < ports.length; j++) {
      if (j != i) {
        b.seedNode(j + 1, "127.0.0.1:" + ports[j]);
      }
    }
    if (dataRoot != null) {
      b.storage(CacheConfig.StorageType.CHRONICLE).dataDirectory(dataDir(dataRoot, i));
    }
    settings.accept(b);
    return b.build();
  }

  void start(int i) {
    nodes[i] = DistributedCache.create(config(i));
    nodes[i].start().join();
  }

  void stop(int i) {
    nodes[i].shutdown();
    nodes[i] = null;
  }

  static Path dataDir(Path root, int i) {
    return root.resolve("node-" + (i + 1));
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        nodes[i].shutdown();
        nodes[i] = null;
      }
    }
  }
}
