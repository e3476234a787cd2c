package io.crema.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many writes in flight through followers to one shard leader: every one gets an answer. */
class ForwardingLoadTest {
  private TestNodes cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void thousandsOfForwardedWritesInFlightAllComplete() throws Exception {
    cluster = new TestNodes(3, b -> b.shards(1));
    for (int round = 0; round < 5; round++) {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (int i = 0; i < 4096; i++) {
        fs.add(cluster.nodes[i % 3].put("key-" + i, "r" + round));
      }
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    }
    assertEquals("r4", cluster.nodes[0].consistentGet("key-4095").get(30, TimeUnit.SECONDS));
  }
}
