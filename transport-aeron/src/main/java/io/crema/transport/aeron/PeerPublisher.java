package io.crema.transport.aeron;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.crema.raft.Message;
import java.nio.ByteOrder;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side towards one peer: encodes messages into frames in a bounded buffer and offers
 * them to the peer's publication on flush. Frames already accepted by {@link #enqueue} are kept
 * across back-pressured flushes (bounded retries, then the rest waits for the next flush) and
 * dropped, counted, only when the peer is not connected. When the buffer is full, {@link #enqueue}
 * refuses the message. Used by one thread at a time.
 */
final class PeerPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerPublisher.class);
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private final long peerId;
  private final long clusterId;
  private final long senderId;
  private final ExclusivePublication publication;
  private final TransportCounters counters;
  private final IdleStrategy retryIdle;
  private final int offerRetries;
  private final int maxFrameBytes;
  private final int maxMessageLength;
  private final byte[] bytes;
  private final UnsafeBuffer buffer;

  /** Start of the first frame not yet accepted by the publication. */
  private int head;

  /** End of the encoded bytes. */
  private int tail;

  /** Offset of the frame still being filled, or -1. */
  private int openFrame = -1;

  private int openCount;

  /** Messages in frames from {@code head} to {@code tail}, the open one included. */
  private int pendingMessages;

  private volatile boolean blocked;
  private boolean wasConnected;

  PeerPublisher(
      long peerId,
      AeronTransportConfig config,
      ExclusivePublication publication,
      TransportCounters counters) {
    this.peerId = peerId;
    this.clusterId = config.clusterId();
    this.senderId = config.nodeId();
    this.publication = publication;
    this.counters = counters;
    this.retryIdle = config.newRetryIdleStrategy();
    this.offerRetries = config.offerRetries();
    this.maxMessageLength = publication.maxMessageLength();
    this.maxFrameBytes = Math.min(config.maxBatchBytes(), maxMessageLength);
    this.bytes = new byte[Math.max(config.outboundBufferBytes(), maxMessageLength)];
    this.buffer = new UnsafeBuffer(bytes);
  }

  long peerId() {
    return peerId;
  }

  /** The largest record a single message may encode to. */
  int maxRecordLength() {
    return maxMessageLength - WireFormat.HEADER_LENGTH;
  }

  boolean isConnected() {
    return publication.isConnected();
  }

  /** Fault injection: while blocked, messages to this peer are dropped on send. */
  void blocked(boolean v) {
    blocked = v;
  }

  boolean isBlocked() {
    return blocked;
  }

  /** Messages encoded but not yet accepted by the publication. */
  int pendingMessages() {
    return pendingMessages;
  }

  /**
   * Encodes a message for this peer.
   *
   * @param recordLength {@link MessageEncoder#recordLength} of the message, at most {@link
   *     #maxRecordLength()}
   * @return false if it was dropped (counted): peer not connected or buffer full
   */
  boolean enqueue(Message m, int recordLength) {
    if (!connected()) {
      counters.increment(TransportCounters.DROPPED_NOT_CONNECTED);
      return false;
    }
    boolean fitsOpenFrame =
        openFrame >= 0
            && tail - openFrame + recordLength <= maxFrameBytes
            && openCount < WireFormat.MAX_MESSAGES_PER_FRAME
            && tail + recordLength <= bytes.length;
    if (!fitsOpenFrame) {
      closeOpenFrame();
      if (!ensureCapacity(WireFormat.HEADER_LENGTH + recordLength)) {
        counters.increment(TransportCounters.DROPPED_BACK_PRESSURE);
        return false;
      }
      openFrame = tail;
      openCount = 0;
      tail += WireFormat.HEADER_LENGTH;
    }
    tail += MessageEncoder.encodeRecord(buffer, tail, m);
    openCount++;
    pendingMessages++;
    return true;
  }

  private boolean connected() {
    boolean connected = publication.isConnected();
    if (connected != wasConnected) {
      wasConnected = connected;
      LOG.info(
          "node {}: peer {} {}",
          senderId,
          peerId,
          connected ? "connected" : "disconnected, dropping until it reconnects");
      if (!connected) {
        dropPending();
      }
    }
    return connected;
  }

  private boolean ensureCapacity(int needed) {
    if (tail + needed <= bytes.length) {
      return true;
    }
    compact();
    if (tail + needed <= bytes.length) {
      return true;
    }
    flush();
    compact();
    return tail + needed <= bytes.length;
  }

  /** Moves the unsent frames to the start of the buffer (no frame is open). */
  private void compact() {
    if (head > 0) {
      System.arraycopy(bytes, head, bytes, 0, tail - head);
      tail -= head;
      head = 0;
    }
  }

  private void closeOpenFrame() {
    if (openFrame >= 0) {
      MessageEncoder.writeHeader(
          buffer, openFrame, clusterId, senderId, openCount, tail - openFrame);
      openFrame = -1;
      openCount = 0;
    }
  }

  /**
   * Offers every pending frame. Back-pressure is retried a bounded number of times, then the rest
   * waits for the next flush; a disconnected or closed publication drops everything pending.
   *
   * @return frames accepted
   */
  int flush() {
    closeOpenFrame();
    int sent = 0;
    int attempts = 0;
    retryIdle.reset();
    while (head < tail) {
      int length = buffer.getInt(head + WireFormat.LENGTH_OFFSET, LE);
      long result = publication.offer(buffer, head, length);
      if (result > 0) {
        int count = buffer.getShort(head + WireFormat.COUNT_OFFSET, LE) & 0xFFFF;
        head += length;
        pendingMessages -= count;
        counters.add(TransportCounters.MESSAGES_SENT, count);
        counters.add(TransportCounters.BYTES_SENT, length);
        sent++;
      } else if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) {
        if (attempts++ >= offerRetries) {
          counters.increment(TransportCounters.OFFER_STALLS);
          break;
        }
        retryIdle.idle();
      } else {
        // NOT_CONNECTED, CLOSED or MAX_POSITION_EXCEEDED: the peer will not take these.
        connected();
        dropPending();
        break;
      }
    }
    if (sent > 0) {
      counters.add(TransportCounters.FRAMES_SENT, sent);
    }
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return sent;
  }

  private void dropPending() {
    if (pendingMessages > 0) {
      counters.add(TransportCounters.DROPPED_NOT_CONNECTED, pendingMessages);
    }
    pendingMessages = 0;
    head = 0;
    tail = 0;
    openFrame = -1;
    openCount = 0;
  }

  @Override
  public void close() {
    publication.close();
  }
}
