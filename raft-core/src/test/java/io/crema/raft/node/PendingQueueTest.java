package io.crema.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingQueueTest {
  private record Item(long index, long term, long start, CompletableFuture<Object> f) {}

  /** Random adds and removals at both ends, with wrap-around and growth, against a deque. */
  @Test
  void behavesLikeADequeThroughWrapAndGrowth() {
    long seed = 20261122L;
    SplittableRandom random = new SplittableRandom(seed);
    PendingQueue q = new PendingQueue();
    ArrayDeque<Item> model = new ArrayDeque<>();
    long next = 1;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      String where = "seed " + seed + " step " + step;
      if (op < 5 || model.isEmpty()) {
        Item it =
            new Item(next++, random.nextLong(5), random.nextLong(), new CompletableFuture<>());
        q.addLast(it.index(), it.term(), it.f(), it.start());
        model.addLast(it);
      } else if (op < 9) {
        Item it = model.pollFirst();
        assertEquals(it.index(), q.headIndex(), where);
        assertEquals(it.term(), q.headTerm(), where);
        assertEquals(it.start(), q.headStartNs(), where);
        assertSame(it.f(), q.pollHead(), where);
      } else {
        Item it = model.pollLast();
        assertEquals(it.index(), q.lastIndex(), where);
        assertSame(it.f(), q.pollLast(), where);
      }
      assertEquals(model.size(), q.size(), where);
      assertEquals(model.isEmpty(), q.isEmpty(), where);
    }
    assertTrue(q.size() > 64, "the run should have grown the ring past its initial 64 slots");
  }
}
