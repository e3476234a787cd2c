package io.crema.wal;

import io.crema.raft.Entry;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import io.crema.raft.LogStoreException;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's Raft log on one Chronicle Queue, shared by all of the node's groups.
 *
 * <p><b>Guarantees.</b> With {@link SyncPolicy#EVERY_BATCH} (the default) everything appended
 * before a {@link #sync()} that returned survives a process crash and a power loss: {@code sync()}
 * msyncs once for the whole batch, however many groups it covers (group commit). Readers see
 * appended data at once. On {@link #open}, each group's state is rebuilt by scanning the queue;
 * every record carries a CRC32C, so a torn or damaged record is never returned as data: a bad tail
 * is cut off (and logged with its position), damage before the tail fails {@code open} with a
 * {@link WalCorruptionException} naming file and position.
 *
 * <p><b>Errors.</b> A group's write that breaks the log's rules (gap, append below the first index,
 * older snapshot, oversized entry) is rejected with {@link IllegalArgumentException} before any of
 * it is written. An I/O failure while writing or syncing throws {@link LogStoreException}; the
 * failed group's in-memory view is unchanged, and the store then refuses all further writes (reads
 * still work) because what reached the disk is unknown until the next recovery. A second process
 * opening the same directory gets a {@link LogStoreException} (lock file).
 *
 * <p><b>Threading.</b> One thread drives the store (the host's), as {@link LogStore} says; {@link
 * #open} may happen on another thread.
 *
 * <p><b>Space.</b> Truncation and compaction are logical (records); disk space comes back when
 * every live group's first live entry lies past a whole roll-cycle file: {@link #compact} and
 * {@link #removeGroup} then rewrite every group's state (a CHECKPOINT record), sync, and delete the
 * older files.
 */
public final class ChronicleLogStore implements LogStore {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleLogStore.class);

  private final ChronicleLogConfig config;
  private final DirectoryLock lock;
  private final SingleChronicleQueue queue;
  private final ExcerptAppender appender;
  private final ExcerptTailer readTailer;
  private final QueueEntryReader entryReader;
  private final RecordWriter writer = new RecordWriter();
  private final BatchValidator validator;
  private final Long2ObjectHashMap<GroupLog> groups = new Long2ObjectHashMap<>();
  private final NavigableMap<Integer, File> cycleFiles = new TreeMap<>();
  private final FileCompactor fileCompactor;
  private RecoveryStats recoveryStats;
  private int lastWrittenCycle = Integer.MIN_VALUE;
  private int firstWrittenCycle = Integer.MIN_VALUE;
  private volatile long lastSyncNs;
  private final AtomicLong syncCount = new AtomicLong();
  private volatile Throwable failure;
  private volatile boolean closed;
  // syncLater: the cycle being written when the last task that ran was made. Everything appended
  // since lies in that cycle's file or later ones (appends only go forward).
  private volatile int syncedFromCycle = Integer.MIN_VALUE;
  // Used by sync tasks only (one at a time, under syncLock): the channel of the file forced last.
  private final Object syncLock = new Object();
  private FileChannel syncChannel;
  private File syncChannelFile;

  private ChronicleLogStore(ChronicleLogConfig config, DirectoryLock lock) {
    this.config = config;
    this.lock = lock;
    this.validator = new BatchValidator(config.maxEntryBytes());
    this.queue =
        SingleChronicleQueueBuilder.binary(config.directory())
            .rollCycle(config.rollCycle())
            .timeProvider(config.timeProvider())
            .syncMode(config.syncPolicy() == SyncPolicy.NEVER ? SyncMode.NONE : SyncMode.SYNC)
            .build();
    this.readTailer = queue.createTailer();
    readTailer.singleThreadedCheckDisabled(true);
    this.entryReader = new QueueEntryReader(readTailer);
    this.appender = queue.createAppender();
    appender.singleThreadedCheckDisabled(true);
    this.fileCompactor = new FileCompactor(config.directory(), cycleFiles);
    this.lastSyncNs = System.nanoTime();
  }

  /**
   * Opens (creating if needed) the log in the configured directory and recovers every group.
   *
   * @throws WalCorruptionException if the log is damaged before its tail
   * @throws LogStoreException if the directory is locked by another process or cannot be used
   */
  public static ChronicleLogStore open(ChronicleLogConfig config) {
    try {
      Files.createDirectories(config.directory());
    } catch (IOException e) {
      throw new LogStoreException("cannot create WAL directory " + config.directory(), e);
    }
    DirectoryLock lock = DirectoryLock.acquire(config.directory());
    ChronicleLogStore store = null;
    try {
      store = new ChronicleLogStore(config, lock);
      store.recover();
      return store;
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      } else {
        lock.close();
      }
      throw e;
    }
  }

  private void recover() {
    long startNs = System.nanoTime();
    Recovery recovery = new Recovery(queue, groups, this::newGroup, cycleFiles);
    Recovery.Cut cut = recovery.run();
    if (cut != null) {
      write(writer.tailCut(cut.firstQueueIndex(), cut.lastQueueIndex()));
      forceSync();
    }
    long ms = (System.nanoTime() - startNs) / 1_000_000;
    recoveryStats =
        new RecoveryStats(
            recovery.records(),
            recovery.entries(),
            groups.size(),
            cut == null ? 0 : cut.count(),
            ms);
    LOG.info(
        "WAL {} recovered in {} ms: {} records, {} entries, {} groups{}",
        config.directory(),
        ms,
        recovery.records(),
        recovery.entries(),
        groups.size(),
        cut == null ? "" : ", cut a torn tail of " + cut.count() + " record(s)");
  }

  private GroupLog newGroup(long groupId) {
    return new GroupLog(groupId, entryReader, config.cacheMaxEntries(), config.cacheMaxBytes());
  }

  /** The settings this store was opened with. */
  public ChronicleLogConfig config() {
    return config;
  }

  /** What recovery found when this store was opened. */
  public RecoveryStats recoveryStats() {
    return recoveryStats;
  }

  /** Number of msyncs and fdatasyncs done so far (for tests and metrics). */
  public long syncCount() {
    return syncCount.get();
  }

  @Override
  public Set<Long> groups() {
    checkOpen();
    return Collections.unmodifiableSet(new TreeSet<>(groups.keySet()));
  }

  @Override
  public LogReader group(long groupId) {
    if (groupId < 0) {
      throw new IllegalArgumentException("group id must be >= 0, was " + groupId);
    }
    checkOpen();
    return groups.computeIfAbsent(groupId, this::newGroup);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes the snapshot mark, a truncation record if the entries overwrite a suffix, the entries
   * (split into records of at most about 1 MiB) and the hard state, per group in batch order.
   *
   * @throws IllegalArgumentException if a group's write breaks the log's rules; nothing of that
   *     group's write was written (earlier groups of the batch were)
   * @throws LogStoreException if writing failed; the store refuses further writes
   */
  @Override
  public void append(LogBatch batch) {
    checkWritable();
    for (LogBatch.GroupWrite w : batch.writes()) {
      GroupLog g = groups.get(w.groupId());
      validator.validate(w, g);
      if (g == null) {
        g = newGroup(w.groupId());
        groups.put(w.groupId(), g);
      }
      appendGroup(w, g);
    }
  }

  private void appendGroup(LogBatch.GroupWrite w, GroupLog g) {
    long groupId = w.groupId();
    try {
      if (w.snapshot() != null) {
        boolean keep = g.matches(w.snapshot());
        write(writer.snapshot(groupId, w.snapshot(), keep));
        g.installSnapshot(w.snapshot(), keep);
      }
      List<Entry> es = w.entries();
      if (!es.isEmpty()) {
        long firstNew = es.get(0).index();
        if (firstNew <= g.lastIndex()) {
          write(writer.truncate(groupId, firstNew));
          g.truncateFrom(firstNew);
        }
        appendEntries(g, es);
      }
      if (w.hardState() != null) {
        write(writer.hardState(groupId, w.hardState()));
        g.hardState(w.hardState());
      }
    } catch (RuntimeException | InternalError e) {
      throw fail("append for group " + groupId, e);
    }
  }

  private void appendEntries(GroupLog g, List<Entry> es) {
    int from = 0;
    while (from < es.size()) {
      int to = from;
      long bytes = 0;
      do {
        bytes += Records.ENTRY_OVERHEAD_BYTES + es.get(to).data().length;
        to++;
      } while (to < es.size() && bytes < Records.MAX_ENTRIES_RECORD_BYTES);
      long queueIndex = write(writer.entries(g.groupId(), es, from, to));
      g.appendRecord(es.get(from).index(), to - from, queueIndex);
      for (int i = from; i < to; i++) {
        g.addTerm(es.get(i).index(), es.get(i).term());
      }
      g.cache(es, from, to);
      from = to;
    }
  }

  /** Writes the record in the writer's buffer as one document; returns its queue index. */
  private long write(int length) {
    long queueIndex;
    try (DocumentContext dc = appender.writingDocument()) {
      try {
        dc.wire().bytes().write(writer.buffer(), 0, length);
        queueIndex = dc.index();
      } catch (RuntimeException | InternalError e) {
        dc.rollbackOnClose();
        throw e;
      }
    }
    int cycle = queue.rollCycle().toCycle(queueIndex);
    if (cycle != lastWrittenCycle) {
      if (firstWrittenCycle == Integer.MIN_VALUE) {
        firstWrittenCycle = cycle;
      }
      lastWrittenCycle = cycle;
      cycleFiles.putIfAbsent(cycle, appender.currentFile());
    }
    return queueIndex;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@link SyncPolicy#EVERY_BATCH}: one msync covering every group appended since the last one;
   * when this returns, all of it is durable. Other policies: see {@link SyncPolicy}.
   *
   * @throws LogStoreException if the msync failed; the store refuses further writes
   */
  @Override
  public void sync() {
    checkWritable();
    switch (config.syncPolicy()) {
      case EVERY_BATCH:
        forceSync();
        break;
      case INTERVAL:
        if (System.nanoTime() - lastSyncNs >= config.syncIntervalMs() * 1_000_000L) {
          forceSync();
        }
        break;
      case NEVER:
      default:
        break;
    }
  }

  private void forceSync() {
    try {
      appender.sync();
      syncCount.incrementAndGet();
      lastSyncNs = System.nanoTime();
    } catch (RuntimeException | InternalError e) {
      throw fail("sync", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The task fdatasyncs the queue files written since the last task that ran (one file unless
   * the roll cycle changed): the appender writes through a shared memory mapping, whose dirty pages
   * belong to the file and are written back by an fdatasync on any descriptor of it, so the host
   * thread can keep appending while the task waits for the disk. {@link SyncPolicy#INTERVAL}: the
   * task syncs only if the interval has passed; {@link SyncPolicy#NEVER}: {@link #SYNCED}.
   */
  @Override
  public Runnable syncLater() {
    checkWritable();
    if (config.syncPolicy() == SyncPolicy.NEVER || lastWrittenCycle == Integer.MIN_VALUE) {
      return SYNCED;
    }
    int to = lastWrittenCycle;
    int from = Math.max(syncedFromCycle, firstWrittenCycle);
    File[] files =
        from >= to
            ? new File[] {cycleFiles.get(to)}
            : cycleFiles.subMap(from, true, to, true).values().toArray(new File[0]);
    boolean interval = config.syncPolicy() == SyncPolicy.INTERVAL;
    long intervalNs = config.syncIntervalMs() * 1_000_000L;
    return () -> {
      if (interval && System.nanoTime() - lastSyncNs < intervalNs) {
        return;
      }
      synchronized (syncLock) {
        if (closed) {
          throw new LogStoreException("WAL " + config.directory() + " closed before its sync ran");
        }
        try {
          for (File f : files) {
            if (!f.equals(syncChannelFile)) {
              closeSyncChannel();
              try {
                syncChannel = FileChannel.open(f.toPath(), StandardOpenOption.WRITE);
              } catch (java.nio.file.NoSuchFileException gone) {
                continue; // deleted by compaction, which synced what it kept first
              }
              syncChannelFile = f;
            }
            syncChannel.force(false);
          }
        } catch (IOException | RuntimeException e) {
          closeSyncChannel();
          throw fail("sync of " + java.util.Arrays.toString(files), e);
        }
        syncCount.incrementAndGet();
        lastSyncNs = System.nanoTime();
        syncedFromCycle = to;
      }
    };
  }

  private void closeSyncChannel() {
    if (syncChannel != null) {
      try {
        syncChannel.close();
      } catch (IOException e) {
        LOG.warn("WAL {}: closing {} failed", config.directory(), syncChannelFile, e);
      }
      syncChannel = null;
      syncChannelFile = null;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes a compaction record (durable with the next sync), then deletes whole roll-cycle files
   * that no live group needs any more (after rewriting every group's state at the head and
   * syncing).
   *
   * @throws IllegalArgumentException if index passes the snapshot index + 1 or the last index + 1
   * @throws LogStoreException if writing failed
   */
  @Override
  public void compact(long groupId, long index) {
    checkWritable();
    GroupLog g = groups.get(groupId);
    if (g == null || index <= g.firstIndex()) {
      deleteObsoleteFiles(); // a snapshot install may have freed files
      return;
    }
    if (index > g.snapshot().index() + 1) {
      throw new IllegalArgumentException(
          "cannot compact to "
              + index
              + " past the snapshot index "
              + g.snapshot().index()
              + " + 1");
    }
    if (index > g.lastIndex() + 1) {
      throw new IllegalArgumentException(
          "cannot compact to " + index + " past the last index " + g.lastIndex() + " + 1");
    }
    long termBefore = g.term(index - 1);
    try {
      write(writer.compact(groupId, index, termBefore));
    } catch (RuntimeException | InternalError e) {
      throw fail("compact of group " + groupId, e);
    }
    g.compact(index, termBefore);
    deleteObsoleteFiles();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes a removal record; the group no longer pins old files.
   */
  @Override
  public void removeGroup(long groupId) {
    checkWritable();
    if (groups.remove(groupId) == null) {
      return;
    }
    try {
      write(writer.removeGroup(groupId));
    } catch (RuntimeException | InternalError e) {
      throw fail("removal of group " + groupId, e);
    }
    deleteObsoleteFiles();
  }

  private void deleteObsoleteFiles() {
    if (!fileCompactor.hasFilesBefore(queue.cycle())) {
      return; // cheap check first: only the current file exists
    }
    int limit = Math.min(pinnedCycle(), queue.cycle());
    if (!fileCompactor.hasFilesBefore(limit)) {
      return;
    }
    long queueIndex = -1;
    try {
      for (GroupLog g : groups.values()) {
        queueIndex =
            write(
                writer.checkpoint(
                    g.groupId(),
                    g.snapshot(),
                    g.hardState(),
                    g.firstIndex(),
                    g.termBeforeFirst(),
                    g.lastIndex()));
      }
      if (queueIndex < 0) {
        queueIndex = write(writer.tailCut(-1, -1)); // a marker in the current file
      }
    } catch (RuntimeException | InternalError e) {
      throw fail("checkpoint before deleting old files", e);
    }
    forceSync();
    limit = Math.min(limit, queue.rollCycle().toCycle(queueIndex));
    fileCompactor.deleteBefore(limit);
    queue.refreshDirectoryListing();
  }

  /** The oldest cycle holding an entry some live group still needs. */
  private int pinnedCycle() {
    int pin = Integer.MAX_VALUE;
    for (GroupLog g : groups.values()) {
      long queueIndex = g.firstLiveRecord();
      if (queueIndex >= 0) {
        pin = Math.min(pin, queue.rollCycle().toCycle(queueIndex));
      }
    }
    return pin;
  }

  private LogStoreException fail(String what, Throwable e) {
    failure = e;
    LOG.error("WAL {} failed during {}; refusing further writes", config.directory(), what, e);
    return new LogStoreException(
        "WAL " + config.directory() + " failed during " + what + ": " + e, e);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ChronicleLogStore " + config.directory() + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new LogStoreException(
          "WAL " + config.directory() + " failed earlier and refuses writes: " + failure, failure);
    }
  }

  /** Closes the queue and releases the directory lock. Idempotent. Unsynced data may be lost. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (syncLock) {
      closeSyncChannel();
    }
    try {
      readTailer.close();
      appender.close();
      queue.close();
    } finally {
      lock.close();
    }
  }

  /** For fault-injection tests: the underlying queue. */
  SingleChronicleQueue queue() {
    return queue;
  }
}
