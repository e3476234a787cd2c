package io.crema.raft.testkit.hostsim;

import io.crema.raft.Message;
import io.crema.raft.Transport;
import java.util.ArrayDeque;

/** One node's end of the simulated network: sends are scheduled by the simulation. */
final class SimTransport implements Transport {
  /** Schedules delivery of a sent message (or drops it). */
  interface Wire {
    boolean send(Message m);
  }

  private final long nodeId;
  private final Wire wire;
  final ArrayDeque<Message> inbox = new ArrayDeque<>();
  private boolean closed;

  SimTransport(long nodeId, Wire wire) {
    this.nodeId = nodeId;
    this.wire = wire;
  }

  @Override
  public long nodeId() {
    return nodeId;
  }

  @Override
  public boolean send(Message message) {
    return !closed && wire.send(message);
  }

  @Override
  public int poll(Handler handler, int limit) {
    int n = 0;
    Message m;
    while (n < limit && !closed && (m = inbox.poll()) != null) {
      handler.onMessage(m);
      n++;
    }
    return n;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    inbox.clear();
  }
}
