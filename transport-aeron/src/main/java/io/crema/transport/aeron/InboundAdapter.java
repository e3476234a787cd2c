package io.crema.transport.aeron;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.crema.raft.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side: receives re-assembled frames from the node's subscription, validates and
 * decodes them, and queues their messages for delivery by {@link AeronTransport#poll}. Invalid
 * frames are counted and dropped whole. Used by the polling thread only.
 */
final class InboundAdapter implements FragmentHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InboundAdapter.class);

  private final long nodeId;
  private final FrameDecoder decoder;
  private final LongPredicate blockedSender;
  private final TransportCounters counters;
  private final List<Message> scratch = new ArrayList<>();
  private final ArrayDeque<Message> inbound = new ArrayDeque<>();
  private long lastWarnNs;

  InboundAdapter(
      long nodeId,
      long clusterId,
      LongPredicate knownSender,
      LongPredicate blockedSender,
      TransportCounters counters) {
    this.nodeId = nodeId;
    this.decoder = new FrameDecoder(clusterId, knownSender);
    this.blockedSender = blockedSender;
    this.counters = counters;
  }

  @Override
  public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
    scratch.clear();
    FrameStatus status = decoder.decode(buffer, offset, length, scratch);
    if (status != FrameStatus.OK) {
      counters.increment(TransportCounters.rejection(status));
      warnRateLimited(status, length);
      return;
    }
    counters.increment(TransportCounters.FRAMES_RECEIVED);
    if (blockedSender.test(decoder.lastSender())) {
      counters.add(TransportCounters.DROPPED_FAULT_RECEIVE, scratch.size());
      scratch.clear();
      return;
    }
    for (int i = 0, n = scratch.size(); i < n; i++) {
      Message m = scratch.get(i);
      if (m.to() != nodeId) {
        counters.increment(TransportCounters.DROPPED_MISROUTED);
      } else {
        inbound.addLast(m);
        counters.increment(TransportCounters.MESSAGES_RECEIVED);
      }
    }
    scratch.clear();
  }

  private void warnRateLimited(FrameStatus status, int length) {
    long nowNs = System.nanoTime();
    if (nowNs - lastWarnNs > 1_000_000_000L) {
      lastWarnNs = nowNs;
      LOG.warn(
          "node {}: dropped an inbound frame of {} bytes: {} (further drops this second are only"
              + " counted)",
          nodeId,
          length,
          status);
    }
  }

  boolean hasQueued() {
    return !inbound.isEmpty();
  }

  /** Hands up to {@code limit} queued messages to the handler; returns how many. */
  int drain(io.crema.raft.Transport.Handler handler, int limit) {
    int n = 0;
    Message m;
    while (n < limit && (m = inbound.pollFirst()) != null) {
      n++;
      handler.onMessage(m);
    }
    return n;
  }
}
