package io.crema.raft.testkit.host;

import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small replicated key-value register with compare-and-set, for tests and examples. Commands are
 * UTF-8 text: {@code put k v} (result: previous value or null), {@code cas k expected new}
 * (expected {@code -} means absent; result: "true"/"false"), {@code del k}. Reads of the map are
 * safe from any thread.
 */
public final class KvStateMachine implements StateMachine {
  private final Map<String, String> data = new ConcurrentHashMap<>();
  private volatile long lastApplied;

  public static byte[] put(String k, String v) {
    return ("put " + k + " " + v).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] cas(String k, String expected, String v) {
    return ("cas " + k + " " + (expected == null ? "-" : expected) + " " + v)
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] delete(String k) {
    return ("del " + k).getBytes(StandardCharsets.UTF_8);
  }

  public String get(String k) {
    return data.get(k);
  }

  public int size() {
    return data.size();
  }

  public long lastApplied() {
    return lastApplied;
  }

  /** A sorted copy of the contents. */
  public Map<String, String> contents() {
    return new TreeMap<>(data);
  }

  @Override
  public void apply(java.util.List<Entry> entries, Object[] results) {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      lastApplied = e.index();
      if (e.data().length == 0) {
        continue;
      }
      String[] p = new String(e.data(), StandardCharsets.UTF_8).split(" ");
      switch (p[0]) {
        case "put":
          results[i] = data.put(p[1], p[2]);
          break;
        case "cas":
          String cur = data.get(p[1]);
          boolean ok = p[2].equals("-") ? cur == null : p[2].equals(cur);
          if (ok) {
            data.put(p[1], p[3]);
          }
          results[i] = Boolean.toString(ok);
          break;
        case "del":
          results[i] = data.remove(p[1]);
          break;
        default:
          throw new IllegalStateException("unknown command " + p[0] + " at index " + e.index());
      }
    }
  }

  @Override
  public Snapshot snapshot() {
    Map<String, String> copy = new TreeMap<>(data);
    long at = lastApplied;
    return out -> {
      DataOutputStream d = new DataOutputStream(out);
      d.writeLong(at);
      d.writeInt(copy.size());
      for (Map.Entry<String, String> e : copy.entrySet()) {
        d.writeUTF(e.getKey());
        d.writeUTF(e.getValue());
      }
      d.flush();
    };
  }

  @Override
  public void restore(SnapshotMeta meta, InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    long at = d.readLong();
    int n = d.readInt();
    Map<String, String> fresh = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      fresh.put(d.readUTF(), d.readUTF());
    }
    data.clear();
    data.putAll(fresh);
    lastApplied = Math.max(at, meta.index());
  }
}
