package io.crema.wal;

import io.crema.raft.LogStore;
import io.crema.raft.storage.MemoryLogStore;

/** The log store contract against raft-core's in-memory store (crash simulation on). */
class MemoryLogStoreContractTest extends LogStoreContractTest {
  @Override
  protected LogStore newStore() {
    return new MemoryLogStore(true);
  }

  @Override
  protected LogStore restart(LogStore store) {
    ((MemoryLogStore) store).crash();
    return store;
  }

  @Override
  protected boolean restartDropsUnsynced() {
    return true;
  }
}
