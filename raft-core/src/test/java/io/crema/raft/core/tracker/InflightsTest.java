package io.crema.raft.core.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightsTest {
  @Test
  void boundedByCountAndFreedByPrefix() {
    Inflights in = new Inflights(3, 0);
    in.add(10, 1);
    in.add(20, 1);
    in.add(30, 1);
    assertTrue(in.full());
    assertThrows(IllegalStateException.class, () -> in.add(40, 1));
    in.freeLe(20);
    assertEquals(1, in.count());
    assertFalse(in.full());
    in.add(40, 1);
    in.add(50, 1);
    in.freeLe(45);
    assertEquals(1, in.count());
    assertEquals(1, in.bytes());
  }

  @Test
  void boundedByBytes() {
    Inflights in = new Inflights(100, 1000);
    in.add(1, 600);
    assertFalse(in.full());
    in.add(2, 500);
    assertTrue(in.full());
    in.freeLe(1);
    assertFalse(in.full());
    assertEquals(500, in.bytes());
  }

  @Test
  void wrapsAround() {
    Inflights in = new Inflights(4, 0);
    for (long i = 1; i <= 100; i++) {
      in.add(i, 10);
      if (i % 3 == 0) {
        in.freeLe(i - 1);
      }
      if (in.full()) {
        in.freeLe(i);
      }
    }
    assertTrue(in.count() <= 4);
  }

  @Test
  void rejectsBadLimits() {
    assertThrows(IllegalArgumentException.class, () -> new Inflights(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Inflights(1, -1));
  }
}
