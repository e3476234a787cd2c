package io.crema.raft;

/**
 * Carries Raft messages between nodes. Sends never block: a message that cannot be sent now is
 * dropped and {@code false} returned (Raft retransmits). Inbound messages are delivered by {@link
 * #poll} on the caller's thread.
 */
public interface Transport extends AutoCloseable {
  /** Receives inbound messages. */
  @FunctionalInterface
  interface Handler {
    void onMessage(Message message);
  }

  /** This node's id. */
  long nodeId();

  /**
   * Queues a message to {@code message.to()}.
   *
   * @return false if it was dropped (back-pressure, unknown or disconnected peer)
   */
  boolean send(Message message);

  /**
   * The largest message this transport carries, in encoded bytes; larger ones are dropped. The host
   * keeps appends (and refuses commands) below it. Default: no limit.
   */
  default int maxMessageBytes() {
    return Integer.MAX_VALUE;
  }

  /** Flushes queued messages (transports may batch per peer until here). */
  default void flush() {}

  /**
   * Delivers up to {@code limit} inbound messages to the handler.
   *
   * @return how many were delivered
   */
  int poll(Handler handler, int limit);

  @Override
  void close();
}
