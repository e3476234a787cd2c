package io.crema.raft.node;

import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import io.crema.raft.node.RaftOperationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Proposals made on a follower and carried to the leader over the transport: the follower sends
 * CLIENT_REQUEST and waits; the leader proposes it and answers CLIENT_RESPONSE with the encoded
 * result or the failure. A request without an answer in time fails with TIMEOUT (it may or may not
 * have been applied: make retried commands idempotent, as the cache does with request ids).
 */
final class Forwarding {
  private record Waiting(CompletableFuture<Object> future, long groupId, long startNs) {}

  private final long nodeId;
  private final Transport transport;
  private final ResultCodec codec;
  private final long timeoutNs;
  private final Long2ObjectHashMap<Waiting> waiting = new Long2ObjectHashMap<>();

  /** Answers the transport refused (back-pressure): sent again on the next duty cycles. */
  private final java.util.ArrayDeque<Message> unsentResponses = new java.util.ArrayDeque<>();

  private static final int MAX_UNSENT_RESPONSES = 1 << 16;
  private long nextId = 1;

  Forwarding(long nodeId, Transport transport, ResultCodec codec, long timeoutNs) {
    this.nodeId = nodeId;
    this.transport = transport;
    this.codec = codec;
    this.timeoutNs = timeoutNs;
  }

  /** Follower side: send the command to the leader this node knows. */
  void forward(Group g, byte[] command, CompletableFuture<Object> f, long nowNs) {
    long leader = g.node.leader();
    if (leader == 0 || leader == nodeId) {
      f.completeExceptionally(
          new RaftOperationException(
              Reason.NO_LEADER, g.id, 0, "group " + g.id + " has no leader right now"));
      return;
    }
    long id = nextId++;
    boolean sent =
        transport.send(
            Message.builder(MessageType.CLIENT_REQUEST)
                .groupId(g.id)
                .from(nodeId)
                .to(leader)
                .context(id)
                .payload(command)
                .build());
    if (!sent) {
      f.completeExceptionally(
          new RaftOperationException(
              Reason.BACK_PRESSURE,
              g.id,
              leader,
              "could not send the command to leader " + leader));
      return;
    }
    waiting.put(id, new Waiting(f, g.id, nowNs));
  }

  /** Leader side: propose a forwarded command and answer when it is decided. */
  void onRequest(HostAgent host, Message m, long nowNs) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    f.whenComplete((result, error) -> respond(m, result, error));
    host.addProposal(m.groupId(), new Group.Proposal(m.payload(), f, nowNs));
  }

  private void respond(Message req, Object result, Throwable error) {
    Message.Builder b =
        Message.builder(MessageType.CLIENT_RESPONSE)
            .groupId(req.groupId())
            .from(nodeId)
            .to(req.from())
            .context(req.context());
    if (error == null) {
      try {
        byte[] bytes = codec.encode(result);
        b.payload(bytes == null ? new byte[0] : bytes).commit(bytes == null ? 0 : 1);
      } catch (RuntimeException e) {
        error = new RaftOperationException(Reason.INTERNAL, req.groupId(), e.getMessage(), e);
      }
    }
    if (error != null) {
      Reason reason =
          error instanceof RaftOperationException
              ? ((RaftOperationException) error).reason()
              : Reason.INTERNAL;
      long leader =
          error instanceof RaftOperationException ? ((RaftOperationException) error).leader() : 0;
      String text = String.valueOf(error.getMessage());
      b.reject(true)
          .rejectHint(reason.ordinal())
          .index(leader)
          .payload(text.getBytes(StandardCharsets.UTF_8));
    }
    Message response = b.build();
    if (!unsentResponses.isEmpty() || !transport.send(response)) {
      // Unlike Raft messages, an answer is not sent again by anyone: keep it and retry.
      if (unsentResponses.size() == MAX_UNSENT_RESPONSES) {
        unsentResponses.pollFirst();
      }
      unsentResponses.addLast(response);
    }
  }

  /** Sends the answers held back by back-pressure, in order, until the transport refuses again. */
  int resendResponses() {
    int n = 0;
    Message m;
    while ((m = unsentResponses.peekFirst()) != null && transport.send(m)) {
      unsentResponses.pollFirst();
      n++;
    }
    return n;
  }

  /** Follower side: the leader answered. */
  void onResponse(Message m) {
    Waiting w = waiting.remove(m.context());
    if (w == null) {
      return;
    }
    if (m.reject()) {
      Reason[] reasons = Reason.values();
      int r = (int) m.rejectHint();
      Reason reason = r >= 0 && r < reasons.length ? reasons[r] : Reason.INTERNAL;
      w.future()
          .completeExceptionally(
              new RaftOperationException(
                  reason,
                  w.groupId(),
                  m.index(),
                  "leader "
                      + m.from()
                      + " refused: "
                      + new String(m.payload(), StandardCharsets.UTF_8)));
      return;
    }
    try {
      w.future().complete(m.commit() == 0 ? null : codec.decode(m.payload()));
    } catch (RuntimeException e) {
      w.future().completeExceptionally(e);
    }
  }

  /** Fails requests that were not answered in time (their outcome is unknown). */
  void expire(long nowNs) {
    Iterator<Map.Entry<Long, Waiting>> it = waiting.entrySet().iterator();
    while (it.hasNext()) {
      Waiting w = it.next().getValue();
      if (nowNs - w.startNs() > timeoutNs) {
        it.remove();
        w.future()
            .completeExceptionally(
                new RaftOperationException(
                    Reason.TIMEOUT,
                    w.groupId(),
                    0,
                    "no answer from the leader of group "
                        + w.groupId()
                        + " within "
                        + timeoutNs / 1_000_000
                        + " ms; the command may or may not have been applied"));
      }
    }
  }

  /** Fails everything waiting (host closed). */
  void failAll(RaftOperationException e) {
    for (Waiting w : waiting.values()) {
      w.future().completeExceptionally(e);
    }
    waiting.clear();
  }
}
