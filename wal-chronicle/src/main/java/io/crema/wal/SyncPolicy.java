package io.crema.wal;

/** When {@link ChronicleLogStore#sync()} forces appended records to stable storage. */
public enum SyncPolicy {
  /**
   * Every {@code sync()} call msyncs everything appended so far before it returns (the default).
   * Only this policy gives Raft's durability guarantee: what was appended before a returned {@code
   * sync()} survives a process crash and a power loss.
   */
  EVERY_BATCH,
  /**
   * {@code sync()} msyncs only if at least {@link ChronicleLogConfig#syncIntervalMs()} passed since
   * the last msync; otherwise it returns at once. Up to one interval of acknowledged writes can be
   * lost on a power loss (a process crash loses nothing: the pages are in the OS cache). Unsafe for
   * Raft unless the deployment accepts that loss.
   */
  INTERVAL,
  /**
   * {@code sync()} never msyncs; the OS writes pages back when it likes. UNSAFE for Raft: a power
   * loss may lose acknowledged writes and votes. For benchmarks and caches that accept loss.
   */
  NEVER
}
