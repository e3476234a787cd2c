package io.crema.transport.aeron;

import io.crema.raft.Transport;
import io.crema.raft.testkit.contract.TransportContractTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.agrona.CloseHelper;

/**
 * The transport contract over real Aeron UDP on loopback: nodes 1..3 of one cluster share one
 * embedded media driver (a fresh one per test). The fixture's transports are connected: each new
 * transport is handed out once its publications and those of the transports made before reach each
 * other. Partitions use the transport's fault-injection hook: {@code partition(a, b)} blocks b in
 * a's transport and a in b's, which drops traffic between them on send and on receive.
 */
class AeronTransportContractTest extends TransportContractTest {
  @Override
  protected Fixture newFixture() {
    EmbeddedMediaDriver driver = EmbeddedMediaDriver.launch();
    int[] ports = AeronTestSupport.freeUdpPorts(3);
    return new Fixture() {
      private final List<AeronTransport> transports = new ArrayList<>();
      private final Set<long[]> partitions = new HashSet<>();

      @Override
      public Transport transport(long nodeId) {
        AeronTransport t =
            AeronTransport.start(
                AeronTestSupport.config(nodeId, ports, driver.aeronDirectoryName()).build());
        transports.add(t);
        for (long[] p : partitions) {
          apply(p[0], p[1]);
        }
        AeronTestSupport.awaitConnected(transports, 10_000);
        return t;
      }

      @Override
      public void partition(long a, long b) {
        partitions.add(new long[] {a, b});
        apply(a, b);
      }

      private void apply(long a, long b) {
        for (AeronTransport t : transports) {
          if (t.nodeId() == a) {
            t.blockPeer(b);
          } else if (t.nodeId() == b) {
            t.blockPeer(a);
          }
        }
      }

      @Override
      public void heal() {
        partitions.clear();
        transports.forEach(AeronTransport::unblockAllPeers);
      }

      @Override
      public void close() {
        CloseHelper.closeAll(transports);
        driver.close();
      }
    };
  }
}
