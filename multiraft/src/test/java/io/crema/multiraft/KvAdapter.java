package io.crema.multiraft;

import io.crema.raft.testkit.host.KvStateMachine;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Speaks to the testkit's text {@link KvStateMachine}: keys and values are UTF-8 words. */
final class KvAdapter implements KeyValueAdapter<KvStateMachine> {
  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static String word(String what, byte[] b) {
    String s = text(b);
    if (s.isEmpty() || s.contains(" ")) {
      throw new IllegalArgumentException(what + " must be a non-empty word, was '" + s + "'");
    }
    return s;
  }

  @Override
  public byte[] encodePut(byte[] key, byte[] value, long ttlMs) {
    return KvStateMachine.put(word("key", key), word("value", value));
  }

  @Override
  public byte[] encodeDelete(byte[] key) {
    return KvStateMachine.delete(word("key", key));
  }

  @Override
  public byte[] get(KvStateMachine sm, byte[] key) {
    String v = sm.get(text(key));
    return v == null ? null : bytes(v);
  }

  @Override
  public long entryCount(KvStateMachine sm) {
    return sm.size();
  }

  @Override
  public long sizeBytes(KvStateMachine sm) {
    long n = 0;
    for (Map.Entry<String, String> e : sm.contents().entrySet()) {
      n += bytes(e.getKey()).length + bytes(e.getValue()).length;
    }
    return n;
  }
}
