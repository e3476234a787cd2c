package io.crema.transport.aeron;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The transport's counters. Each counter has one writer (the sending or the polling thread) and may
 * be read by any thread: writes are ordered stores, not atomic read-modify-writes.
 */
final class TransportCounters {
  static final int MESSAGES_SENT = 0;
  static final int FRAMES_SENT = 1;
  static final int BYTES_SENT = 2;
  static final int DROPPED_BACK_PRESSURE = 3;
  static final int DROPPED_NOT_CONNECTED = 4;
  static final int DROPPED_UNKNOWN_PEER = 5;
  static final int DROPPED_OVERSIZE = 6;
  static final int DROPPED_FAULT_SEND = 7;
  static final int OFFER_STALLS = 8;
  static final int FRAMES_RECEIVED = 9;
  static final int MESSAGES_RECEIVED = 10;
  static final int DROPPED_FAULT_RECEIVE = 11;
  static final int DROPPED_MISROUTED = 12;
  static final int REJECTED_BAD_LENGTH = 13;
  static final int REJECTED_BAD_MAGIC = 14;
  static final int REJECTED_VERSION = 15;
  static final int REJECTED_OTHER_CLUSTER = 16;
  static final int REJECTED_UNKNOWN_SENDER = 17;
  static final int REJECTED_MALFORMED = 18;
  static final int SIZE = 19;

  private final AtomicLongArray values = new AtomicLongArray(SIZE);

  void add(int counter, long delta) {
    values.lazySet(counter, values.get(counter) + delta);
  }

  void increment(int counter) {
    add(counter, 1);
  }

  long get(int counter) {
    return values.get(counter);
  }

  /** The counter that a rejected frame of this status increments. */
  static int rejection(FrameStatus status) {
    switch (status) {
      case BAD_LENGTH:
        return REJECTED_BAD_LENGTH;
      case BAD_MAGIC:
        return REJECTED_BAD_MAGIC;
      case UNSUPPORTED_VERSION:
        return REJECTED_VERSION;
      case OTHER_CLUSTER:
        return REJECTED_OTHER_CLUSTER;
      case UNKNOWN_SENDER:
        return REJECTED_UNKNOWN_SENDER;
      case MALFORMED:
        return REJECTED_MALFORMED;
      default:
        throw new IllegalArgumentException("not a rejection: " + status);
    }
  }

  AeronTransportStats snapshot() {
    return new AeronTransportStats(
        get(MESSAGES_SENT),
        get(FRAMES_SENT),
        get(BYTES_SENT),
        get(DROPPED_BACK_PRESSURE),
        get(DROPPED_NOT_CONNECTED),
        get(DROPPED_UNKNOWN_PEER),
        get(DROPPED_OVERSIZE),
        get(DROPPED_FAULT_SEND),
        get(OFFER_STALLS),
        get(FRAMES_RECEIVED),
        get(MESSAGES_RECEIVED),
        get(DROPPED_FAULT_RECEIVE),
        get(DROPPED_MISROUTED),
        get(REJECTED_BAD_LENGTH),
        get(REJECTED_BAD_MAGIC),
        get(REJECTED_VERSION),
        get(REJECTED_OTHER_CLUSTER),
        get(REJECTED_UNKNOWN_SENDER),
        get(REJECTED_MALFORMED));
  }
}
