package io.crema.cache.statemachine;

import static io.crema.cache.statemachine.CommandFormat.*;

/**
 * A reusable flyweight decoder of one command (see {@link CommandFormat}). {@link #wrap} checks the
 * structure (version, opcode, flags, lengths, no trailing bytes) and throws {@link
 * IllegalArgumentException} with the reason if it is malformed; limits are checked by {@link
 * CacheCommands#validate}. Not thread-safe.
 */
final class CommandReader {
  byte[] data;
  int op;
  int flags;
  long timestampMs;
  long expireAtMs;
  long clientId;
  long seq;
  long ackedSeq;
  int keyOff;
  int keyLen;

  /** Expected value (CAS_VALUE) offset and length. */
  int expectedOff;

  int expectedLen;
  int valueOff;
  int valueLen;

  /** Expected version (CAS_VERSION) or delta (INCREMENT). */
  long longArg;

  /** EVICT: number of (key, version) pairs and the offset of the first. */
  int evictCount;

  int evictOff;
  private int pos;

  /** Decodes the command's header and body offsets. */
  CommandReader wrap(byte[] bytes) {
    data = bytes;
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException(
          "command is "
              + bytes.length
              + " bytes, shorter than the "
              + HEADER_BYTES
              + "-byte header");
    }
    if (bytes[OFF_VERSION] != VERSION) {
      throw new IllegalArgumentException(
          "command format version "
              + bytes[OFF_VERSION]
              + " is not supported (known: "
              + VERSION
              + ")");
    }
    op = bytes[OFF_OP];
    if (op < OP_PUT || op > MAX_OP) {
      throw new IllegalArgumentException("unknown command opcode " + op);
    }
    flags = bytes[OFF_FLAGS] & 0xFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new IllegalArgumentException("unknown command flags 0x" + Integer.toHexString(flags));
    }
    timestampMs = getLong(bytes, OFF_TIMESTAMP);
    pos = HEADER_BYTES;
    expireAtMs = (flags & FLAG_EXPIRY) != 0 ? readLong() : 0L;
    if ((flags & FLAG_REQUEST) != 0) {
      clientId = readLong();
      seq = readLong();
      ackedSeq = readLong();
    } else {
      clientId = 0L;
      seq = 0L;
      ackedSeq = 0L;
    }
    readBody();
    if (pos != bytes.length) {
      throw new IllegalArgumentException(
          (bytes.length - pos) + " trailing bytes after a " + opName(op) + " command");
    }
    return this;
  }

  boolean hasRequestId() {
    return (flags & FLAG_REQUEST) != 0;
  }

  private void readBody() {
    keyLen = 0;
    valueLen = 0;
    expectedLen = 0;
    evictCount = 0;
    switch (op) {
      case OP_PUT:
      case OP_PUT_IF_ABSENT:
        readKey();
        readValue();
        break;
      case OP_CAS_VALUE:
        readKey();
        expectedLen = readVarInt();
        expectedOff = skip(expectedLen);
        readValue();
        break;
      case OP_CAS_VERSION:
        readKey();
        longArg = readLong();
        readValue();
        break;
      case OP_DELETE:
        readKey();
        break;
      case OP_INCREMENT:
        readKey();
        longArg = readLong();
        break;
      case OP_TICK:
        break;
      case OP_EVICT:
        readEvictions();
        break;
      default:
        throw new IllegalArgumentException("unknown command opcode " + op);
    }
  }

  private void readEvictions() {
    evictCount = readVarInt();
    evictOff = pos;
    for (int i = 0; i < evictCount; i++) {
      skip(readVarInt());
      skip(8);
    }
  }

  private void readKey() {
    keyLen = readVarInt();
    keyOff = skip(keyLen);
  }

  private void readValue() {
    valueLen = readVarInt();
    valueOff = skip(valueLen);
  }

  private int skip(int n) {
    int at = pos;
    if (n < 0 || n > data.length - pos) {
      throw new IllegalArgumentException(
          "command truncated: needs " + n + " bytes at offset " + pos + " of " + data.length);
    }
    pos += n;
    return at;
  }

  private long readLong() {
    return getLong(data, skip(8));
  }

  private int readVarInt() {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= data.length) {
        throw new IllegalArgumentException("command truncated inside a length at offset " + pos);
      }
      int b = data[pos++];
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (result < 0) {
          throw new IllegalArgumentException("negative length in command");
        }
        return result;
      }
    }
    throw new IllegalArgumentException("length longer than 5 bytes in command");
  }

  /** Cursor over the (key, version) pairs of an EVICT command. */
  static final class EvictCursor {
    private byte[] data;
    private int pos;
    int keyOff;
    int keyLen;
    long version;

    void start(CommandReader r) {
      data = r.data;
      pos = r.evictOff;
    }

    void next() {
      int len = 0;
      for (int shift = 0; ; shift += 7) {
        int b = data[pos++];
        len |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      keyOff = pos;
      keyLen = len;
      pos += len;
      version = getLong(data, pos);
      pos += 8;
    }
  }
}
