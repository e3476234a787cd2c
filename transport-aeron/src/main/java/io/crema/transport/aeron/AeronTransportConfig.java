package io.crema.transport.aeron;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.agrona.BitUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Settings of one node's {@link AeronTransport}. Immutable; built with {@link #builder()}, which
 * validates every setting, refuses a setting made twice, and names the one that is wrong. A config
 * may be reused to start the same node again (on restart).
 */
public final class AeronTransportConfig {
  /** Default Aeron stream id of Crema peer traffic. */
  public static final int DEFAULT_STREAM_ID = 1001;

  /** Default term length of each peer publication: 1 MiB (three terms per publication). */
  public static final int DEFAULT_TERM_LENGTH = 1 << 20;

  /** Smallest term length Aeron accepts. */
  public static final int MIN_TERM_LENGTH = 64 * 1024;

  /** Largest term length Aeron accepts. */
  public static final int MAX_TERM_LENGTH = 1 << 30;

  /** Default MTU of peer publications (Aeron's default). */
  public static final int DEFAULT_MTU = 1408;

  /** Default per-peer outbound buffer. */
  public static final int DEFAULT_OUTBOUND_BUFFER_BYTES = 1 << 20;

  /** Default offer attempts after the first before a flush leaves frames for the next one. */
  public static final int DEFAULT_OFFER_RETRIES = 4;

  /** Default fragments read from the subscription per poll. */
  public static final int DEFAULT_FRAGMENT_LIMIT = 256;

  private final long nodeId;
  private final long clusterId;
  private final Map<Long, Endpoint> endpoints;
  private final String aeronDirectoryName;
  private final Aeron aeron;
  private final int streamId;
  private final int termLength;
  private final int mtu;
  private final int maxBatchBytes;
  private final int outboundBufferBytes;
  private final int offerRetries;
  private final Supplier<IdleStrategy> retryIdleStrategy;
  private final int fragmentLimit;

  private AeronTransportConfig(Builder b) {
    this.nodeId = b.nodeId;
    this.clusterId = b.clusterId;
    this.endpoints = Collections.unmodifiableMap(new TreeMap<>(b.endpoints));
    this.aeron = b.aeron;
    this.aeronDirectoryName =
        b.aeronDirectoryName != null
            ? b.aeronDirectoryName
            : b.aeron != null ? b.aeron.context().aeronDirectoryName() : defaultDirectory();
    this.streamId = b.streamId;
    this.termLength = b.termLength;
    this.mtu = b.mtu;
    this.maxBatchBytes = b.maxBatchBytes == 0 ? b.mtu - 32 : b.maxBatchBytes;
    this.outboundBufferBytes = b.outboundBufferBytes;
    this.offerRetries = b.offerRetries;
    this.retryIdleStrategy = b.retryIdleStrategy;
    this.fragmentLimit = b.fragmentLimit;
  }

  private static String defaultDirectory() {
    return CommonContext.getAeronDirectoryName();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This node's id (> 0). */
  public long nodeId() {
    return nodeId;
  }

  /** Frames carrying another cluster id are dropped. */
  public long clusterId() {
    return clusterId;
  }

  /** Every node's endpoint, this node's included; sorted by id. */
  public Map<Long, Endpoint> endpoints() {
    return endpoints;
  }

  /** This node's own endpoint (where its subscription listens). */
  public Endpoint endpoint() {
    return endpoints.get(nodeId);
  }

  /** The media driver's directory. */
  public String aeronDirectoryName() {
    return aeronDirectoryName;
  }

  /** An externally owned Aeron client to use instead of connecting one; null if none. */
  public Aeron aeron() {
    return aeron;
  }

  public int streamId() {
    return streamId;
  }

  public int termLength() {
    return termLength;
  }

  public int mtu() {
    return mtu;
  }

  /** Target frame size: frames are closed once adding a message would pass it. */
  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  public int outboundBufferBytes() {
    return outboundBufferBytes;
  }

  public int offerRetries() {
    return offerRetries;
  }

  /** A new idle strategy for the pauses between offer retries. */
  public IdleStrategy newRetryIdleStrategy() {
    return retryIdleStrategy.get();
  }

  public int fragmentLimit() {
    return fragmentLimit;
  }

  @Override
  public String toString() {
    return "AeronTransportConfig{node="
        + nodeId
        + " cluster="
        + clusterId
        + " endpoints="
        + endpoints
        + " dir="
        + aeronDirectoryName
        + " stream="
        + streamId
        + " termLength="
        + termLength
        + " mtu="
        + mtu
        + " maxBatchBytes="
        + maxBatchBytes
        + "}";
  }

  /** Builds an {@link AeronTransportConfig}; each setting may be made once. */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private final Map<Long, Endpoint> endpoints = new TreeMap<>();
    private long nodeId;
    private long clusterId;
    private String aeronDirectoryName;
    private Aeron aeron;
    private int streamId = DEFAULT_STREAM_ID;
    private int termLength = DEFAULT_TERM_LENGTH;
    private int mtu = DEFAULT_MTU;
    private int maxBatchBytes;
    private int outboundBufferBytes = DEFAULT_OUTBOUND_BUFFER_BYTES;
    private int offerRetries = DEFAULT_OFFER_RETRIES;
    private Supplier<IdleStrategy> retryIdleStrategy =
        () -> new BackoffIdleStrategy(1, 1, 1_000, 50_000);
    private int fragmentLimit = DEFAULT_FRAGMENT_LIMIT;

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /** This node's id (> 0). Required. */
    public Builder nodeId(long v) {
      once("nodeId");
      if (v <= 0) {
        throw new IllegalArgumentException("nodeId must be > 0, was " + v);
      }
      nodeId = v;
      return this;
    }

    /** The cluster id every frame carries; frames of another id are dropped. Required. */
    public Builder clusterId(long v) {
      once("clusterId");
      clusterId = v;
      return this;
    }

    /** The endpoint of a node (this one or a peer), as {@code host:port}. */
    public Builder endpoint(long id, String hostPort) {
      return endpoint(id, Endpoint.parse(hostPort));
    }

    /** The endpoint of a node (this one or a peer). */
    public Builder endpoint(long id, Endpoint endpoint) {
      if (id <= 0) {
        throw new IllegalArgumentException("endpoint node id must be > 0, was " + id);
      }
      if (endpoint == null) {
        throw new IllegalArgumentException("endpoint of node " + id + " must not be null");
      }
      if (endpoints.putIfAbsent(id, endpoint) != null) {
        throw new IllegalStateException("endpoint of node " + id + " was already set");
      }
      return this;
    }

    /** Every node's endpoint as {@code host:port}, this node's included. */
    public Builder endpoints(Map<Long, String> hostPorts) {
      hostPorts.forEach(this::endpoint);
      return this;
    }

    /** The media driver directory. Default: Aeron's ({@code aeron.dir} or its platform default). */
    public Builder aeronDirectoryName(String v) {
      once("aeronDirectoryName");
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException("aeronDirectoryName must not be blank");
      }
      aeronDirectoryName = v;
      return this;
    }

    /** Uses this Aeron client (not closed by the transport) instead of connecting a new one. */
    public Builder aeron(Aeron v) {
      once("aeron");
      if (v == null) {
        throw new IllegalArgumentException("aeron must not be null");
      }
      aeron = v;
      return this;
    }

    /** The Aeron stream id of peer traffic; all nodes must agree. Default 1001. */
    public Builder streamId(int v) {
      once("streamId");
      streamId = v;
      return this;
    }

    /**
     * Term length of each peer publication: a power of two in [64 KiB, 1 GiB]. Publications take
     * three terms of memory each (and so does each receiving image); the largest message is {@code
     * min(termLength / 8, 16 MiB)}. Default 1 MiB.
     */
    public Builder termLength(int v) {
      once("termLength");
      if (v < MIN_TERM_LENGTH || v > MAX_TERM_LENGTH || !BitUtil.isPowerOfTwo(v)) {
        throw new IllegalArgumentException(
            "termLength must be a power of two in ["
                + MIN_TERM_LENGTH
                + ", "
                + MAX_TERM_LENGTH
                + "], was "
                + v);
      }
      termLength = v;
      return this;
    }

    /** MTU of peer publications: a multiple of 32 in [128, 65504]. Default 1408. */
    public Builder mtu(int v) {
      once("mtu");
      if (v < 128 || v > 65504 || v % 32 != 0) {
        throw new IllegalArgumentException(
            "mtu must be a multiple of 32 in [128, 65504], was " + v);
      }
      mtu = v;
      return this;
    }

    /**
     * Target frame size in bytes (at least 64): small messages to one peer are batched into frames
     * of up to this size; a larger message travels alone in its own frame. Default: the MTU's
     * payload (mtu - 32), so that a frame is one datagram. Capped at the largest message.
     */
    public Builder maxBatchBytes(int v) {
      once("maxBatchBytes");
      if (v < 64) {
        throw new IllegalArgumentException("maxBatchBytes must be >= 64, was " + v);
      }
      maxBatchBytes = v;
      return this;
    }

    /**
     * Bytes of encoded messages held per peer until flushed and accepted by Aeron (at least 64 KiB;
     * raised to the largest message if smaller). When full, sends to that peer return false.
     * Default 1 MiB.
     */
    public Builder outboundBufferBytes(int v) {
      once("outboundBufferBytes");
      if (v < 64 * 1024) {
        throw new IllegalArgumentException("outboundBufferBytes must be >= 65536, was " + v);
      }
      outboundBufferBytes = v;
      return this;
    }

    /**
     * Offer attempts after the first when a peer's publication is back-pressured, in [0, 1000];
     * then the flush stops and the frames wait for the next flush. Default 4.
     */
    public Builder offerRetries(int v) {
      once("offerRetries");
      if (v < 0 || v > 1000) {
        throw new IllegalArgumentException("offerRetries must be in [0, 1000], was " + v);
      }
      offerRetries = v;
      return this;
    }

    /** Makes the idle strategy paused on between offer retries. Default: a short backoff. */
    public Builder retryIdleStrategy(Supplier<IdleStrategy> v) {
      once("retryIdleStrategy");
      if (v == null) {
        throw new IllegalArgumentException("retryIdleStrategy must not be null");
      }
      retryIdleStrategy = v;
      return this;
    }

    /** Fragments read from the subscription per poll, in [1, 65536]. Default 256. */
    public Builder fragmentLimit(int v) {
      once("fragmentLimit");
      if (v < 1 || v > 65536) {
        throw new IllegalArgumentException("fragmentLimit must be in [1, 65536], was " + v);
      }
      fragmentLimit = v;
      return this;
    }

    /**
     * @throws IllegalStateException if a required setting is missing or settings disagree
     */
    public AeronTransportConfig build() {
      if (!set.contains("nodeId")) {
        throw new IllegalStateException("nodeId is required");
      }
      if (!set.contains("clusterId")) {
        throw new IllegalStateException("clusterId is required");
      }
      if (!endpoints.containsKey(nodeId)) {
        throw new IllegalStateException(
            "no endpoint for this node " + nodeId + " (endpoints: " + endpoints.keySet() + ")");
      }
      if (new HashSet<>(endpoints.values()).size() != endpoints.size()) {
        throw new IllegalStateException("two nodes share an endpoint: " + endpoints);
      }
      if (aeron != null && aeronDirectoryName != null) {
        throw new IllegalStateException("set either aeron or aeronDirectoryName, not both");
      }
      if (maxBatchBytes != 0 && maxBatchBytes > termLength / 8) {
        throw new IllegalStateException(
            "maxBatchBytes "
                + maxBatchBytes
                + " exceeds the largest message of termLength "
                + termLength
                + " ("
                + termLength / 8
                + ")");
      }
      return new AeronTransportConfig(this);
    }
  }
}
