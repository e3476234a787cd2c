package io.crema.cache.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Free UDP ports on the loopback address, for demos and tests that run several nodes. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** {@code n} distinct ports that were free when probed (another process may take them later). */
  public static int[] free(int n) {
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
}
