package io.crema.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingQueueTest {
  private record Item(long index, long term, long start, CompletableFuture<Object> f) {}

  /** Polls the head, checking it is {@code it}. */
  private static void pollHeadExpecting(PendingQueue q, Item it, String where) {
    assertEquals(it.index(), q.headIndex(), where);
    assertEquals(it.term(), q.headTerm(), where);
    assertEquals(it.start(), q.headStartNs(), where);
    assertSame(it.f(), q.pollHead(), where);
  }

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
        pollHeadExpecting(q, it, where);
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

  /**
   * Inserts mostly in index order, sometimes below the newest (a follower told of positions by two
   * leaders), and removals from the head: the queue stays in index order, equal indexes in arrival
   * order, against a sorted list.
   */
  @Test
  void insertKeepsIndexOrder() {
    long seed = 20261123L;
    SplittableRandom random = new SplittableRandom(seed);
    PendingQueue q = new PendingQueue();
    List<Item> model = new ArrayList<>();
    long next = 1;
    for (int step = 0; step < 100_000; step++) {
      String where = "seed " + seed + " step " + step;
      if (random.nextInt(10) < 6 || model.isEmpty()) {
        long index = random.nextInt(8) == 0 ? Math.max(1, next - random.nextInt(1, 40)) : next++;
        Item it = new Item(index, random.nextLong(5), random.nextLong(), new CompletableFuture<>());
        q.insert(it.index(), it.term(), it.f(), it.start());
        int at = model.size();
        while (at > 0 && model.get(at - 1).index() > index) {
          at--;
        }
        model.add(at, it);
      } else {
        Item it = model.remove(0);
        pollHeadExpecting(q, it, where);
      }
      assertEquals(model.size(), q.size(), where);
    }
    assertTrue(q.size() > 64, "the run should have grown the ring past its initial 64 slots");
  }
}
