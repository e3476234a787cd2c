package io.crema.raft.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandAndOperationTest {

  @Test
  void commandsExposeWhatTheyInstallAndExpect() {
    assertEquals("v", Command.write("k", "v").newValue());
    assertNull(Command.delete("k").newValue());
    assertEquals("b", Command.cas("k", "a", "b").newValue());
    assertNull(Command.cas("k", null, "b").expected());
    assertNull(Command.cas("k", "a", null).newValue());
    assertThrows(IllegalStateException.class, () -> Command.read("k").newValue());
    assertThrows(IllegalStateException.class, () -> Command.write("k", "v").expected());
    assertFalse(Command.read("k").isMutation());
    assertTrue(Command.delete("k").isMutation());
    assertThrows(NullPointerException.class, () -> Command.write("k", null));
    assertThrows(NullPointerException.class, () -> Command.read(null));
  }

  @Test
  void commandsPrintAbsentExplicitly() {
    assertEquals("read(k)", Command.read("k").toString());
    assertEquals("write(k, \"v\")", Command.write("k", "v").toString());
    assertEquals("delete(k)", Command.delete("k").toString());
    assertEquals("cas(k, <absent> -> \"v\")", Command.cas("k", null, "v").toString());
    assertEquals(Command.cas("k", null, "v"), Command.cas("k", null, "v"));
    assertEquals(Command.cas("k", null, "v").hashCode(), Command.cas("k", null, "v").hashCode());
    assertNotEquals(Command.cas("k", null, "v"), Command.cas("k", "v", null));
  }

  @Test
  void operationsCarryTheirOutcome() {
    Operation read = Operation.read(1, "k", null, 3, 4);
    assertNull(read.observed());
    assertEquals(Operation.Status.OK, read.status());
    assertThrows(IllegalStateException.class, read::casSucceeded);
    Operation cas = Operation.cas(2, "k", "a", "b", false, 3, 4);
    assertFalse(cas.casSucceeded());
    assertThrows(IllegalStateException.class, cas::observed);
    Operation unknown = Operation.unknown(3, Command.read("k"), 7);
    assertTrue(unknown.isUnknown());
    assertEquals(Operation.UNKNOWN_RESPONSE, unknown.responseTime());
    assertThrows(IllegalStateException.class, unknown::observed);
    assertThrows(
        IllegalStateException.class,
        () -> Operation.unknown(3, Command.cas("k", "a", "b"), 7).casSucceeded());
    assertEquals("k", unknown.key());
    assertEquals(Command.Kind.READ, unknown.kind());
  }

  @Test
  void realTimeOrderIsStrict() {
    Operation a = Operation.write(1, "k", "a", 0, 5);
    assertTrue(a.precedes(Operation.read(2, "k", "a", 6, 7)));
    assertFalse(a.precedes(Operation.read(2, "k", "a", 5, 7)), "touching intervals overlap");
    assertFalse(a.precedes(Operation.unknown(2, Command.read("k"), 5)));
    assertFalse(Operation.unknown(2, Command.read("k"), 0).precedes(a));
  }

  @Test
  void badTimesAreRejectedWithTheValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Operation.write(1, "k", "v", 5, 4));
    assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e::getMessage);
    assertThrows(
        IllegalArgumentException.class,
        () -> Operation.read(1, "k", "v", 0, Operation.UNKNOWN_RESPONSE));
    assertThrows(
        IllegalArgumentException.class,
        () -> Operation.unknown(1, Command.read("k"), Operation.UNKNOWN_RESPONSE));
  }

  @Test
  void operationsPrintReadably() {
    assertEquals("c1 read(k) = \"a\" [3, 4]", Operation.read(1, "k", "a", 3, 4).toString());
    assertEquals(
        "c2 cas(k, \"a\" -> \"b\") = true [3, 4]",
        Operation.cas(2, "k", "a", "b", true, 3, 4).toString());
    assertEquals("c3 delete(k) = ok [1, 2]", Operation.delete(3, "k", 1, 2).toString());
    assertEquals(
        "c4 write(k, \"v\") = ? [9, inf)",
        Operation.unknown(4, Command.write("k", "v"), 9).toString());
  }

  @Test
  void historiesSortByInvocationAndSplitByKey() {
    Operation late = Operation.write(1, "b", "v", 10, 11);
    Operation early = Operation.read(2, "a", null, 0, 1);
    Operation tie = Operation.read(3, "b", null, 10, 12);
    History h = History.of(late, early, tie);
    assertEquals(List.of(early, late, tie), h.operations());
    assertEquals(List.of("a", "b"), List.copyOf(h.byKey().keySet()));
    assertEquals(List.of(late, tie), h.byKey().get("b"));
    assertTrue(h.toString().contains("History of 3 operations"));
    assertThrows(NullPointerException.class, () -> History.of(early, null));
  }
}
