package io.crema.transport.aeron;

/**
 * A point-in-time copy of an {@link AeronTransport}'s counters (monotonic since the transport
 * started). Counters are read one by one, so a copy taken while the transport runs may mix moments.
 *
 * @param messagesSent messages handed to Aeron (in frames the publication accepted)
 * @param framesSent frames the publication accepted
 * @param bytesSent frame bytes the publication accepted
 * @param droppedBackPressure messages refused because the peer's outbound buffer was full
 * @param droppedNotConnected messages dropped because the peer was not connected
 * @param droppedUnknownPeer messages to a node id without a configured endpoint
 * @param droppedOversize messages larger than the publication's maximum message length
 * @param droppedFaultSend messages dropped by the fault-injection filter on send
 * @param offerStalls flushes that gave up after the retry limit, keeping frames for the next one
 * @param framesReceived frames that decoded and were accepted
 * @param messagesReceived messages decoded and queued for delivery
 * @param droppedFaultReceive messages dropped by the fault-injection filter on receive
 * @param droppedMisrouted messages that decoded but were addressed to another node
 * @param rejectedBadLength frames too short or whose length field is wrong
 * @param rejectedBadMagic frames without the Crema magic
 * @param rejectedVersion frames of an unknown protocol version
 * @param rejectedOtherCluster frames of another cluster id
 * @param rejectedUnknownSender frames from a node id that is not a configured peer
 * @param rejectedMalformed frames with a valid header whose records failed to decode
 */
public record AeronTransportStats(
    long messagesSent,
    long framesSent,
    long bytesSent,
    long droppedBackPressure,
    long droppedNotConnected,
    long droppedUnknownPeer,
    long droppedOversize,
    long droppedFaultSend,
    long offerStalls,
    long framesReceived,
    long messagesReceived,
    long droppedFaultReceive,
    long droppedMisrouted,
    long rejectedBadLength,
    long rejectedBadMagic,
    long rejectedVersion,
    long rejectedOtherCluster,
    long rejectedUnknownSender,
    long rejectedMalformed) {

  /** All messages dropped on the send side, for any reason. */
  public long droppedOnSend() {
    return droppedBackPressure
        + droppedNotConnected
        + droppedUnknownPeer
        + droppedOversize
        + droppedFaultSend;
  }

  /** All inbound frames refused as invalid (not counting fault injection). */
  public long framesRejected() {
    return rejectedBadLength
        + rejectedBadMagic
        + rejectedVersion
        + rejectedOtherCluster
        + rejectedUnknownSender
        + rejectedMalformed;
  }
}
