package io.crema.raft.core;

/**
 * Settings of one Raft group on one node. Immutable; built with {@link #builder(long)}, which
 * validates every setting and names the one that is wrong.
 */
public final class RaftConfig {
  /** Default election timeout, in ticks. */
  public static final int DEFAULT_ELECTION_TICK = 10;

  /** Default heartbeat interval, in ticks. */
  public static final int DEFAULT_HEARTBEAT_TICK = 3;

  /** Default largest append message payload. */
  public static final long DEFAULT_MAX_SIZE_PER_MSG = 1 << 20;

  /** Default most append messages in flight to one follower. */
  public static final int DEFAULT_MAX_INFLIGHT_MSGS = 256;

  /** Default byte budget of committed entries handed out per Ready. */
  public static final long DEFAULT_MAX_COMMITTED_SIZE_PER_READY = 64L << 20;

  private final long id;
  private final long groupId;
  private final int electionTick;
  private final int heartbeatTick;
  private final long applied;
  private final long maxSizePerMsg;
  private final long maxCommittedSizePerReady;
  private final long maxUncommittedEntriesSize;
  private final int maxInflightMsgs;
  private final long maxInflightBytes;
  private final boolean checkQuorum;
  private final boolean preVote;
  private final ReadOnlyOption readOnlyOption;
  private final long randomSeed;
  private final boolean stepDownOnRemoval;

  private RaftConfig(Builder b) {
    this.id = b.id;
    this.groupId = b.groupId;
    this.electionTick = b.electionTick;
    this.heartbeatTick = b.heartbeatTick;
    this.applied = b.applied;
    this.maxSizePerMsg = b.maxSizePerMsg;
    this.maxCommittedSizePerReady = b.maxCommittedSizePerReady;
    this.maxUncommittedEntriesSize = b.maxUncommittedEntriesSize;
    this.maxInflightMsgs = b.maxInflightMsgs;
    this.maxInflightBytes = b.maxInflightBytes;
    this.checkQuorum = b.checkQuorum;
    this.preVote = b.preVote;
    this.readOnlyOption = b.readOnlyOption;
    this.randomSeed = b.randomSeed;
    this.stepDownOnRemoval = b.stepDownOnRemoval;
  }

  /** A builder for the node with the given id (> 0). */
  public static Builder builder(long nodeId) {
    return new Builder(nodeId);
  }

  public long id() {
    return id;
  }

  public long groupId() {
    return groupId;
  }

  public int electionTick() {
    return electionTick;
  }

  public int heartbeatTick() {
    return heartbeatTick;
  }

  public long applied() {
    return applied;
  }

  public long maxSizePerMsg() {
    return maxSizePerMsg;
  }

  public long maxCommittedSizePerReady() {
    return maxCommittedSizePerReady;
  }

  public long maxUncommittedEntriesSize() {
    return maxUncommittedEntriesSize;
  }

  public int maxInflightMsgs() {
    return maxInflightMsgs;
  }

  public long maxInflightBytes() {
    return maxInflightBytes;
  }

  public boolean checkQuorum() {
    return checkQuorum;
  }

  public boolean preVote() {
    return preVote;
  }

  public ReadOnlyOption readOnlyOption() {
    return readOnlyOption;
  }

  public long randomSeed() {
    return randomSeed;
  }

  public boolean stepDownOnRemoval() {
    return stepDownOnRemoval;
  }

  /** Builds a {@link RaftConfig}; each setter may be called once. */
  public static final class Builder {
    private final long id;
    private long groupId;
    private int electionTick = DEFAULT_ELECTION_TICK;
    private int heartbeatTick = DEFAULT_HEARTBEAT_TICK;
    private long applied;
    private long maxSizePerMsg = DEFAULT_MAX_SIZE_PER_MSG;
    private long maxCommittedSizePerReady = DEFAULT_MAX_COMMITTED_SIZE_PER_READY;
    private long maxUncommittedEntriesSize;
    private int maxInflightMsgs = DEFAULT_MAX_INFLIGHT_MSGS;
    private long maxInflightBytes;
    private boolean checkQuorum = true;
    private boolean preVote = true;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private long randomSeed;
    private boolean stepDownOnRemoval = true;

    private Builder(long id) {
      if (id <= 0) {
        throw new IllegalArgumentException("node id must be > 0, was " + id);
      }
      this.id = id;
      this.randomSeed = id;
    }

    /** The group this node belongs to (>= 0); stamped on every message. */
    public Builder groupId(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("groupId must be >= 0, was " + v);
      }
      groupId = v;
      return this;
    }

    /** Ticks without hearing a leader before a follower campaigns (> heartbeatTick). Default 10. */
    public Builder electionTick(int v) {
      electionTick = v;
      return this;
    }

    /** Ticks between leader heartbeats (>= 1). Default 3. */
    public Builder heartbeatTick(int v) {
      heartbeatTick = v;
      return this;
    }

    /** The index the state machine has applied (on restart). Default 0 = the snapshot index. */
    public Builder applied(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("applied must be >= 0, was " + v);
      }
      applied = v;
      return this;
    }

    /** Most payload bytes per append message (>= 1); one entry is always sent. Default 1 MiB. */
    public Builder maxSizePerMsg(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxSizePerMsg must be >= 1, was " + v);
      }
      maxSizePerMsg = v;
      return this;
    }

    /** Most committed-entry bytes handed out per Ready (>= 1). Default 64 MiB. */
    public Builder maxCommittedSizePerReady(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxCommittedSizePerReady must be >= 1, was " + v);
      }
      maxCommittedSizePerReady = v;
      return this;
    }

    /** Most uncommitted payload bytes a leader accepts (0 = no limit). Default 0. */
    public Builder maxUncommittedEntriesSize(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("maxUncommittedEntriesSize must be >= 0, was " + v);
      }
      maxUncommittedEntriesSize = v;
      return this;
    }

    /** Most append messages in flight to one follower (>= 1). Default 256. */
    public Builder maxInflightMsgs(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxInflightMsgs must be >= 1, was " + v);
      }
      maxInflightMsgs = v;
      return this;
    }

    /** Most payload bytes in flight to one follower (0 = no limit). Default 0. */
    public Builder maxInflightBytes(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("maxInflightBytes must be >= 0, was " + v);
      }
      maxInflightBytes = v;
      return this;
    }

    /** Leader steps down when it has not heard a quorum for an election timeout. Default on. */
    public Builder checkQuorum(boolean v) {
      checkQuorum = v;
      return this;
    }

    /**
     * Pre-vote round before an election (avoids term inflation by partitioned nodes). Default on.
     */
    public Builder preVote(boolean v) {
      preVote = v;
      return this;
    }

    /** How linearizable reads are served. Default {@link ReadOnlyOption#SAFE}. */
    public Builder readOnlyOption(ReadOnlyOption v) {
      if (v == null) {
        throw new IllegalArgumentException("readOnlyOption must not be null");
      }
      readOnlyOption = v;
      return this;
    }

    /** Seed of the election-timeout randomisation. Default: the node id. */
    public Builder randomSeed(long v) {
      randomSeed = v;
      return this;
    }

    /**
     * A leader that applied a configuration without itself as voter hands leadership to a remaining
     * voter (catching it up first) instead of leading on as a non-member. Default on.
     */
    public Builder stepDownOnRemoval(boolean v) {
      stepDownOnRemoval = v;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first setting that is wrong
     */
    public RaftConfig build() {
      if (heartbeatTick < 1) {
        throw new IllegalArgumentException("heartbeatTick must be >= 1, was " + heartbeatTick);
      }
      if (electionTick <= heartbeatTick) {
        throw new IllegalArgumentException(
            "electionTick must be > heartbeatTick, was electionTick="
                + electionTick
                + " heartbeatTick="
                + heartbeatTick);
      }
      if (readOnlyOption == ReadOnlyOption.LEASE_BASED && !checkQuorum) {
        throw new IllegalArgumentException(
            "readOnlyOption LEASE_BASED requires checkQuorum(true): without it a deposed leader"
                + " could serve stale reads");
      }
      return new RaftConfig(this);
    }
  }
}
