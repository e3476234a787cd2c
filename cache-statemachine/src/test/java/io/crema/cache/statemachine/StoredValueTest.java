package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.Replicas.applyOne;
import static io.crema.cache.statemachine.Replicas.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Stored values are views of the command that wrote them, compacted out of large commands. */
class StoredValueTest {
  private static final long NOW = 1_700_000_000_000L;
  private final CacheCommands cmd = CacheCommands.withDefaultLimits();

  private static StoredValue stored(DefaultCacheStateMachine sm, byte[] key) {
    return sm.currentState().map.get(new Key(key));
  }

  @Test
  void aPutKeepsTheCommandsBytesWithoutCopyingThem() {
    DefaultCacheStateMachine sm =
        (DefaultCacheStateMachine)
            CacheStateMachine.create(CacheStateMachineConfig.builder().build());
    byte[] put = cmd.put(bytes("key-1"), bytes("value-one"), 0, NOW, null);
    applyOne(sm, 1, put);
    StoredValue v = stored(sm, bytes("key-1"));
    assertEquals(put.length, v.backingLength(), "the value is a view of the command");
    assertEquals(9, v.length());
    assertArrayEquals(bytes("value-one"), v.copy());
    assertArrayEquals(bytes("value-one"), sm.get(bytes("key-1")));
    assertTrue(v.contentEquals(bytes("xvalue-onex"), 1, 9));
    assertFalse(v.contentEquals(bytes("value-two"), 0, 9));
  }

  @Test
  void aValueInAMuchLargerCommandIsCopiedOutWithItsKey() {
    DefaultCacheStateMachine sm =
        (DefaultCacheStateMachine)
            CacheStateMachine.create(CacheStateMachineConfig.builder().build());
    applyOne(sm, 1, cmd.put(bytes("k"), new byte[1000], 0, NOW, null));
    // A compare-and-set carries the 1,000-byte expected value next to its 2-byte new one.
    byte[] cas = cmd.compareAndSetValue(bytes("k"), new byte[1000], bytes("42"), 0, NOW, null);
    applyOne(sm, 2, cas);
    StoredValue v = stored(sm, bytes("k"));
    assertEquals(3, v.backingLength(), "key and value packed into one small array");
    assertArrayEquals(bytes("42"), v.copy());
    assertTrue(v.isCounter());
    assertEquals(42, v.counter());
    assertSame(v, stored(sm, bytes("k")));
  }
}
