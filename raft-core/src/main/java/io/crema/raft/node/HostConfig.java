package io.crema.raft.node;

import io.crema.raft.Clock;
import io.crema.raft.LogStore;
import io.crema.raft.SnapshotStore;
import io.crema.raft.Transport;
import io.crema.raft.core.RaftConfig;
import io.crema.raft.core.ReadOnlyOption;
import io.crema.raft.storage.MemorySnapshotStore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Settings of a {@link RaftHost}. Built with {@link #builder(long)}; every setting is validated on
 * {@link Builder#build()} and may be set once (a repeated setting is a mistake and fails fast).
 */
public final class HostConfig {
  /** Default tick interval: elections take 10-20 ticks, heartbeats every 3. */
  public static final long DEFAULT_TICK_INTERVAL_MS = 20;

  /** Default bound of the proposal/command queue (per host). */
  public static final int DEFAULT_QUEUE_CAPACITY = 1 << 16;

  /** Default bytes of proposals a leader group accepts before they commit. */
  public static final long DEFAULT_MAX_UNCOMMITTED_BYTES = 64L << 20;

  /** Default applied entries between automatic snapshots of a group. */
  public static final long DEFAULT_SNAPSHOT_ENTRIES = 100_000;

  /** Default entries kept in the log behind a snapshot for slow followers. */
  public static final long DEFAULT_SNAPSHOT_KEEP_ENTRIES = 10_000;

  /** Default snapshot chunk size on the wire. */
  public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 32 * 1024;

  /** Default time after which a proposal or read without outcome fails with TIMEOUT. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

  private final long nodeId;
  private final long tickIntervalNs;
  private final int electionTick;
  private final int heartbeatTick;
  private final boolean preVote;
  private final boolean checkQuorum;
  private final ReadOnlyOption readOnlyOption;
  private final long maxSizePerMsg;
  private final int maxInflightMsgs;
  private final long maxUncommittedBytes;
  private final int queueCapacity;
  private final long snapshotEntries;
  private final long snapshotKeepEntries;
  private final int snapshotChunkBytes;
  private final long requestTimeoutNs;
  private final LogStore logStore;
  private final Transport transport;
  private final SnapshotStore snapshotStore;
  private final Clock clock;
  private final Supplier<IdleStrategy> idleStrategy;
  private final HostListener listener;
  private final java.util.concurrent.Executor snapshotExecutor;
  private final java.util.concurrent.Executor syncExecutor;
  private final boolean quiesce;
  private final ProposalStamper stamper;

  private HostConfig(Builder b) {
    this.nodeId = b.nodeId;
    this.tickIntervalNs = TimeUnit.MILLISECONDS.toNanos(b.tickIntervalMs);
    this.electionTick = b.electionTick;
    this.heartbeatTick = b.heartbeatTick;
    this.preVote = b.preVote;
    this.checkQuorum = b.checkQuorum;
    this.readOnlyOption = b.readOnlyOption;
    this.maxSizePerMsg = b.maxSizePerMsg;
    this.maxInflightMsgs = b.maxInflightMsgs;
    this.maxUncommittedBytes = b.maxUncommittedBytes;
    this.queueCapacity = b.queueCapacity;
    this.snapshotEntries = b.snapshotEntries;
    this.snapshotKeepEntries = b.snapshotKeepEntries;
    this.snapshotChunkBytes = b.snapshotChunkBytes;
    this.requestTimeoutNs = TimeUnit.MILLISECONDS.toNanos(b.requestTimeoutMs);
    this.logStore = b.logStore;
    this.transport = b.transport;
    this.snapshotStore = b.snapshotStore != null ? b.snapshotStore : new MemorySnapshotStore();
    this.clock = b.clock != null ? b.clock : Clock.system();
    this.idleStrategy =
        b.idleStrategy != null
            ? b.idleStrategy
            : () -> new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1));
    this.listener = b.listener != null ? b.listener : HostListener.NONE;
    this.snapshotExecutor = b.snapshotExecutor;
    this.syncExecutor = b.syncExecutor;
    this.quiesce = b.quiesce;
    this.stamper = b.stamper != null ? b.stamper : ProposalStamper.NONE;
  }

  /** What the leader does to each command before appending it. */
  public ProposalStamper stamper() {
    return stamper;
  }

  /** Whether idle groups stop heartbeating (see {@link Builder#quiesce(boolean)}). */
  public boolean quiesce() {
    return quiesce;
  }

  public static Builder builder(long nodeId) {
    return new Builder(nodeId);
  }

  /** The Raft settings of one group on this node. */
  RaftConfig raftConfig(long groupId, long applied) {
    return RaftConfig.builder(nodeId)
        .groupId(groupId)
        .electionTick(electionTick)
        .heartbeatTick(heartbeatTick)
        .preVote(preVote)
        .checkQuorum(checkQuorum)
        .readOnlyOption(readOnlyOption)
        .maxSizePerMsg(Math.min(maxSizePerMsg, maxCommandBytes()))
        .maxInflightMsgs(maxInflightMsgs)
        .maxUncommittedEntriesSize(maxUncommittedBytes)
        .randomSeed(nodeId * 1_000_003L + groupId)
        .applied(applied)
        .build();
  }

  public long nodeId() {
    return nodeId;
  }

  /** The largest command (and append payload) the transport can carry, leaving 4 KiB of framing. */
  public int maxCommandBytes() {
    return Math.max(1024, transport.maxMessageBytes() - 4096);
  }

  public long tickIntervalNs() {
    return tickIntervalNs;
  }

  public int electionTick() {
    return electionTick;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public long snapshotEntries() {
    return snapshotEntries;
  }

  public long snapshotKeepEntries() {
    return snapshotKeepEntries;
  }

  public int snapshotChunkBytes() {
    return snapshotChunkBytes;
  }

  public long requestTimeoutNs() {
    return requestTimeoutNs;
  }

  public LogStore logStore() {
    return logStore;
  }

  public Transport transport() {
    return transport;
  }

  public SnapshotStore snapshotStore() {
    return snapshotStore;
  }

  public Clock clock() {
    return clock;
  }

  public IdleStrategy newIdleStrategy() {
    return idleStrategy.get();
  }

  public HostListener listener() {
    return listener;
  }

  /** Where snapshots are written; null = a dedicated background thread of the host. */
  public java.util.concurrent.Executor snapshotExecutor() {
    return snapshotExecutor;
  }

  /** Where the log store's sync tasks run; null = a dedicated thread of the host. */
  public java.util.concurrent.Executor syncExecutor() {
    return syncExecutor;
  }

  /** Builds a {@link HostConfig}. */
  public static final class Builder {
    private final long nodeId;
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private long tickIntervalMs = DEFAULT_TICK_INTERVAL_MS;
    private int electionTick = RaftConfig.DEFAULT_ELECTION_TICK;
    private int heartbeatTick = RaftConfig.DEFAULT_HEARTBEAT_TICK;
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private long maxSizePerMsg = RaftConfig.DEFAULT_MAX_SIZE_PER_MSG;
    private int maxInflightMsgs = RaftConfig.DEFAULT_MAX_INFLIGHT_MSGS;
    private long maxUncommittedBytes = DEFAULT_MAX_UNCOMMITTED_BYTES;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private long snapshotEntries = DEFAULT_SNAPSHOT_ENTRIES;
    private long snapshotKeepEntries = DEFAULT_SNAPSHOT_KEEP_ENTRIES;
    private int snapshotChunkBytes = DEFAULT_SNAPSHOT_CHUNK_BYTES;
    private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
    private LogStore logStore;
    private Transport transport;
    private SnapshotStore snapshotStore;
    private Clock clock;
    private Supplier<IdleStrategy> idleStrategy;
    private java.util.concurrent.Executor syncExecutor;
    private HostListener listener;
    private java.util.concurrent.Executor snapshotExecutor;
    private boolean quiesce = true;
    private ProposalStamper stamper;

    private Builder(long nodeId) {
      if (nodeId <= 0) {
        throw new IllegalArgumentException("nodeId must be > 0, was " + nodeId);
      }
      this.nodeId = nodeId;
    }

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static void positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be > 0, was " + v);
      }
    }

    /** Time between ticks (ms, >= 1). Default 20. */
    public Builder tickIntervalMs(long v) {
      once("tickIntervalMs");
      positive("tickIntervalMs", v);
      tickIntervalMs = v;
      return this;
    }

    /** Election timeout in ticks (> heartbeatTick). Default 10. */
    public Builder electionTick(int v) {
      once("electionTick");
      positive("electionTick", v);
      electionTick = v;
      return this;
    }

    /** Heartbeat interval in ticks (>= 1). Default 3. */
    public Builder heartbeatTick(int v) {
      once("heartbeatTick");
      positive("heartbeatTick", v);
      heartbeatTick = v;
      return this;
    }

    public Builder preVote(boolean v) {
      once("preVote");
      preVote = v;
      return this;
    }

    public Builder checkQuorum(boolean v) {
      once("checkQuorum");
      checkQuorum = v;
      return this;
    }

    /** SAFE (default) or LEASE_BASED (requires checkQuorum). */
    public Builder readOnlyOption(ReadOnlyOption v) {
      once("readOnlyOption");
      if (v == null) {
        throw new IllegalArgumentException("readOnlyOption must not be null");
      }
      readOnlyOption = v;
      return this;
    }

    public Builder maxSizePerMsg(long v) {
      once("maxSizePerMsg");
      positive("maxSizePerMsg", v);
      maxSizePerMsg = v;
      return this;
    }

    public Builder maxInflightMsgs(int v) {
      once("maxInflightMsgs");
      positive("maxInflightMsgs", v);
      maxInflightMsgs = v;
      return this;
    }

    /** Uncommitted proposal bytes per leader group before proposals are refused. Default 64 MiB. */
    public Builder maxUncommittedBytes(long v) {
      once("maxUncommittedBytes");
      positive("maxUncommittedBytes", v);
      maxUncommittedBytes = v;
      return this;
    }

    /**
     * Commands (proposals, reads, ...) queued to the host before they are refused. Default 65536.
     */
    public Builder queueCapacity(int v) {
      once("queueCapacity");
      if (v < 2) {
        throw new IllegalArgumentException("queueCapacity must be >= 2, was " + v);
      }
      queueCapacity = v;
      return this;
    }

    /** Applied entries between automatic snapshots (0 = only on request). Default 100,000. */
    public Builder snapshotEntries(long v) {
      once("snapshotEntries");
      if (v < 0) {
        throw new IllegalArgumentException("snapshotEntries must be >= 0, was " + v);
      }
      snapshotEntries = v;
      return this;
    }

    /** Entries kept behind a snapshot for followers that lag a little (>= 0). Default 10,000. */
    public Builder snapshotKeepEntries(long v) {
      once("snapshotKeepEntries");
      if (v < 0) {
        throw new IllegalArgumentException("snapshotKeepEntries must be >= 0, was " + v);
      }
      snapshotKeepEntries = v;
      return this;
    }

    /** Bytes per snapshot chunk on the wire (1 KiB to 1 MiB). Default 32 KiB. */
    public Builder snapshotChunkBytes(int v) {
      once("snapshotChunkBytes");
      if (v < 1024 || v > (1 << 20)) {
        throw new IllegalArgumentException(
            "snapshotChunkBytes must be in [1024, 1048576], was " + v);
      }
      snapshotChunkBytes = v;
      return this;
    }

    /** Time after which a request without outcome fails with TIMEOUT (ms). Default 10,000. */
    public Builder requestTimeoutMs(long v) {
      once("requestTimeoutMs");
      positive("requestTimeoutMs", v);
      requestTimeoutMs = v;
      return this;
    }

    /** The node's write-ahead log, shared by all its groups. Required. */
    public Builder logStore(LogStore v) {
      once("logStore");
      logStore = v;
      return this;
    }

    /** How this node talks to its peers. Required. */
    public Builder transport(Transport v) {
      once("transport");
      transport = v;
      return this;
    }

    /** Where snapshots live. Default: in memory. */
    public Builder snapshotStore(SnapshotStore v) {
      once("snapshotStore");
      snapshotStore = v;
      return this;
    }

    /** The time source for ticks and timeouts. Default: the JVM's monotonic clock. */
    public Builder clock(Clock v) {
      once("clock");
      clock = v;
      return this;
    }

    /**
     * Idle strategy of a dedicated host thread. Default: backoff (spin, yield, park up to 1 ms).
     */
    public Builder idleStrategy(Supplier<IdleStrategy> v) {
      once("idleStrategy");
      idleStrategy = v;
      return this;
    }

    /** Receives metrics events. Default: none. */
    public Builder listener(HostListener v) {
      once("listener");
      listener = v;
      return this;
    }

    /**
     * Whether a group idle for an election timeout (everything replicated, committed and applied,
     * nothing waiting) stops ticking on every member, so idle groups cost no heartbeats; a
     * node-level ping per peer wakes groups whose leader goes silent. Default on.
     */
    public Builder quiesce(boolean v) {
      once("quiesce");
      quiesce = v;
      return this;
    }

    /** Rewrites each command on the leader before it is appended. Default: none. */
    public Builder stamper(ProposalStamper v) {
      once("stamper");
      stamper = v;
      return this;
    }

    /**
     * Where snapshots are serialised. Default: a dedicated daemon thread per host. A direct
     * executor ({@code Runnable::run}) writes them on the host thread, which makes runs
     * deterministic (simulation) at the cost of stalling the loop while writing.
     */
    public Builder snapshotExecutor(java.util.concurrent.Executor v) {
      once("snapshotExecutor");
      snapshotExecutor = v;
      return this;
    }

    /**
     * Where the log store's sync tasks ({@link LogStore#syncLater()}) run. Default: a dedicated
     * daemon thread per host, which runs only the newest of the tasks queued while it was busy (one
     * sync covers them all) and wakes the host when it is done (a host on its own thread; one
     * composed on a shared thread with {@code agent()} notices on its next duty cycle). A
     * simulation passes an executor it controls (the host notices a finished sync on its next duty
     * cycle). Tasks must run one at a time in the order given. Stores whose {@code syncLater()}
     * syncs at once never use it.
     */
    public Builder syncExecutor(java.util.concurrent.Executor v) {
      once("syncExecutor");
      syncExecutor = v;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public HostConfig build() {
      if (logStore == null) {
        throw new IllegalArgumentException("logStore is required");
      }
      if (transport == null) {
        throw new IllegalArgumentException("transport is required");
      }
      if (transport.nodeId() != nodeId) {
        throw new IllegalArgumentException(
            "transport belongs to node " + transport.nodeId() + ", not to node " + nodeId);
      }
      if (electionTick <= heartbeatTick) {
        throw new IllegalArgumentException(
            "electionTick must be > heartbeatTick, was " + electionTick + " <= " + heartbeatTick);
      }
      if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
        throw new IllegalArgumentException("readOnlyOption LEASE_BASED requires checkQuorum(true)");
      }
      return new HostConfig(this);
    }
  }
}
