package io.crema.raft.transport;

import io.crema.raft.Message;
import io.crema.raft.Transport;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * One node's end of an {@link InMemoryNetwork}. Messages are passed by reference (they are
 * immutable). {@link #send} returns false when the message was lost to a fault, an unknown peer or
 * a full inbox: back-pressure is visible, nothing blocks.
 */
public final class InMemoryTransport implements Transport {
  private final InMemoryNetwork network;
  private final long nodeId;
  private final ManyToOneConcurrentArrayQueue<Message> inbox;
  private volatile boolean closed;

  InMemoryTransport(
      InMemoryNetwork network, long nodeId, ManyToOneConcurrentArrayQueue<Message> inbox) {
    this.network = network;
    this.nodeId = nodeId;
    this.inbox = inbox;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  @Override
  public boolean send(Message message) {
    if (closed) {
      return false;
    }
    if (message.from() != nodeId) {
      throw new IllegalArgumentException(
          "message from node " + message.from() + " sent through the transport of node " + nodeId);
    }
    return network.send(message);
  }

  @Override
  public int poll(Handler handler, int limit) {
    if (closed) {
      return 0;
    }
    int n = 0;
    Message m;
    while (n < limit && (m = inbox.poll()) != null) {
      handler.onMessage(m);
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    network.leave(nodeId);
  }
}
