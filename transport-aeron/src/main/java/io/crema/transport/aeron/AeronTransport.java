package io.crema.transport.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.crema.raft.Message;
import io.crema.raft.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.CloseHelper;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over Aeron UDP: one exclusive publication per peer, one subscription per node
 * carrying the messages of every group. Messages to one peer are encoded into frames (see {@link
 * WireFormat}) and batched until {@link #flush()}; a frame is one Aeron message, fragmented and
 * re-assembled by Aeron when larger than the MTU.
 *
 * <p>Guarantees: {@link #send} never blocks and never throws on network conditions; it returns
 * false, and counts, when the message is dropped (peer unknown, not connected, blocked by fault
 * injection, larger than the publication's maximum message, or its outbound buffer full). A message
 * accepted by {@code send} is delivered at most once, in send order per peer, unless the peer
 * disconnects before it is flushed (then it is dropped and counted). {@link #flush} retries a
 * back-pressured offer a bounded number of times and leaves the rest for the next flush. Inbound
 * frames that are malformed, of another version or cluster, or from an unknown sender are dropped
 * whole and counted ({@link #stats()}). After a peer restarts on the same endpoint the connection
 * is re-established by Aeron on its own.
 *
 * <p>Threading: {@code send} and {@code flush} are called by one thread at a time, {@code poll} by
 * one thread at a time (which may be the same); close it once both have stopped. {@link #stats()},
 * {@link #isConnected} and the fault-injection methods may be called from any thread.
 *
 * <p>Fault injection (for tests): {@link #blockPeer(long)} drops every message to that peer on send
 * and every frame from it on receive, counted separately from real drops; {@link
 * #unblockAllPeers()} heals. Blocking both ends of a link partitions two nodes.
 */
public final class AeronTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(AeronTransport.class);

  private final AeronTransportConfig config;
  private final long nodeId;
  private final Aeron aeron;
  private final boolean ownsAeron;
  private final Long2ObjectHashMap<PeerPublisher> peers = new Long2ObjectHashMap<>();
  private final PeerPublisher[] peerArray;
  private final TransportCounters counters = new TransportCounters();
  private final Subscription subscription;
  private final InboundAdapter adapter;
  private final FragmentAssembler assembler;
  private volatile boolean closed;

  private AeronTransport(AeronTransportConfig config, Aeron aeron, boolean ownsAeron) {
    this.config = config;
    this.nodeId = config.nodeId();
    this.aeron = aeron;
    this.ownsAeron = ownsAeron;
    List<PeerPublisher> created = new ArrayList<>();
    Subscription sub = null;
    try {
      for (Map.Entry<Long, Endpoint> e : config.endpoints().entrySet()) {
        long peer = e.getKey();
        if (peer != nodeId) {
          ExclusivePublication pub =
              aeron.addExclusivePublication(publicationChannel(e.getValue()), config.streamId());
          PeerPublisher p = new PeerPublisher(peer, config, pub, counters);
          created.add(p);
          peers.put(peer, p);
        }
      }
      sub =
          aeron.addSubscription(
              subscriptionChannel(config.endpoint()),
              config.streamId(),
              this::onImageAvailable,
              this::onImageUnavailable);
    } catch (RuntimeException e) {
      CloseHelper.quietCloseAll(created);
      CloseHelper.quietClose(sub);
      throw e;
    }
    this.subscription = sub;
    this.peerArray = created.toArray(new PeerPublisher[0]);
    this.adapter =
        new InboundAdapter(
            nodeId, config.clusterId(), peers::containsKey, this::isBlocked, counters);
    this.assembler = new FragmentAssembler(adapter);
  }

  /**
   * Starts a node's transport: connects an Aeron client to the configured media driver (or uses the
   * configured client), binds the node's endpoint and adds a publication per peer. Returns at once;
   * peers connect in the background (see {@link #isConnected}).
   *
   * @throws io.aeron.exceptions.AeronException if no media driver runs in the directory or the
   *     endpoint cannot be bound (for instance, the port is taken)
   */
  public static AeronTransport start(AeronTransportConfig config) {
    Aeron aeron = config.aeron();
    boolean owns = aeron == null;
    if (owns) {
      aeron =
          Aeron.connect(
              new Aeron.Context()
                  .aeronDirectoryName(config.aeronDirectoryName())
                  .clientName("crema-node-" + config.nodeId())
                  .errorHandler(t -> LOG.warn("node {}: Aeron client error", config.nodeId(), t)));
    }
    try {
      AeronTransport t = new AeronTransport(config, aeron, owns);
      LOG.info("node {}: transport started on {}", config.nodeId(), config.endpoint());
      return t;
    } catch (RuntimeException e) {
      if (owns) {
        CloseHelper.quietClose(aeron);
      }
      throw e;
    }
  }

  private String publicationChannel(Endpoint peer) {
    return new ChannelUriStringBuilder()
        .media("udp")
        .endpoint(peer.toString())
        .termLength(config.termLength())
        .mtu(config.mtu())
        .build();
  }

  private static String subscriptionChannel(Endpoint self) {
    return new ChannelUriStringBuilder().media("udp").endpoint(self.toString()).build();
  }

  private void onImageAvailable(Image image) {
    LOG.info(
        "node {}: inbound stream from {} (session {})",
        nodeId,
        image.sourceIdentity(),
        image.sessionId());
  }

  private void onImageUnavailable(Image image) {
    LOG.info(
        "node {}: inbound stream from {} (session {}) went away",
        nodeId,
        image.sourceIdentity(),
        image.sessionId());
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  /** The settings this transport runs with. */
  public AeronTransportConfig config() {
    return config;
  }

  /**
   * Encodes the message into the frame being batched for its peer.
   *
   * @return false if it was dropped: transport closed, peer unknown, not connected or blocked,
   *     message larger than {@link #maxMessageBytes()}, or the peer's outbound buffer full
   * @throws IllegalArgumentException if the message is not from this node or of a local kind
   */
  @Override
  public boolean send(Message message) {
    if (message.from() != nodeId) {
      throw new IllegalArgumentException(
          "message from node " + message.from() + " sent through the transport of node " + nodeId);
    }
    if (message.type().isLocal()) {
      throw new IllegalArgumentException(
          "local message kind " + message.type() + " cannot be sent to another node");
    }
    if (closed) {
      return false;
    }
    PeerPublisher peer = peers.get(message.to());
    if (peer == null) {
      counters.increment(TransportCounters.DROPPED_UNKNOWN_PEER);
      return false;
    }
    if (peer.isBlocked()) {
      counters.increment(TransportCounters.DROPPED_FAULT_SEND);
      return false;
    }
    int recordLength = MessageEncoder.recordLength(message);
    if (recordLength > peer.maxRecordLength()) {
      counters.increment(TransportCounters.DROPPED_OVERSIZE);
      LOG.warn(
          "node {}: dropped a {} of {} bytes to node {}: larger than the maximum {}",
          nodeId,
          message.type(),
          recordLength,
          message.to(),
          peer.maxRecordLength());
      return false;
    }
    return peer.enqueue(message, recordLength);
  }

  /** Offers every peer's batched frames to Aeron (bounded retries on back-pressure). */
  @Override
  public void flush() {
    if (closed) {
      return;
    }
    for (PeerPublisher p : peerArray) {
      p.flush();
    }
  }

  /**
   * Delivers up to {@code limit} inbound messages, reading more frames from the subscription only
   * when none are queued from earlier frames.
   */
  @Override
  public int poll(Handler handler, int limit) {
    if (closed || limit <= 0) {
      return 0;
    }
    int delivered = adapter.drain(handler, limit);
    if (delivered < limit && !adapter.hasQueued()) {
      subscription.poll(assembler, config.fragmentLimit());
      delivered += adapter.drain(handler, limit - delivered);
    }
    return delivered;
  }

  /**
   * Whether the publication to a peer is connected (the peer's subscription has answered). Sends to
   * a peer that is not connected are dropped.
   *
   * @throws IllegalArgumentException if the peer has no configured endpoint
   */
  public boolean isConnected(long peerId) {
    return peer(peerId).isConnected();
  }

  /** The largest encoded message (record) this transport sends; larger ones are dropped. */
  @Override
  public int maxMessageBytes() {
    // With no peers nothing is sent: no limit applies.
    return peerArray.length == 0 ? Integer.MAX_VALUE : peerArray[0].maxRecordLength();
  }

  /** Fault injection: drops messages to and frames from this peer until unblocked. */
  public void blockPeer(long peerId) {
    peer(peerId).blocked(true);
  }

  /** Fault injection: stops dropping traffic of this peer. */
  public void unblockPeer(long peerId) {
    peer(peerId).blocked(false);
  }

  /** Fault injection: stops dropping traffic of every peer. */
  public void unblockAllPeers() {
    for (PeerPublisher p : peerArray) {
      p.blocked(false);
    }
  }

  private boolean isBlocked(long peerId) {
    PeerPublisher p = peers.get(peerId);
    return p != null && p.isBlocked();
  }

  private PeerPublisher peer(long peerId) {
    PeerPublisher p = peers.get(peerId);
    if (p == null) {
      throw new IllegalArgumentException(
          "node "
              + peerId
              + " is not a peer of node "
              + nodeId
              + " (peers: "
              + peers.keySet()
              + ")");
    }
    return p;
  }

  /** A copy of the counters. */
  public AeronTransportStats stats() {
    return counters.snapshot();
  }

  /** Closes the publications, the subscription and, if this transport connected it, the client. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CloseHelper.closeAll(peerArray);
    CloseHelper.close(subscription);
    if (ownsAeron) {
      CloseHelper.close(aeron);
    }
    LOG.info("node {}: transport closed; {}", nodeId, stats());
  }
}
