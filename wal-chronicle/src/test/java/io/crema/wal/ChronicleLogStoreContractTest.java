package io.crema.wal;

import io.crema.raft.LogStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log store contract against the Chronicle store. A restart closes the store without a sync and
 * opens it again (what a killed process leaves: the OS keeps its written pages), so unsynced data
 * may survive; power loss is covered by the corruption tests.
 */
class ChronicleLogStoreContractTest extends LogStoreContractTest {
  @TempDir Path dir;

  @Override
  protected LogStore newStore() {
    return ChronicleLogStore.open(config());
  }

  private ChronicleLogConfig config() {
    // a tiny cache so that reads exercise the queue path too
    return ChronicleLogConfig.builder(dir.resolve("wal")).entryCache(4, 1 << 20).build();
  }

  @Override
  protected LogStore restart(LogStore store) {
    store.close();
    return ChronicleLogStore.open(config());
  }

  @Override
  protected boolean restartDropsUnsynced() {
    return false;
  }
}
