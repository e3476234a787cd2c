package io.crema.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.raft.testkit.Await;
import io.crema.raft.testkit.host.KvStateMachine;
import io.crema.raft.transport.InMemoryNetwork;
import io.crema.raft.transport.InMemoryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real hosts on this log: nodes are stopped and restarted on their Chronicle directories at seeded
 * moments while clients write; every acknowledged write survives and every node converges.
 * -Dwal.host.seed=S replays one schedule.
 */
class ChronicleHostRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final InMemoryNetwork network = new InMemoryNetwork();
  private final Path[] dirs = new Path[3];
  private final MemorySnapshotStore[] snapshots = new MemorySnapshotStore[3];
  private final RaftHost[] hosts = new RaftHost[3];
  private final ChronicleLogStore[] logs = new ChronicleLogStore[3];
  private final InMemoryTransport[] transports = new InMemoryTransport[3];
  private final KvStateMachine[] kvs = new KvStateMachine[3];

  private void start(int i) {
    logs[i] = ChronicleLogStore.open(ChronicleLogConfig.builder(dirs[i]).build());
    transports[i] = network.join(i + 1);
    hosts[i] =
        RaftHost.create(
                HostConfig.builder(i + 1)
                    .logStore(logs[i])
                    .snapshotStore(snapshots[i])
                    .transport(transports[i])
                    .tickIntervalMs(5)
                    .snapshotEntries(300)
                    .snapshotKeepEntries(50)
                    .build())
            .start();
    kvs[i] = new KvStateMachine();
    hosts[i].startGroup(0, kvs[i], 1, 2, 3).join();
  }

  private void stop(int i) {
    hosts[i].close();
    transports[i].close();
    logs[i].close();
    hosts[i] = null;
  }

  private RaftHost leader() {
    for (RaftHost h : hosts) {
      if (h != null && h.view(0) != null && h.view(0).isLeader()) {
        return h;
      }
    }
    return null;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = 0; i < 3; i++) {
      if (hosts[i] != null) {
        stop(i);
      }
      if (dirs[i] != null) {
        try (Stream<Path> s = Files.walk(dirs[i])) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  void acknowledgedWritesSurviveRestartsOnChronicle() throws Exception {
    long seed = Long.getLong("wal.host.seed", 20261122L);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 3; i++) {
      dirs[i] = Files.createTempDirectory("crema-wal-host-" + (i + 1));
      snapshots[i] = new MemorySnapshotStore();
      start(i);
    }
    List<String> acked = new ArrayList<>();
    int key = 0;
    for (int round = 0; round < 6; round++) {
      Await.until(() -> leader() != null, WAIT, "a leader (seed " + seed + ")");
      RaftHost l = leader();
      List<CompletableFuture<Object>> fs = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String k = "k" + key++;
        keys.add(k);
        fs.add(l.propose(0, KvStateMachine.put(k, "v")));
      }
      for (int i = 0; i < fs.size(); i++) {
        try {
          fs.get(i).get();
          acked.add(keys.get(i));
        } catch (Exception e) {
          // not acknowledged: may or may not be there
        }
      }
      int victim = rnd.nextInt(3);
      stop(victim);
      if (rnd.nextBoolean()) {
        // Write while it is down, so it must catch up (maybe from a snapshot).
        Await.until(() -> leader() != null, WAIT, "a leader with node " + (victim + 1) + " down");
        leader().propose(0, KvStateMachine.put("while-down-" + round, "x")).get();
        acked.add("while-down-" + round);
      }
      start(victim);
    }
    // Everything restarts at once: state comes back from the logs alone.
    for (int i = 0; i < 3; i++) {
      stop(i);
    }
    for (int i = 0; i < 3; i++) {
      start(i);
    }
    Await.until(() -> leader() != null, WAIT, "a leader after a full restart");
    leader().propose(0, KvStateMachine.put("final", "f")).get();
    for (int i = 0; i < 3; i++) {
      int n = i;
      Await.until(() -> "f".equals(kvs[n].get("final")), WAIT, "node " + (n + 1) + " caught up");
      for (String k : acked) {
        assertEquals(
            k.startsWith("while-down") ? "x" : "v",
            kvs[n].get(k),
            "acknowledged write " + k + " on node " + (n + 1) + " (seed " + seed + ")");
      }
    }
    assertEquals(kvs[0].contents(), kvs[1].contents());
    assertEquals(kvs[1].contents(), kvs[2].contents());
  }
}
