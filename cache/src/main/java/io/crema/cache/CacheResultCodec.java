package io.crema.cache;

import io.crema.cache.statemachine.CacheResult;
import io.crema.raft.node.ResultCodec;

/**
 * Encodes {@link CacheResult}s for the trip from a shard leader back to the node that forwarded the
 * write: one tag byte, then a long for counters and conflicts.
 */
final class CacheResultCodec implements ResultCodec {
  static final CacheResultCodec INSTANCE = new CacheResultCodec();
  private static final byte STATUS = 0;
  private static final byte COUNTER = 1;
  private static final byte CONFLICT = 2;
  private static final CacheResult.Status[] STATUSES = CacheResult.Status.values();

  private CacheResultCodec() {}

  @Override
  public byte[] encode(Object result) {
    if (result == null) {
      return null;
    }
    if (result instanceof CacheResult.Status) {
      // Shared: encoded results are only read (by the transport and by decode).
      return STATUS_BYTES[((CacheResult.Status) result).ordinal()];
    }
    if (result instanceof CacheResult.Counter) {
      return withLong(COUNTER, ((CacheResult.Counter) result).value());
    }
    if (result instanceof CacheResult.Conflict) {
      return withLong(CONFLICT, ((CacheResult.Conflict) result).currentVersion());
    }
    throw new IllegalArgumentException("not a cache result: " + result.getClass().getName());
  }

  private static final byte[][] STATUS_BYTES = statusBytes();

  private static byte[][] statusBytes() {
    CacheResult.Status[] all = CacheResult.Status.values();
    byte[][] out = new byte[all.length][];
    for (int i = 0; i < all.length; i++) {
      out[i] = new byte[] {STATUS, (byte) i};
    }
    return out;
  }

  private static byte[] withLong(byte tag, long v) {
    byte[] out = new byte[9];
    out[0] = tag;
    for (int i = 0; i < 8; i++) {
      out[1 + i] = (byte) (v >>> (56 - 8 * i));
    }
    return out;
  }

  @Override
  public Object decode(byte[] bytes) {
    if (bytes.length == 2 && bytes[0] == STATUS && bytes[1] >= 0 && bytes[1] < STATUSES.length) {
      return STATUSES[bytes[1]];
    }
    if (bytes.length == 9 && (bytes[0] == COUNTER || bytes[0] == CONFLICT)) {
      long v = 0;
      for (int i = 1; i < 9; i++) {
        v = (v << 8) | (bytes[i] & 0xFF);
      }
      return bytes[0] == COUNTER ? new CacheResult.Counter(v) : new CacheResult.Conflict(v);
    }
    throw new IllegalArgumentException("corrupt cache result of " + bytes.length + " bytes");
  }
}
