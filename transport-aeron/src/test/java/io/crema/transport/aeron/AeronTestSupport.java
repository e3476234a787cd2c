package io.crema.transport.aeron;

import io.crema.raft.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** Ports, configs and waiting for the Aeron tests. */
final class AeronTestSupport {
  static final long CLUSTER_ID = 0xC0FFEEL;

  private AeronTestSupport() {}

  /** {@code n} distinct free UDP ports on 127.0.0.1 (free when probed). */
  static int[] freeUdpPorts(int n) {
    List<DatagramSocket> held = new ArrayList<>();
    Set<Integer> ports = new HashSet<>();
    try {
      while (ports.size() < n) {
        DatagramSocket s = new DatagramSocket(null);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        held.add(s);
        ports.add(s.getLocalPort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      held.forEach(DatagramSocket::close);
    }
    return ports.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A config for node {@code id} of nodes 1..ports.length on the given ports, connecting to the
   * driver in {@code dir} (null: leave the directory unset).
   */
  static AeronTransportConfig.Builder config(long id, int[] ports, String dir) {
    AeronTransportConfig.Builder b =
        AeronTransportConfig.builder().nodeId(id).clusterId(CLUSTER_ID);
    if (dir != null) {
      b.aeronDirectoryName(dir);
    }
    for (int i = 0; i < ports.length; i++) {
      b.endpoint(i + 1, "127.0.0.1:" + ports[i]);
    }
    return b;
  }

  /** A backoff idle strategy for test loops: never a busy spin. */
  static IdleStrategy idle() {
    return new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
  }

  /**
   * Runs {@code step} and idles until {@code done} holds.
   *
   * @throws AssertionError with the message if the deadline passes first
   */
  static void await(long timeoutMs, BooleanSupplier done, Runnable step, Supplier<String> what) {
    IdleStrategy idle = idle();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
      }
      step.run();
      idle.idle();
    }
  }

  /** Waits until every transport's publication to every other one is connected. */
  static void awaitConnected(List<AeronTransport> transports, long timeoutMs) {
    await(
        timeoutMs,
        () -> {
          for (AeronTransport a : transports) {
            for (AeronTransport b : transports) {
              if (a != b && !a.isConnected(b.nodeId())) {
                return false;
              }
            }
          }
          return true;
        },
        () -> {},
        () -> "transports " + ids(transports) + " to connect to each other");
  }

  static List<Long> ids(List<? extends Transport> ts) {
    List<Long> ids = new ArrayList<>();
    ts.forEach(t -> ids.add(t.nodeId()));
    return ids;
  }
}
