package io.crema.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Three cache nodes in one JVM on free loopback ports. */
final class TestNodes implements AutoCloseable {
  final int[] ports;
  final DistributedCache[] nodes;
  private final Consumer<CacheConfig.Builder> settings;

  TestNodes(int n, Consumer<CacheConfig.Builder> settings) {
    this.ports = freeUdpPorts(n);
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
            .requestTimeout(java.time.Duration.ofSeconds(10));
    for (int j = 0; j < ports.length; j++) {
      if (j != i) {
        b.seedNode(j + 1, "127.0.0.1:" + ports[j]);
      }
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

  static int[] freeUdpPorts(int n) {
    List<DatagramSocket> held = new ArrayList<>();
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        DatagramSocket s = new DatagramSocket(null);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        held.add(s);
        ports[i] = s.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      held.forEach(DatagramSocket::close);
    }
    return ports;
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
