package io.crema.cache.statemachine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aViewEqualsTheSameBytesOwnedOrViewedElsewhere() {
    byte[] command = ascii("xxkey-1yyyy");
    Key view = Key.view(command, 2, 5);
    Key owned = new Key(ascii("key-1"));
    Key other = Key.view(ascii("key-1zz"), 0, 5);
    assertEquals(owned, view);
    assertEquals(view, other);
    assertEquals(owned.hashCode(), view.hashCode());
    assertEquals(view.hashCode(), other.hashCode());
    assertNotEquals(owned, Key.view(command, 2, 4));
    assertNotEquals(owned, new Key(ascii("key-2")));
    assertEquals(5, view.length());
    assertArrayEquals(ascii("key-1"), view.bytes());
  }

  @Test
  void compactKeepsSmallViewsAndCopiesKeysOutOfLargeCommands() {
    byte[] small = new byte[5 + Key.MAX_SHARED_SLACK];
    Key v = Key.view(small, 0, 5);
    assertSame(v, v.compact());
    byte[] large = new byte[5 + Key.MAX_SHARED_SLACK + 1];
    large[3] = 7;
    Key w = Key.view(large, 1, 5);
    Key c = w.compact();
    assertNotSame(w, c);
    assertEquals(w, c);
    assertEquals(5, c.bytes().length);
  }
}
