package io.crema.transport.aeron;

/** The verdict on one inbound frame; every value but {@link #OK} means the frame was dropped. */
enum FrameStatus {
  /** Decoded; its messages were delivered. */
  OK,
  /** Shorter than a frame header, or its length field disagrees with the frame's length. */
  BAD_LENGTH,
  /** Not a Crema frame. */
  BAD_MAGIC,
  /** A protocol version this node does not speak. */
  UNSUPPORTED_VERSION,
  /** From another cluster. */
  OTHER_CLUSTER,
  /** From a node id that is not a configured peer. */
  UNKNOWN_SENDER,
  /** The header was fine but a record did not decode. */
  MALFORMED
}
