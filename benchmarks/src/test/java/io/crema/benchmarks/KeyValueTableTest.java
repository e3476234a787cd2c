package io.crema.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyValueTableTest {
  private static final int RUNS = Integer.getInteger("kvtable.runs", 200);

  /**
   * Random puts, removes and lookups against a HashMap model, over few keys (so that probe runs
   * collide, wrap and shift back) and through growth. Keys share their first eight bytes, as the
   * benchmarks' "key-%012d" keys do.
   */
  @Test
  void behavesLikeAMap() {
    long base = Long.getLong("kvtable.seed", System.nanoTime());
    for (int run = 0; run < RUNS; run++) {
      long seed = base + run;
      try {
        checkAgainstModel(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "failed; replay with -Dkvtable.seed=" + seed + " -Dkvtable.runs=1", e);
      }
    }
  }

  private static void checkAgainstModel(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int keys = 1 + r.nextInt(r.nextBoolean() ? 12 : 300);
    KeyValueTable t = new KeyValueTable(r.nextInt(8));
    Map<ByteBuffer, byte[]> model = new HashMap<>();
    byte[] command = new byte[40];
    for (int op = 0; op < 2_000; op++) {
      int k = r.nextInt(keys);
      int offset = r.nextInt(9); // the key at 0..8, the value right after it
      Arrays.fill(command, (byte) 0);
      System.arraycopy(key(k), 0, command, offset, 16);
      ByteBuffer mk = ByteBuffer.wrap(key(k));
      int choice = r.nextInt(10);
      if (choice < 5) {
        byte[] v = new byte[16];
        r.nextBytes(v);
        System.arraycopy(v, 0, command, offset + 16, 16);
        t.put(command, offset, offset + 16);
        model.put(mk, v);
      } else if (choice < 8) {
        assertEquals(model.remove(mk) != null, t.remove(command, offset), "remove of key " + k);
      } else {
        byte[] expected = model.get(mk);
        byte[] got = t.get(key(k));
        if (expected == null) {
          assertNull(got, "key " + k);
        } else {
          assertArrayEquals(expected, got, "key " + k);
        }
      }
      assertEquals(model.size(), t.size(), "size after operation " + op);
    }
    // Every key of the model is reachable, and nothing else is.
    for (int k = 0; k < keys; k++) {
      byte[] expected = model.get(ByteBuffer.wrap(key(k)));
      byte[] got = t.get(key(k));
      if (expected == null) {
        assertNull(got, "key " + k);
      } else {
        assertArrayEquals(expected, got, "key " + k);
      }
    }
    KeyValueTable copy = t.copy();
    KeyValueTable merged = new KeyValueTable(0);
    merged.putAll(t);
    t.clear();
    assertEquals(0, t.size());
    for (int k = 0; k < keys; k++) {
      byte[] expected = model.get(ByteBuffer.wrap(key(k)));
      assertNull(t.get(key(k)), "cleared key " + k);
      for (KeyValueTable other : new KeyValueTable[] {copy, merged}) {
        if (expected == null) {
          assertNull(other.get(key(k)), "key " + k);
        } else {
          assertArrayEquals(expected, other.get(key(k)), "key " + k);
        }
      }
    }
  }

  /** Keys that differ only in their last eight bytes. */
  private static byte[] key(int k) {
    return BenchSupport.key(k);
  }

  @Test
  void shortInputIsRefusedWithTheSizes() {
    KeyValueTable t = new KeyValueTable(4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> t.put(new byte[30], 0, 16));
    assertEquals(
        "a value is 16 bytes: offset 16 of a 30-byte array leaves 14 bytes", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.get(new byte[15]));
    assertEquals("a key is 16 bytes: offset 0 of a 15-byte array leaves 15 bytes", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.remove(new byte[16], -1));
    assertTrue(e.getMessage().startsWith("a key is 16 bytes: offset -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new KeyValueTable(-1));
    assertTrue(e.getMessage().startsWith("expected keys must be in [0, "), e.getMessage());
  }
}
