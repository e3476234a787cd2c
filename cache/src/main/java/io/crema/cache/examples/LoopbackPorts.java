package io.crema.cache.examples;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free ports on the loopback address, for demos, tests and benchmarks that run several nodes. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** Binds a socket to {@code any}, adds it to {@code held} (closed after probing), its port. */
  private interface Probe {
    int bind(InetSocketAddress any, List<Closeable> held) throws IOException;
  }

  /** {@code n} distinct UDP ports that were free when probed (another process may take them). */
  public static int[] free(int n) {
    return probe(
        n,
        (a, held) -> {
          DatagramSocket s = new DatagramSocket(null);
          held.add(s);
          s.bind(a);
          return s.getLocalPort();
        });
  }

  /** {@code n} distinct TCP ports that were free when probed (another process may take them). */
  public static int[] freeTcp(int n) {
    return probe(
        n,
        (a, held) -> {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.bind(a);
          return s.getLocalPort();
        });
  }

  private static int[] probe(int n, Probe probe) {
    List<Closeable> held = new ArrayList<>();
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        ports[i] = probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), held);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (Closeable s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // probing only
        }
      }
    }
    return ports;
  }
}
