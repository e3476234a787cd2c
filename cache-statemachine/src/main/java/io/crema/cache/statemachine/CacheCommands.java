package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.CommandFormat.*;

import java.util.List;

/**
 * Encodes cache commands and validates them before they are proposed, so that applying a committed
 * command never fails. Thread-safe and stateless apart from its limits.
 *
 * <p>Every command carries a timestamp in epoch milliseconds ({@code nowMs}, the proposer's clock)
 * that becomes the state machine's notion of "now" when it is applied. The leader should restamp
 * each command with its own clock just before proposing ({@link #restamp}); a TTL is stored as an
 * absolute expire-at of {@code timestamp + ttlMs} and moves with the restamp. A TTL of 0 means "no
 * expiry". A {@link RequestId} (may be null) makes a non-idempotent command apply at most once when
 * retried.
 *
 * <p>Every method throws {@link InvalidCommandException} naming the offending value and the limit
 * if a key, value or TTL is out of range; nothing is encoded then.
 */
public final class CacheCommands {
  private final CommandLimits limits;

  private CacheCommands(CommandLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
    this.limits = limits;
  }

  /** An encoder checking the given limits. */
  public static CacheCommands create(CommandLimits limits) {
    return new CacheCommands(limits);
  }

  /** An encoder checking {@link CommandLimits#defaults()}. */
  public static CacheCommands withDefaultLimits() {
    return new CacheCommands(CommandLimits.defaults());
  }

  public CommandLimits limits() {
    return limits;
  }

  /** Sets key to value (replacing any previous value and TTL). Result: {@code Status.OK}. */
  public byte[] put(byte[] key, byte[] value, long ttlMs, long nowMs, RequestId id) {
    return encodeKeyValue(OP_PUT, key, value, ttlMs, nowMs, id);
  }

  /**
   * Sets key to value only if the key is absent (or expired). Result: {@code Status.OK} or a {@code
   * Conflict} with the current version.
   */
  public byte[] putIfAbsent(byte[] key, byte[] value, long ttlMs, long nowMs, RequestId id) {
    return encodeKeyValue(OP_PUT_IF_ABSENT, key, value, ttlMs, nowMs, id);
  }

  /**
   * Sets key to value only if it is present with exactly the expected value. Result: {@code
   * Status.OK} or a {@code Conflict} with the current version (0 if absent).
   */
  public byte[] compareAndSetValue(
      byte[] key, byte[] expected, byte[] value, long ttlMs, long nowMs, RequestId id) {
    checkKey(key);
    checkValue("expected value", expected);
    checkValue("value", value);
    long expireAt = expireAt(ttlMs, nowMs);
    int size =
        prefixSize(expireAt, id)
            + bytesSize(key.length)
            + bytesSize(expected.length)
            + bytesSize(value.length);
    byte[] out = new byte[size];
    int pos = writePrefix(out, OP_CAS_VALUE, nowMs, expireAt, id);
    pos = writeBytes(out, pos, key);
    pos = writeBytes(out, pos, expected);
    writeBytes(out, pos, value);
    return out;
  }

  /**
   * Sets key to value only if the key's version (the log index that last wrote it) equals {@code
   * expectedVersion}; 0 means "only if absent". Result: {@code Status.OK} or a {@code Conflict}
   * with the current version.
   */
  public byte[] compareAndSetVersion(
      byte[] key, long expectedVersion, byte[] value, long ttlMs, long nowMs, RequestId id) {
    checkKey(key);
    checkValue("value", value);
    if (expectedVersion < 0) {
      throw new InvalidCommandException("expected version must be >= 0, was " + expectedVersion);
    }
    long expireAt = expireAt(ttlMs, nowMs);
    int size = prefixSize(expireAt, id) + bytesSize(key.length) + 8 + bytesSize(value.length);
    byte[] out = new byte[size];
    int pos = writePrefix(out, OP_CAS_VERSION, nowMs, expireAt, id);
    pos = writeBytes(out, pos, key);
    putLong(out, pos, expectedVersion);
    writeBytes(out, pos + 8, value);
    return out;
  }

  /** Removes the key. Result: {@code Status.OK} if it was present, else {@code NOT_FOUND}. */
  public byte[] delete(byte[] key, long nowMs, RequestId id) {
    checkKey(key);
    checkNow(nowMs);
    byte[] out = new byte[prefixSize(0, id) + bytesSize(key.length)];
    writeBytes(out, writePrefix(out, OP_DELETE, nowMs, 0, id), key);
    return out;
  }

  /**
   * Adds {@code delta} to the 64-bit counter stored as a decimal ASCII value (Redis-compatible); an
   * absent key counts as 0 and is created with the given TTL, a present key keeps its expire-at.
   * Result: {@code Counter} with the new value, or {@code NOT_A_COUNTER} / {@code OVERFLOW}.
   */
  public byte[] increment(byte[] key, long delta, long ttlMs, long nowMs, RequestId id) {
    checkKey(key);
    long expireAt = expireAt(ttlMs, nowMs);
    byte[] out = new byte[prefixSize(expireAt, id) + bytesSize(key.length) + 8];
    int pos = writeBytes(out, writePrefix(out, OP_INCREMENT, nowMs, expireAt, id), key);
    putLong(out, pos, delta);
    return out;
  }

  /** Advances log time only (lets expiry progress on an idle group). Result: {@code Status.OK}. */
  public byte[] tick(long nowMs) {
    checkNow(nowMs);
    byte[] out = new byte[HEADER_BYTES];
    writePrefix(out, OP_TICK, nowMs, 0, null);
    return out;
  }

  /**
   * Checks an encoded client command (for example one forwarded by a follower) against the format
   * and these limits. Internal commands (EVICT) are refused: only a leader's state machine makes
   * them.
   *
   * @throws InvalidCommandException naming what is wrong
   */
  public void validate(byte[] command) {
    if (command == null) {
      throw new InvalidCommandException("command must not be null");
    }
    CommandReader r = new CommandReader();
    try {
      r.wrap(command);
    } catch (IllegalArgumentException e) {
      throw new InvalidCommandException("malformed command: " + e.getMessage());
    }
    if (r.op == OP_EVICT) {
      throw new InvalidCommandException("EVICT is an internal command and cannot be proposed");
    }
    checkNow(r.timestampMs);
    if (r.op != OP_TICK) {
      checkLength("key", r.keyLen, 1, limits.maxKeyBytes());
    }
    checkLength("value", r.valueLen, 0, limits.maxValueBytes());
    checkLength("expected value", r.expectedLen, 0, limits.maxValueBytes());
    if ((r.flags & FLAG_EXPIRY) != 0) {
      checkTtl(r.expireAtMs - r.timestampMs);
    }
    if (r.hasRequestId()) {
      new RequestId(r.clientId, r.seq, r.ackedSeq);
    }
    if (r.op == OP_CAS_VERSION && r.longArg < 0) {
      throw new InvalidCommandException("expected version must be >= 0, was " + r.longArg);
    }
  }

  /**
   * Sets a command's timestamp to the leader's log time, in place, shifting its expire-at (if any)
   * by the same amount so that the TTL counts from the leader's clock. Call on the leader just
   * before proposing, before the bytes are shared; pass a time that never goes below the previous
   * one the group used (the state machine also never lets log time go backwards).
   *
   * @throws InvalidCommandException if the command is too short or the time out of range
   */
  public static void restamp(byte[] command, long logTimeMs) {
    if (command == null || command.length < HEADER_BYTES || command[OFF_VERSION] != VERSION) {
      throw new InvalidCommandException("not a version " + VERSION + " cache command");
    }
    checkNow(logTimeMs);
    long delta = logTimeMs - getLong(command, OFF_TIMESTAMP);
    putLong(command, OFF_TIMESTAMP, logTimeMs);
    if ((command[OFF_FLAGS] & FLAG_EXPIRY) != 0 && command.length >= HEADER_BYTES + 8) {
      putLong(command, HEADER_BYTES, getLong(command, HEADER_BYTES) + delta);
    }
  }

  /** The timestamp (epoch ms) a command carries. */
  public static long timestampOf(byte[] command) {
    if (command == null || command.length < HEADER_BYTES) {
      throw new InvalidCommandException("not a cache command");
    }
    return getLong(command, OFF_TIMESTAMP);
  }

  /** Encodes the leader's eviction decision: keys (with the versions seen) to remove. */
  static byte[] evict(long nowMs, List<Key> keys, long[] versions) {
    int size = HEADER_BYTES + varIntSize(keys.size());
    for (Key k : keys) {
      size += bytesSize(k.length()) + 8;
    }
    byte[] out = new byte[size];
    int pos = writePrefix(out, OP_EVICT, nowMs, 0, null);
    pos = putVarInt(out, pos, keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Key k = keys.get(i);
      pos = putVarInt(out, pos, k.length());
      k.copyTo(out, pos);
      pos += k.length();
      putLong(out, pos, versions[i]);
      pos += 8;
    }
    return out;
  }

  private byte[] encodeKeyValue(
      byte op, byte[] key, byte[] value, long ttlMs, long nowMs, RequestId id) {
    checkKey(key);
    checkValue("value", value);
    long expireAt = expireAt(ttlMs, nowMs);
    byte[] out =
        new byte[prefixSize(expireAt, id) + bytesSize(key.length) + bytesSize(value.length)];
    int pos = writePrefix(out, op, nowMs, expireAt, id);
    writeBytes(out, writeBytes(out, pos, key), value);
    return out;
  }

  private static int prefixSize(long expireAt, RequestId id) {
    return HEADER_BYTES + (expireAt != 0 ? 8 : 0) + (id != null ? 24 : 0);
  }

  private static int bytesSize(int len) {
    return varIntSize(len) + len;
  }

  private static int writePrefix(byte[] out, byte op, long nowMs, long expireAt, RequestId id) {
    out[OFF_VERSION] = VERSION;
    out[OFF_OP] = op;
    out[OFF_FLAGS] = (byte) ((expireAt != 0 ? FLAG_EXPIRY : 0) | (id != null ? FLAG_REQUEST : 0));
    putLong(out, OFF_TIMESTAMP, nowMs);
    int pos = HEADER_BYTES;
    if (expireAt != 0) {
      putLong(out, pos, expireAt);
      pos += 8;
    }
    if (id != null) {
      putLong(out, pos, id.clientId());
      putLong(out, pos + 8, id.seq());
      putLong(out, pos + 16, id.ackedSeq());
      pos += 24;
    }
    return pos;
  }

  private static int writeBytes(byte[] out, int pos, byte[] b) {
    pos = putVarInt(out, pos, b.length);
    System.arraycopy(b, 0, out, pos, b.length);
    return pos + b.length;
  }

  private long expireAt(long ttlMs, long nowMs) {
    checkNow(nowMs);
    if (ttlMs == 0) {
      return 0;
    }
    checkTtl(ttlMs);
    return nowMs + ttlMs;
  }

  private void checkTtl(long ttlMs) {
    if (ttlMs < limits.minTtlMs() || ttlMs > limits.maxTtlMs()) {
      throw new InvalidCommandException(
          "TTL "
              + ttlMs
              + " ms is outside the allowed range ["
              + limits.minTtlMs()
              + ", "
              + limits.maxTtlMs()
              + "] ms (0 means no expiry)");
    }
  }

  private static void checkNow(long nowMs) {
    if (nowMs <= 0 || nowMs > CommandLimits.MAX_EPOCH_MS) {
      throw new InvalidCommandException(
          "timestamp " + nowMs + " ms must be in [1, " + CommandLimits.MAX_EPOCH_MS + "]");
    }
  }

  private void checkKey(byte[] key) {
    if (key == null) {
      throw new InvalidCommandException("key must not be null");
    }
    checkLength("key", key.length, 1, limits.maxKeyBytes());
  }

  private void checkValue(String what, byte[] value) {
    if (value == null) {
      throw new InvalidCommandException(what + " must not be null");
    }
    checkLength(what, value.length, 0, limits.maxValueBytes());
  }

  private static void checkLength(String what, int len, int min, int max) {
    if (len < min) {
      throw new InvalidCommandException(what + " is " + len + " bytes; it must not be empty");
    }
    if (len > max) {
      throw new InvalidCommandException(
          what + " is " + len + " bytes, larger than the limit of " + max + " bytes");
    }
  }
}
