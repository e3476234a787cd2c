package io.crema.cache;

import io.crema.cache.statemachine.CacheCommands;
import io.crema.cache.statemachine.CacheStateMachine;
import io.crema.multiraft.KeyValueAdapter;
import java.util.function.LongSupplier;

/** How the shard coordinator speaks to the cache state machine. */
final class CacheAdapter implements KeyValueAdapter<CacheStateMachine> {
  private final CacheCommands commands;
  private final LongSupplier wallClockMs;

  CacheAdapter(CacheCommands commands, LongSupplier wallClockMs) {
    this.commands = commands;
    this.wallClockMs = wallClockMs;
  }

  @Override
  public byte[] encodePut(byte[] key, byte[] value, long ttlMs) {
    return commands.put(key, value, ttlMs, wallClockMs.getAsLong(), null);
  }

  @Override
  public byte[] encodeDelete(byte[] key) {
    return commands.delete(key, wallClockMs.getAsLong(), null);
  }

  @Override
  public byte[] get(CacheStateMachine sm, byte[] key) {
    return sm.get(key);
  }

  @Override
  public long entryCount(CacheStateMachine sm) {
    return sm.stats().entryCount();
  }

  @Override
  public long sizeBytes(CacheStateMachine sm) {
    return sm.stats().weightedSize();
  }
}
