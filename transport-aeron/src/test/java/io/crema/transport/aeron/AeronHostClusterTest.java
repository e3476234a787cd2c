package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.raft.testkit.Await;
import io.crema.raft.testkit.host.KvStateMachine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real hosts on their own threads talking over Aeron UDP on loopback (one shared media driver). */
@Tag("slow")
class AeronHostClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private EmbeddedMediaDriver driver;
  private final int[] ports = AeronTestSupport.freeUdpPorts(3);
  private final RaftHost[] hosts = new RaftHost[3];
  private final AeronTransport[] transports = new AeronTransport[3];
  private final MemoryLogStore[] logs = new MemoryLogStore[3];
  private final MemorySnapshotStore[] snapshots = new MemorySnapshotStore[3];
  private final KvStateMachine[] kvs = new KvStateMachine[3];

  private void start(int i) {
    transports[i] =
        AeronTransport.start(
            AeronTestSupport.config(i + 1, ports, driver.aeronDirectoryName()).build());
    hosts[i] =
        RaftHost.create(
                HostConfig.builder(i + 1)
                    .logStore(logs[i])
                    .snapshotStore(snapshots[i])
                    .transport(transports[i])
                    .tickIntervalMs(10)
                    .electionTick(20)
                    .snapshotEntries(1000)
                    .snapshotKeepEntries(100)
                    .build())
            .start();
    kvs[i] = new KvStateMachine();
    hosts[i].startGroup(0, kvs[i], 1, 2, 3).join();
  }

  private void stop(int i) {
    hosts[i].close();
    transports[i].close();
    hosts[i] = null;
    logs[i].crash();
  }

  private int leader() {
    for (int i = 0; i < 3; i++) {
      if (hosts[i] != null && hosts[i].view(0) != null && hosts[i].view(0).isLeader()) {
        return i;
      }
    }
    return -1;
  }

  @AfterEach
  void tearDown() {
    for (int i = 0; i < 3; i++) {
      if (hosts[i] != null) {
        hosts[i].close();
        transports[i].close();
      }
    }
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void hostsReplicateFailOverAndRejoinOverUdp() throws Exception {
    driver = EmbeddedMediaDriver.launch();
    for (int i = 0; i < 3; i++) {
      logs[i] = new MemoryLogStore(true);
      snapshots[i] = new MemorySnapshotStore();
      start(i);
    }
    Await.until(() -> leader() >= 0, WAIT, "a leader over Aeron");
    int l = leader();
    List<CompletableFuture<Object>> fs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      fs.add(hosts[l].propose(0, KvStateMachine.put("k" + i, "v" + i)));
    }
    for (CompletableFuture<Object> f : fs) {
      f.get(30, TimeUnit.SECONDS);
    }
    int follower = (l + 1) % 3;
    assertEquals(
        "v2999",
        hosts[follower].read(0, () -> kvs[follower].get("k2999")).get(30, TimeUnit.SECONDS));

    stop(l);
    Await.until(
        () -> leader() >= 0 && leader() != l, WAIT, "a new leader after the old one stopped");
    int next = leader();
    hosts[next].propose(0, KvStateMachine.put("after", "failover")).get(30, TimeUnit.SECONDS);

    start(l); // same port, same log: it rejoins and catches up
    Await.until(() -> "failover".equals(kvs[l].get("after")), WAIT, "the restarted node caught up");
    assertEquals(kvs[next].get("k1234"), kvs[l].get("k1234"));
  }
}
