package io.crema.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three nodes with Chronicle logs and snapshot files: restarts recover from disk. */
class ChronicleCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestNodes cluster;
  private Path root;

  @AfterEach
  void tearDown() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (root != null) {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void writeMany(DistributedCache via, int from, int to) throws Exception {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      fs.add(via.put("k" + i, "v" + i));
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
  }

  @Test
  void stoppedFollowerCatchesUpFromItsLogAndFromSnapshots() throws Exception {
    root = Files.createTempDirectory("crema-chronicle-cache");
    cluster = new TestNodes(3, root, b -> b.checkpointEntries(200).shards(2));
    writeMany(cluster.nodes[0], 0, 500);
    cluster.stop(2);
    // While node 3 is down the others write far past their snapshot thresholds, so their logs
    // are compacted below what node 3 has: it must catch up from a snapshot.
    writeMany(cluster.nodes[1], 500, 3_000);
    cluster.start(2);
    DistributedCache back = cluster.nodes[2];
    // Each shard catches up on its own: wait for every key checked below, whatever its shard.
    Await.until(
        () -> {
          for (int i = 0; i < 3_000; i += 97) {
            if (!("v" + i).equals(back.get("k" + i))) {
              return false;
            }
          }
          return "v2999".equals(back.get("k2999"));
        },
        WAIT,
        "node 3 caught up");
    for (int i = 0; i < 3_000; i += 97) {
      assertEquals("v" + i, back.get("k" + i), "key k" + i + " on the restarted node");
    }
    // Everything restarts from disk alone.
    for (int i = 0; i < 3; i++) {
      cluster.stop(i);
    }
    for (int i = 0; i < 3; i++) {
      cluster.start(i);
    }
    assertEquals("v1234", cluster.nodes[0].consistentGet("k1234").get(30, TimeUnit.SECONDS));
    assertTrue(cluster.nodes[1].metrics().entries() > 0);
  }
}
