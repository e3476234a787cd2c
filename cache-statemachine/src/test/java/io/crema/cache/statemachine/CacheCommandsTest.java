package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.Replicas.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheCommandsTest {
  private static final long NOW = 1_700_000_000_000L;
  private final CacheCommands commands = CacheCommands.withDefaultLimits();

  @Test
  void putEncodesCompactlyAndDecodes() {
    byte[] cmd = commands.put(bytes("key"), bytes("value"), 0, NOW, null);
    assertEquals(11 + 1 + 3 + 1 + 5, cmd.length, "header + two length-prefixed strings");
    CommandReader r = new CommandReader().wrap(cmd);
    assertEquals(CommandFormat.OP_PUT, r.op);
    assertEquals(NOW, r.timestampMs);
    assertEquals(0, r.expireAtMs);
    assertArrayEquals(bytes("key"), Arrays.copyOfRange(cmd, r.keyOff, r.keyOff + r.keyLen));
    assertArrayEquals(bytes("value"), Arrays.copyOfRange(cmd, r.valueOff, r.valueOff + r.valueLen));
  }

  @Test
  void requestIdAndTtlRoundTrip() {
    byte[] cmd =
        commands.compareAndSetVersion(
            bytes("k"), 42, bytes("v"), 1000, NOW, new RequestId(7, 3, 1));
    CommandReader r = new CommandReader().wrap(cmd);
    assertEquals(NOW + 1000, r.expireAtMs);
    assertEquals(7, r.clientId);
    assertEquals(3, r.seq);
    assertEquals(1, r.ackedSeq);
    assertEquals(42, r.longArg);
    commands.validate(cmd);
  }

  @Test
  void restampMovesTimestampAndExpireAtTogether() {
    byte[] cmd = commands.put(bytes("k"), bytes("v"), 500, NOW, null);
    CacheCommands.restamp(cmd, NOW + 10_000);
    CommandReader r = new CommandReader().wrap(cmd);
    assertEquals(NOW + 10_000, r.timestampMs);
    assertEquals(NOW + 10_500, r.expireAtMs);
    assertEquals(NOW + 10_000, CacheCommands.timestampOf(cmd));
  }

  @Test
  void oversizedKeyNamesSizeAndLimit() {
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class,
            () -> commands.put(new byte[64 * 1024 + 1], bytes("v"), 0, NOW, null));
    assertEquals("key is 65537 bytes, larger than the limit of 65536 bytes", e.getMessage());
  }

  @Test
  void oversizedValueNamesSizeAndLimit() {
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class,
            () -> commands.put(bytes("k"), new byte[(1 << 20) + 5], 0, NOW, null));
    assertEquals("value is 1048581 bytes, larger than the limit of 1048576 bytes", e.getMessage());
  }

  @Test
  void configuredLimitsApply() {
    CacheCommands small =
        CacheCommands.create(CommandLimits.builder().maxKeyBytes(4).maxValueBytes(8).build());
    assertThrows(
        InvalidCommandException.class, () -> small.put(bytes("12345"), bytes("v"), 0, NOW, null));
    assertThrows(
        InvalidCommandException.class, () -> small.put(bytes("k"), new byte[9], 0, NOW, null));
    small.put(bytes("1234"), new byte[8], 0, NOW, null);
    assertThrows(
        IllegalStateException.class, () -> CommandLimits.builder().maxKeyBytes(1).maxKeyBytes(2));
  }

  @Test
  void ttlOutOfRangeIsRejected() {
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class,
            () -> commands.put(bytes("k"), bytes("v"), -5, NOW, null));
    assertTrue(
        e.getMessage().startsWith("TTL -5 ms is outside the allowed range [1, "), e.getMessage());
    assertThrows(
        InvalidCommandException.class,
        () ->
            commands.put(bytes("k"), bytes("v"), CommandLimits.DEFAULT_MAX_TTL_MS + 1, NOW, null));
  }

  @Test
  void emptyKeyAndBadRequestIdsAreRejected() {
    assertEquals(
        "key is 0 bytes; it must not be empty",
        assertThrows(InvalidCommandException.class, () -> commands.delete(new byte[0], NOW, null))
            .getMessage());
    assertThrows(InvalidCommandException.class, () -> new RequestId(0, 1, 0));
    assertThrows(InvalidCommandException.class, () -> new RequestId(1, 0, 0));
    assertThrows(InvalidCommandException.class, () -> new RequestId(1, 5, 5));
    assertThrows(InvalidCommandException.class, () -> commands.tick(0));
  }

  @Test
  void validateRefusesMalformedAndInternalCommands() {
    byte[] ok = commands.delete(bytes("k"), NOW, null);
    byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
    assertTrue(
        assertThrows(InvalidCommandException.class, () -> commands.validate(trailing))
            .getMessage()
            .contains("trailing"));
    byte[] truncated = Arrays.copyOf(ok, ok.length - 1);
    assertThrows(InvalidCommandException.class, () -> commands.validate(truncated));
    byte[] badVersion = ok.clone();
    badVersion[0] = 9;
    assertTrue(
        assertThrows(InvalidCommandException.class, () -> commands.validate(badVersion))
            .getMessage()
            .contains("format version 9"));
    byte[] evict = CacheCommands.evict(NOW, List.of(new Key(bytes("k"))), new long[] {3});
    assertThrows(InvalidCommandException.class, () -> commands.validate(evict));
    CommandLimits tiny = CommandLimits.builder().maxValueBytes(2).build();
    byte[] big = commands.put(bytes("k"), bytes("abc"), 0, NOW, null);
    assertThrows(InvalidCommandException.class, () -> CacheCommands.create(tiny).validate(big));
  }
}
