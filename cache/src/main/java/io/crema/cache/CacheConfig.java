package io.crema.cache;

import io.crema.multiraft.ShardRouter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings of one cache node. Built with {@link #builder()}; {@link Builder#build()} validates
 * every setting and fails with the setting's name and the reason; setting the same thing twice is a
 * mistake and fails at once.
 */
public final class CacheConfig {
  /** Where the Raft log lives. */
  public enum StorageType {
    /** In memory: fast, lost with the process (replicas still protect against single failures). */
    MEMORY,
    /** A Chronicle Queue write-ahead log in {@link #dataDirectory()}, synced per batch. */
    CHRONICLE
  }

  /** Most shards a cache may have. */
  public static final int MAX_SHARDS = ShardRouter.MAX_SHARDS;

  /** Default request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** Default largest datagram to a peer: Aeron's default MTU. */
  public static final int DEFAULT_TRANSPORT_MTU = 1408;

  /** Default longest park of an idle event loop (host and embedded media driver). */
  public static final Duration DEFAULT_IDLE_MAX_PARK = Duration.ofMillis(1);

  /** Shortest allowed {@code idleMaxPark}: below it, idle threads come close to a busy spin. */
  public static final Duration MIN_IDLE_MAX_PARK = Duration.ofNanos(10_000);

  /** Longest allowed {@code idleMaxPark}: above it, an idle node is slow to notice work. */
  public static final Duration MAX_IDLE_MAX_PARK = Duration.ofMillis(10);

  private final long nodeId;
  private final String raftAddress;
  private final Map<Long, String> seedNodes;
  private final long clusterId;
  private final long maxEntries;
  private final long maxBytes;
  private final Duration defaultTtl;
  private final long tickIntervalMs;
  private final int electionTick;
  private final int heartbeatTick;
  private final boolean preVote;
  private final boolean checkQuorum;
  private final boolean leaseReads;
  private final StorageType storage;
  private final Path dataDirectory;
  private final long checkpointEntries;
  private final boolean checkpointCompression;
  private final int shards;
  private final String aeronDirectory;
  private final int termLengthBytes;
  private final int transportMtu;
  private final Duration requestTimeout;
  private final Duration idleMaxPark;
  private final int maxKeyBytes;
  private final int maxValueBytes;

  private CacheConfig(Builder b) {
    this.nodeId = b.nodeId;
    this.raftAddress = b.raftAddress;
    this.seedNodes = Collections.unmodifiableMap(new TreeMap<>(b.seedNodes));
    this.clusterId = b.clusterId;
    this.maxEntries = b.maxEntries;
    this.maxBytes = b.maxBytes;
    this.defaultTtl = b.defaultTtl;
    this.tickIntervalMs = b.tickIntervalMs;
    this.electionTick = b.electionTick;
    this.heartbeatTick = b.heartbeatTick;
    this.preVote = b.preVote;
    this.checkQuorum = b.checkQuorum;
    this.leaseReads = b.leaseReads;
    this.storage = b.storage;
    this.dataDirectory = b.dataDirectory;
    this.checkpointEntries = b.checkpointEntries;
    this.checkpointCompression = b.checkpointCompression;
    this.shards = b.shards;
    this.aeronDirectory = b.aeronDirectory;
    this.termLengthBytes = b.termLengthBytes;
    this.transportMtu = b.transportMtu;
    this.requestTimeout = b.requestTimeout;
    this.idleMaxPark = b.idleMaxPark;
    this.maxKeyBytes = b.maxKeyBytes;
    this.maxValueBytes = b.maxValueBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long nodeId() {
    return nodeId;
  }

  /** This node's Raft endpoint, {@code host:port}. */
  public String raftAddress() {
    return raftAddress;
  }

  /** Every member of the cluster (this node included): id to {@code host:port}. */
  public Map<Long, String> members() {
    Map<Long, String> all = new TreeMap<>(seedNodes);
    all.put(nodeId, raftAddress);
    return all;
  }

  public long clusterId() {
    return clusterId;
  }

  /** Most entries per shard (0 = unbounded by count). */
  public long maxEntries() {
    return maxEntries;
  }

  /** Most bytes (keys + values) per shard. */
  public long maxBytes() {
    return maxBytes;
  }

  /** TTL of puts without one ({@link Duration#ZERO} = no expiry). */
  public Duration defaultTtl() {
    return defaultTtl;
  }

  public long tickIntervalMs() {
    return tickIntervalMs;
  }

  public int electionTick() {
    return electionTick;
  }

  public int heartbeatTick() {
    return heartbeatTick;
  }

  public boolean preVote() {
    return preVote;
  }

  public boolean checkQuorum() {
    return checkQuorum;
  }

  public boolean leaseReads() {
    return leaseReads;
  }

  public StorageType storage() {
    return storage;
  }

  /** Where the log and checkpoints live (required for CHRONICLE; null for MEMORY if unset). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Applied entries between checkpoints of a shard. */
  public long checkpointEntries() {
    return checkpointEntries;
  }

  public boolean checkpointCompression() {
    return checkpointCompression;
  }

  public int shards() {
    return shards;
  }

  /** The Aeron directory of an external media driver, or null for the embedded one. */
  public String aeronDirectory() {
    return aeronDirectory;
  }

  public int termLengthBytes() {
    return termLengthBytes;
  }

  public int transportMtu() {
    return transportMtu;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration idleMaxPark() {
    return idleMaxPark;
  }

  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  /** Builds a {@link CacheConfig}. */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private long nodeId = 1;
    private String raftAddress = "127.0.0.1:40101";
    private final Map<Long, String> seedNodes = new TreeMap<>();
    private long clusterId = 0xC4E3AL;
    private long maxEntries;
    private long maxBytes = 256L << 20;
    private Duration defaultTtl = Duration.ZERO;
    private long tickIntervalMs = 20;
    private int electionTick = 10;
    private int heartbeatTick = 3;
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private boolean leaseReads;
    private StorageType storage = StorageType.MEMORY;
    private Path dataDirectory;
    private long checkpointEntries = 100_000;
    private boolean checkpointCompression = true;
    private int shards = 1;
    private String aeronDirectory;
    private int termLengthBytes = 16 << 20;
    private int transportMtu = DEFAULT_TRANSPORT_MTU;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration idleMaxPark = DEFAULT_IDLE_MAX_PARK;
    private int maxKeyBytes = 64 * 1024;
    private int maxValueBytes = 1 << 20;

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException("CacheConfig." + name + " was already set");
      }
    }

    private static IllegalArgumentException bad(String setting, Object value, String why) {
      return new IllegalArgumentException(
          "CacheConfig." + setting + " = " + value + " is invalid: " + why);
    }

    /** This node's id (> 0). Default 1. */
    public Builder nodeId(long v) {
      once("nodeId");
      if (v <= 0) {
        throw bad("nodeId", v, "must be > 0");
      }
      nodeId = v;
      return this;
    }

    /** This node's Raft endpoint {@code host:port}. Default 127.0.0.1:40101. */
    public Builder raftAddress(String v) {
      once("raftAddress");
      raftAddress = checkAddress("raftAddress", v);
      return this;
    }

    /** Another member: its id and {@code host:port}. Call once per peer. */
    public Builder seedNode(long id, String address) {
      if (id <= 0) {
        throw bad("seedNode", id, "node ids must be > 0");
      }
      if (seedNodes.containsKey(id)) {
        throw new IllegalStateException("CacheConfig.seedNode " + id + " was already set");
      }
      seedNodes.put(id, checkAddress("seedNode(" + id + ")", address));
      return this;
    }

    private static String checkAddress(String setting, String v) {
      if (v == null) {
        throw bad(setting, null, "must be host:port");
      }
      int colon = v.lastIndexOf(':');
      if (colon <= 0 || colon == v.length() - 1) {
        throw bad(setting, v, "must be host:port");
      }
      try {
        int port = Integer.parseInt(v.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw bad(setting, v, "port must be in [1, 65535]");
        }
      } catch (NumberFormatException e) {
        throw bad(setting, v, "port is not a number");
      }
      return v;
    }

    /** Identifies the cluster on the wire; nodes of another cluster are ignored. */
    public Builder clusterId(long v) {
      once("clusterId");
      clusterId = v;
      return this;
    }

    /** Most entries per shard (> 0), or 0 for no count bound. Default 0. */
    public Builder maxEntries(long v) {
      once("maxEntries");
      if (v < 0) {
        throw bad("maxEntries", v, "must be >= 0");
      }
      maxEntries = v;
      return this;
    }

    /** Most bytes of keys and values per shard (>= 1 MiB). Default 256 MiB. */
    public Builder maxBytes(long v) {
      once("maxBytes");
      if (v < (1 << 20)) {
        throw bad("maxBytes", v, "must be at least 1048576 (1 MiB)");
      }
      maxBytes = v;
      return this;
    }

    /** TTL for puts that give none (zero = never expire). */
    public Builder defaultTtl(Duration v) {
      once("defaultTtl");
      if (v == null || v.isNegative()) {
        throw bad("defaultTtl", v, "must be zero or positive");
      }
      defaultTtl = v;
      return this;
    }

    /** Raft tick interval in ms (>= 1). Default 20. */
    public Builder tickIntervalMs(long v) {
      once("tickIntervalMs");
      if (v < 1) {
        throw bad("tickIntervalMs", v, "must be >= 1");
      }
      tickIntervalMs = v;
      return this;
    }

    /** Election timeout in ticks (> heartbeatTick). Default 10. */
    public Builder electionTick(int v) {
      once("electionTick");
      if (v < 2) {
        throw bad("electionTick", v, "must be >= 2");
      }
      electionTick = v;
      return this;
    }

    /** Heartbeat interval in ticks (>= 1). Default 3. */
    public Builder heartbeatTick(int v) {
      once("heartbeatTick");
      if (v < 1) {
        throw bad("heartbeatTick", v, "must be >= 1");
      }
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

    /** Lease reads for consistentGet (needs checkQuorum and bounded clock drift). Default off. */
    public Builder leaseReads(boolean v) {
      once("leaseReads");
      leaseReads = v;
      return this;
    }

    /** MEMORY (default) or CHRONICLE (needs {@link #dataDirectory}). */
    public Builder storage(StorageType v) {
      once("storage");
      if (v == null) {
        throw bad("storage", null, "must be MEMORY or CHRONICLE");
      }
      storage = v;
      return this;
    }

    public Builder dataDirectory(Path v) {
      once("dataDirectory");
      if (v == null) {
        throw bad("dataDirectory", null, "must be a directory path");
      }
      dataDirectory = v;
      return this;
    }

    /** Applied entries between checkpoints of a shard (>= 100). Default 100,000. */
    public Builder checkpointEntries(long v) {
      once("checkpointEntries");
      if (v < 100) {
        throw bad("checkpointEntries", v, "must be >= 100");
      }
      checkpointEntries = v;
      return this;
    }

    public Builder checkpointCompression(boolean v) {
      once("checkpointCompression");
      checkpointCompression = v;
      return this;
    }

    /** Number of shards, each its own Raft group (1 = single-raft mode, at most 1024). */
    public Builder shards(int v) {
      once("shards");
      if (v < 1 || v > MAX_SHARDS) {
        throw bad("shards", v, "must be in [1, " + MAX_SHARDS + "]");
      }
      shards = v;
      return this;
    }

    /** Use an external Aeron media driver in this directory instead of the embedded one. */
    public Builder aeronDirectory(String v) {
      once("aeronDirectory");
      aeronDirectory = v;
      return this;
    }

    /**
     * Aeron term length (power of two, 64 KiB to 64 MiB). The largest message is an eighth of it,
     * and one entry (key + value + about 4 KiB) must fit in a message. Default 16 MiB (term files
     * are sparse).
     */
    public Builder termLengthBytes(int v) {
      once("termLengthBytes");
      if (v < (64 << 10) || v > (64 << 20) || Integer.bitCount(v) != 1) {
        throw bad("termLengthBytes", v, "must be a power of two in [65536, 67108864]");
      }
      termLengthBytes = v;
      return this;
    }

    /**
     * Largest UDP datagram the node sends to its peers, in bytes (a multiple of 32 in [1408,
     * 65504], at most an eighth of the term length): messages to one peer are batched into
     * datagrams of up to this size. Default {@value #DEFAULT_TRANSPORT_MTU}, Aeron's default, which
     * fits an Ethernet frame. Larger datagrams mean fewer datagrams and system calls per message
     * (see benchmarks/README.md); use them only where the path carries them whole: loopback (MTU
     * 65536) or a network with jumbo frames. Otherwise IP fragments them and the loss of one
     * fragment loses the whole datagram.
     */
    public Builder transportMtu(int v) {
      once("transportMtu");
      if (v < DEFAULT_TRANSPORT_MTU || v > 65504 || v % 32 != 0) {
        throw bad("transportMtu", v, "must be a multiple of 32 in [1408, 65504]");
      }
      transportMtu = v;
      return this;
    }

    /** How long an operation may take before it fails with a timeout. Default 5 s. */
    public Builder requestTimeout(Duration v) {
      once("requestTimeout");
      if (v == null || v.isNegative() || v.isZero()) {
        throw bad("requestTimeout", v, "must be positive");
      }
      requestTimeout = v;
      return this;
    }

    /**
     * The longest an idle event loop parks before looking for work again: the node's host thread
     * and the threads of the process's embedded Aeron media driver (the first node started in a
     * process sets the driver's). Idle threads back off (spin, yield, then park for doubling times
     * up to this), so a smaller value answers sooner after a quiet spell and costs more CPU while
     * idle. 10 µs to 10 ms; default 1 ms.
     */
    public Builder idleMaxPark(Duration v) {
      once("idleMaxPark");
      if (v == null || v.compareTo(MIN_IDLE_MAX_PARK) < 0 || v.compareTo(MAX_IDLE_MAX_PARK) > 0) {
        throw bad("idleMaxPark", v, "must be between 10 µs and 10 ms");
      }
      idleMaxPark = v;
      return this;
    }

    /** Largest key (bytes, 1 to 64 KiB). Default 64 KiB. */
    public Builder maxKeyBytes(int v) {
      once("maxKeyBytes");
      if (v < 1 || v > 64 * 1024) {
        throw bad("maxKeyBytes", v, "must be in [1, 65536]");
      }
      maxKeyBytes = v;
      return this;
    }

    /** Largest value (bytes, 0 to 2 MiB). Default 1 MiB. */
    public Builder maxValueBytes(int v) {
      once("maxValueBytes");
      if (v < 0 || v > (2 << 20)) {
        throw bad("maxValueBytes", v, "must be in [0, 2097152]");
      }
      maxValueBytes = v;
      return this;
    }

    /**
     * Validates the combination and builds.
     *
     * @throws IllegalArgumentException naming the setting and the reason
     */
    public CacheConfig build() {
      if (electionTick <= heartbeatTick) {
        throw bad(
            "electionTick",
            electionTick,
            "must be greater than heartbeatTick (" + heartbeatTick + ")");
      }
      if (storage == StorageType.CHRONICLE && dataDirectory == null) {
        throw bad("dataDirectory", null, "is required when storage is CHRONICLE");
      }
      if (leaseReads && !checkQuorum) {
        throw bad("leaseReads", true, "requires checkQuorum(true)");
      }
      long maxMessage = termLengthBytes / 8;
      if (transportMtu > maxMessage) {
        throw bad(
            "transportMtu",
            transportMtu,
            "must be at most an eighth of termLengthBytes (" + maxMessage + " bytes)");
      }
      if ((long) maxKeyBytes + maxValueBytes + 4096 > maxMessage) {
        throw bad(
            "termLengthBytes",
            termLengthBytes,
            "its largest message ("
                + maxMessage
                + " bytes) cannot carry the largest entry (maxKeyBytes "
                + maxKeyBytes
                + " + maxValueBytes "
                + maxValueBytes
                + " + 4096): raise termLengthBytes or lower the limits");
      }
      if (seedNodes.containsKey(nodeId)) {
        throw bad(
            "seedNode",
            nodeId,
            "is this node's own id; list only the other members (this node is raftAddress)");
      }
      if (seedNodes.containsValue(raftAddress)) {
        throw bad("raftAddress", raftAddress, "is also given as a seed node's address");
      }
      return new CacheConfig(this);
    }
  }
}
