package io.crema.cache.statemachine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The binary layout of a cache command (format version 1). All integers are big-endian.
 *
 * <pre>
 * 0      version   (1 byte, = 1)
 * 1      opcode    (1 byte)
 * 2      flags     (1 byte: bit0 expire-at present, bit1 request id present)
 * 3..10  timestamp (8 bytes, log time in epoch ms; stamped by the leader, see CacheCommands.restamp)
 * [8 bytes expire-at, epoch ms]                        if FLAG_EXPIRY
 * [8 bytes client id, 8 bytes seq, 8 bytes acked seq]  if FLAG_REQUEST
 * body, per opcode; byte strings are an unsigned LEB128 length followed by the bytes:
 *   PUT, PUT_IF_ABSENT: key, value
 *   CAS_VALUE:          key, expected value, new value
 *   CAS_VERSION:        key, expected version (8), new value
 *   DELETE:             key
 *   INCREMENT:          key, delta (8)
 *   TICK:               (nothing)
 *   EVICT:              count (LEB128), then count times: key, version (8)
 * </pre>
 */
final class CommandFormat {
  static final byte VERSION = 1;

  static final int OFF_VERSION = 0;
  static final int OFF_OP = 1;
  static final int OFF_FLAGS = 2;
  static final int OFF_TIMESTAMP = 3;
  static final int HEADER_BYTES = 11;

  static final int FLAG_EXPIRY = 1;
  static final int FLAG_REQUEST = 2;
  static final int KNOWN_FLAGS = FLAG_EXPIRY | FLAG_REQUEST;

  static final byte OP_PUT = 1;
  static final byte OP_PUT_IF_ABSENT = 2;
  static final byte OP_CAS_VALUE = 3;
  static final byte OP_CAS_VERSION = 4;
  static final byte OP_DELETE = 5;
  static final byte OP_INCREMENT = 6;
  static final byte OP_TICK = 7;
  static final byte OP_EVICT = 8;
  static final int MAX_OP = OP_EVICT;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private CommandFormat() {}

  static long getLong(byte[] b, int off) {
    return (long) LONGS.get(b, off);
  }

  static void putLong(byte[] b, int off, long v) {
    LONGS.set(b, off, v);
  }

  /** Bytes an unsigned LEB128 encoding of {@code v} (non-negative) takes. */
  static int varIntSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code v} as unsigned LEB128 at {@code off}; returns the offset after it. */
  static int putVarInt(byte[] b, int off, int v) {
    while ((v & ~0x7F) != 0) {
      b[off++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[off++] = (byte) v;
    return off;
  }

  static String opName(int op) {
    switch (op) {
      case OP_PUT:
        return "PUT";
      case OP_PUT_IF_ABSENT:
        return "PUT_IF_ABSENT";
      case OP_CAS_VALUE:
        return "CAS_VALUE";
      case OP_CAS_VERSION:
        return "CAS_VERSION";
      case OP_DELETE:
        return "DELETE";
      case OP_INCREMENT:
        return "INCREMENT";
      case OP_TICK:
        return "TICK";
      case OP_EVICT:
        return "EVICT";
      default:
        return "op#" + op;
    }
  }
}
