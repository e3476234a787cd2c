package io.crema.cache.statemachine;

import io.crema.raft.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers: apply commands, dump logical contents. */
final class Replicas {
  private Replicas() {}

  /** Applies commands as entries starting at {@code firstIndex}; returns the results. */
  static Object[] apply(CacheStateMachine sm, long firstIndex, List<byte[]> commands) {
    List<Entry> entries = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      entries.add(Entry.normal(firstIndex + i, 1, commands.get(i)));
    }
    Object[] results = new Object[entries.size()];
    sm.apply(entries, results);
    return results;
  }

  static Object applyOne(CacheStateMachine sm, long index, byte[] command) {
    return apply(sm, index, List.of(command))[0];
  }

  /** The logical contents at the machine's log time: key -> value/version/expire-at. */
  static Map<String, String> contents(CacheStateMachine sm) {
    CacheState s = ((DefaultCacheStateMachine) sm).currentState();
    Map<String, String> out = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    for (Map.Entry<Key, StoredValue> e : s.map.entrySet()) {
      if (e.getKey().isProbe()) {
        throw new AssertionError("the apply thread's reusable probe key was stored in the cache");
      }
      StoredValue v = e.getValue();
      if (!v.isExpiredAt(s.logTimeMs)) {
        out.put(
            hex.formatHex(e.getKey().bytes()),
            hex.formatHex(v.copy()) + "@" + v.version + "~" + v.expireAtMs);
      }
    }
    return out;
  }

  /** The deduplication table, in its least-recently-used order. */
  static List<String> sessions(CacheStateMachine sm) {
    List<String> out = new ArrayList<>();
    for (DedupTable.Session ses :
        ((DefaultCacheStateMachine) sm).currentState().dedup.sessionsInOrder()) {
      StringBuilder b = new StringBuilder().append(ses.clientId).append(">").append(ses.floor);
      for (int i = 0; i < ses.size(); i++) {
        b.append(' ').append(ses.seqAt(i)).append('=').append(ses.resultAt(i));
      }
      out.add(b.toString());
    }
    return out;
  }

  /** Serialises a snapshot to bytes. */
  static byte[] snapshotBytes(io.crema.raft.StateMachine.Snapshot snap) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    snap.writeTo(out);
    return out.toByteArray();
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
