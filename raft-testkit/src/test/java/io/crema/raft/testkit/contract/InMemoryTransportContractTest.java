package io.crema.raft.testkit.contract;

import io.crema.raft.Transport;
import io.crema.raft.transport.InMemoryNetwork;

/** The transport contract against raft-core's in-memory transport. */
class InMemoryTransportContractTest extends TransportContractTest {
  @Override
  protected Fixture newFixture() {
    InMemoryNetwork net = new InMemoryNetwork(4096);
    return new Fixture() {
      @Override
      public Transport transport(long nodeId) {
        return net.join(nodeId);
      }

      @Override
      public void partition(long a, long b) {
        net.partition(a, b);
      }

      @Override
      public void heal() {
        net.heal();
      }

      @Override
      public void close() {}
    };
  }
}
