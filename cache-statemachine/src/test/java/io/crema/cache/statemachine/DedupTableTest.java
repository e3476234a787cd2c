package io.crema.cache.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DedupTableTest {
  private static List<Long> order(DedupTable t) {
    List<Long> ids = new ArrayList<>();
    for (DedupTable.Session s : t.sessionsInOrder()) {
      ids.add(s.clientId);
    }
    return ids;
  }

  @Test
  void leastRecentlyAppliedClientIsDroppedAndComesBackEmpty() {
    DedupTable t = new DedupTable(2, 4);
    DedupTable.Session one = t.session(1, 0);
    t.session(2, 0);
    t.session(1, 0); // 1 is now the most recent
    assertEquals(List.of(2L, 1L), order(t));
    t.session(3, 0); // drops 2
    assertEquals(List.of(1L, 3L), order(t));
    assertEquals(1, t.droppedSessions());
    assertSame(one, t.session(1, 0));
    DedupTable.Session two = t.session(2, 0); // back, as a new session; drops 3
    assertEquals(List.of(1L, 2L), order(t));
    assertEquals(2, t.droppedSessions());
    assertNotSame(two, t.session(3, 0)); // 3 was dropped: a new session, which drops 1
    assertEquals(List.of(2L, 3L), order(t));
  }

  /** Random session traffic against an access-ordered map: same order, same drops. */
  @Test
  void matchesAnAccessOrderedMapModel() {
    long seed = 42;
    SplittableRandom random = new SplittableRandom(seed);
    int max = 8;
    DedupTable t = new DedupTable(max, 4);
    long[] dropped = {0};
    Map<Long, Boolean> model =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            if (size() > max) {
              dropped[0]++;
              return true;
            }
            return false;
          }
        };
    for (int i = 0; i < 50_000; i++) {
      long id = 1 + random.nextInt(20);
      t.session(id, 0);
      if (model.get(id) == null) {
        model.put(id, true);
      }
      assertEquals(new ArrayList<>(model.keySet()), order(t), "seed " + seed + " step " + i);
    }
    assertEquals(dropped[0], t.droppedSessions(), "seed " + seed);
  }

  /**
   * Random acks and records against a list model of one session (results above the floor in the
   * order recorded; a full window forgets its lowest): same floor, same results, same order, for
   * windows of 1 (fields only), 2 and 5 (fields and arrays).
   */
  @Test
  void sessionResultsMatchAListModel() {
    long seed = 7;
    SplittableRandom random = new SplittableRandom(seed);
    for (int window : new int[] {1, 2, 5}) {
      DedupTable.Session s = new DedupTable.Session(9, 0, window);
      List<long[]> model = new ArrayList<>(); // {seq, result id}
      long floor = 0;
      CacheResult[] results = new CacheResult[64];
      for (int i = 0; i < results.length; i++) {
        results[i] = new CacheResult.Conflict(i);
      }
      for (int step = 0; step < 20_000; step++) {
        String where = "seed " + seed + " window " + window + " step " + step;
        long seq = floor + 1 + random.nextInt(8);
        if (random.nextInt(4) == 0) {
          long acked = floor + random.nextInt(4);
          s.ack(acked);
          if (acked > floor) {
            floor = acked;
            long f = floor;
            model.removeIf(r -> r[0] <= f);
          }
        } else if (s.find(seq) == null) {
          int result = random.nextInt(results.length);
          s.record(seq, results[result]);
          if (model.size() == window) {
            long min = model.stream().mapToLong(r -> r[0]).min().getAsLong();
            floor = Math.max(floor, min);
            long f = floor;
            model.removeIf(r -> r[0] <= f);
          }
          model.add(new long[] {seq, result});
        }
        assertEquals(floor, s.floor, where);
        assertEquals(model.size(), s.size(), where);
        for (int i = 0; i < model.size(); i++) {
          assertEquals(model.get(i)[0], s.seqAt(i), where);
          assertSame(results[(int) model.get(i)[1]], s.resultAt(i), where);
          assertSame(results[(int) model.get(i)[1]], s.find(model.get(i)[0]), where);
        }
        DedupTable.Session copy = s.copy();
        assertEquals(s.size(), copy.size(), where);
        for (int i = 0; i < s.size(); i++) {
          assertEquals(s.seqAt(i), copy.seqAt(i), where);
        }
      }
    }
  }
}
