package io.crema.cache.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The cache state's snapshot data (what {@code StateMachine.Snapshot.writeTo} writes; a snapshot
 * store adds its own framing and checksums around it):
 *
 * <pre>
 * int   magic 'CSM1'
 * long  applied index, long log time ms
 * int   session count; per session: long client id, long floor, int n, n x (long seq, result)
 *       result: byte tag (0 status + byte ordinal, 1 counter + long, 2 conflict + long)
 * entries: byte 1, bytes key, bytes value, long version, long expire-at (a key may repeat;
 *       the later one wins, see SnapshotCapture)
 * end:  byte 0, long number of entries, int end magic 'CEND'
 * </pre>
 *
 * The reader insists on the end magic followed by the end of the stream.
 */
final class StateCodec {
  static final int MAGIC = 0x43534D31;
  static final int END_MAGIC = 0x43454E44;
  private static final int BUFFER = 64 * 1024;
  private static final int MAX_BYTES = 256 << 20;
  private static final CacheResult.Status[] STATUSES = CacheResult.Status.values();

  private StateCodec() {}

  /** Receives restored entries. */
  interface EntryConsumer {
    void accept(Key key, StoredValue value);
  }

  /** Called once the header is read, before any entry; returns where entries go. */
  interface Loader {
    EntryConsumer begin(long appliedIndex, long logTimeMs);
  }

  /** The non-entry part of restored state. */
  record Header(long appliedIndex, long logTimeMs, List<DedupTable.Session> sessions) {}

  /** Streams one snapshot's data. */
  static final class Writer {
    private final ByteSink sink;
    private long count;

    private Writer(ByteSink sink) {
      this.sink = sink;
    }

    void entry(Key key, StoredValue v) throws IOException {
      sink.writeByte(1);
      key.writeTo(sink);
      v.writeTo(sink);
      sink.writeLong(v.version);
      sink.writeLong(v.expireAtMs);
      count++;
    }

    void end() throws IOException {
      sink.writeByte(0);
      sink.writeLong(count);
      sink.writeInt(END_MAGIC);
      sink.flush();
    }
  }

  /** Writes the header and sessions; entries follow through the returned writer. */
  static Writer begin(
      OutputStream out, long appliedIndex, long logTimeMs, List<DedupTable.Session> sessions)
      throws IOException {
    ByteSink s = new ByteSink(out, BUFFER);
    s.writeInt(MAGIC);
    s.writeLong(appliedIndex);
    s.writeLong(logTimeMs);
    s.writeInt(sessions.size());
    for (DedupTable.Session ses : sessions) {
      s.writeLong(ses.clientId);
      s.writeLong(ses.floor);
      s.writeInt(ses.size());
      for (int i = 0; i < ses.size(); i++) {
        s.writeLong(ses.seqAt(i));
        writeResult(s, ses.resultAt(i));
      }
    }
    return new Writer(s);
  }

  private static void writeResult(ByteSink s, CacheResult r) throws IOException {
    if (r instanceof CacheResult.Status st) {
      s.writeByte(0);
      s.writeByte(st.ordinal());
    } else if (r instanceof CacheResult.Counter c) {
      s.writeByte(1);
      s.writeLong(c.value());
    } else {
      s.writeByte(2);
      s.writeLong(((CacheResult.Conflict) r).currentVersion());
    }
  }

  private static CacheResult readResult(ByteSource s) throws IOException {
    int tag = s.readByte();
    switch (tag) {
      case 0:
        int ord = s.readByte();
        if (ord >= STATUSES.length) {
          throw new CorruptSnapshotException("unknown result status " + ord + " in snapshot");
        }
        return STATUSES[ord];
      case 1:
        return new CacheResult.Counter(s.readLong());
      case 2:
        return new CacheResult.Conflict(s.readLong());
      default:
        throw new CorruptSnapshotException("unknown result tag " + tag + " in snapshot");
    }
  }

  /**
   * Reads state, passing entries to {@code entries} as they are decoded.
   *
   * @param window the deduplication window of the restoring machine; larger remembered sessions are
   *     trimmed to their newest results
   * @throws CorruptSnapshotException on any structural problem or truncation
   */
  static Header read(InputStream in, int window, Loader loader) throws IOException {
    ByteSource s = new ByteSource(in, BUFFER);
    int magic = s.readInt();
    if (magic != MAGIC) {
      throw new CorruptSnapshotException(
          "cache snapshot magic 0x"
              + Integer.toHexString(magic)
              + " is not 0x"
              + Integer.toHexString(MAGIC));
    }
    long applied = s.readLong();
    long logTime = s.readLong();
    int sessionCount = s.readInt();
    if (applied < 0 || logTime < 0 || logTime > CommandLimits.MAX_EPOCH_MS || sessionCount < 0) {
      throw new CorruptSnapshotException(
          "bad snapshot header: applied="
              + applied
              + " logTime="
              + logTime
              + " sessions="
              + sessionCount);
    }
    EntryConsumer entries = loader.begin(applied, logTime);
    List<DedupTable.Session> sessions = new ArrayList<>(Math.min(sessionCount, 1 << 16));
    for (int i = 0; i < sessionCount; i++) {
      sessions.add(readSession(s, window));
    }
    long count = 0;
    int marker;
    while ((marker = s.readByte()) == 1) {
      Key key = new Key(s.readBytes(MAX_BYTES));
      byte[] value = s.readBytes(MAX_BYTES);
      entries.accept(key, new StoredValue(value, s.readLong(), s.readLong()));
      count++;
    }
    if (marker != 0) {
      throw new CorruptSnapshotException(
          "bad entry marker " + marker + " after " + count + " entries");
    }
    if (s.readLong() != count) {
      throw new CorruptSnapshotException(
          "snapshot entry count differs from the " + count + " read");
    }
    int end = s.readInt();
    if (end != END_MAGIC) {
      throw new CorruptSnapshotException(
          "cache snapshot end marker missing after " + count + " entries");
    }
    if (!s.atEnd()) {
      throw new CorruptSnapshotException("unexpected bytes after the end of the cache snapshot");
    }
    return new Header(applied, logTime, sessions);
  }

  private static DedupTable.Session readSession(ByteSource s, int window) throws IOException {
    long clientId = s.readLong();
    long floor = s.readLong();
    int n = s.readInt();
    if (n < 0 || n > 4096) {
      throw new CorruptSnapshotException(
          "session of client " + clientId + " has " + n + " results");
    }
    DedupTable.Session ses = new DedupTable.Session(clientId, floor, window);
    for (int j = 0; j < n; j++) {
      long seq = s.readLong();
      ses.record(seq, readResult(s));
    }
    return ses;
  }
}
