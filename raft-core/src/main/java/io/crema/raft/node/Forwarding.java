package io.crema.raft.node;

import static io.crema.raft.EntryType.NORMAL;

import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import io.crema.raft.node.RaftOperationException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Proposals made on a follower and carried to the leader over the transport. The follower gathers
 * the commands of one duty cycle for one group into one CLIENT_REQUEST (each command an entry whose
 * index is its request id) and waits; the leader proposes each and answers, again one
 * CLIENT_RESPONSE per group and peer per duty cycle, with one entry per request: its index the
 * request id, its term the {@code STATUS_*} code and its data the encoded result or the failure. A
 * request without an answer in time fails with TIMEOUT (it may or may not have been applied: make
 * retried commands idempotent, as the cache does with request ids).
 */
final class Forwarding {
  private record Waiting(CompletableFuture<Object> future, long groupId, long startNs) {}

  /** Answer entry term: applied, the result is null. */
  static final long STATUS_NULL = 1;

  /** Answer entry term: applied, data is the encoded result. */
  static final long STATUS_VALUE = 2;

  /** Answer entry term: refused; data is reason ordinal (1 byte), leader hint (8), message. */
  static final long STATUS_ERROR = 3;

  /** Entries for one group and peer gathered during a duty cycle. */
  private static final class Batch {
    final MessageType type;
    final long groupId;
    final long peer;
    List<Entry> entries = new ArrayList<>();
    long bytes;

    Batch(MessageType type, long groupId, long peer) {
      this.type = type;
      this.groupId = groupId;
      this.peer = peer;
    }
  }

  /**
   * The leader's handle on one forwarded command: completing it (as the group does with every
   * proposal's future) queues the answer to the follower.
   */
  private final class Answer extends CompletableFuture<Object> {
    private final long peer;
    private final long groupId;
    private final long requestId;

    Answer(long peer, long groupId, long requestId) {
      this.peer = peer;
      this.groupId = groupId;
      this.requestId = requestId;
    }

    @Override
    public boolean complete(Object value) {
      boolean first = super.complete(value);
      if (first) {
        respond(peer, groupId, requestId, value, null);
      }
      return first;
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
      boolean first = super.completeExceptionally(error);
      if (first) {
        respond(peer, groupId, requestId, null, error);
      }
      return first;
    }
  }

  private static final int ENTRY_OVERHEAD_BYTES = 32;

  private final long nodeId;
  private final Transport transport;
  private final ResultCodec codec;
  private final long timeoutNs;
  private final long maxBatchBytes;
  private final Long2ObjectHashMap<Waiting> waiting = new Long2ObjectHashMap<>();
  // peer -> group -> batch, for requests (follower side) and answers (leader side).
  private final Long2ObjectHashMap<Long2ObjectHashMap<Batch>> requests = new Long2ObjectHashMap<>();
  private final Long2ObjectHashMap<Long2ObjectHashMap<Batch>> answers = new Long2ObjectHashMap<>();
  private final List<Batch> dirty = new ArrayList<>();

  /** Answers the transport refused (back-pressure): sent again on the next duty cycles. */
  private final ArrayDeque<Message> unsentResponses = new ArrayDeque<>();

  private static final int MAX_UNSENT_RESPONSES = 1 << 16;
  private long nextId = 1;
  // No request with a smaller id is waiting.
  private long oldestWaiting = 1;

  Forwarding(
      long nodeId, Transport transport, ResultCodec codec, long timeoutNs, long maxBatchBytes) {
    this.nodeId = nodeId;
    this.transport = transport;
    this.codec = codec;
    this.timeoutNs = timeoutNs;
    this.maxBatchBytes = maxBatchBytes;
  }

  /**
   * Follower side: queue the command for the leader this node knows (sent by {@link #flush}). The
   * caller ({@link HostAgent#addProposalViaLeader}) has checked that a leader is known and is not
   * this node.
   */
  void forward(Group g, byte[] command, CompletableFuture<Object> f, long nowNs) {
    long leader = g.node.leader();
    long id = nextId++;
    waiting.put(id, new Waiting(f, g.id, nowNs));
    add(requests, MessageType.CLIENT_REQUEST, leader, g.id, new Entry(id, 1, NORMAL, command));
  }

  private void add(
      Long2ObjectHashMap<Long2ObjectHashMap<Batch>> batches,
      MessageType type,
      long peer,
      long groupId,
      Entry e) {
    Long2ObjectHashMap<Batch> byGroup = batches.get(peer);
    if (byGroup == null) {
      byGroup = new Long2ObjectHashMap<>();
      batches.put(peer, byGroup);
    }
    Batch b = byGroup.get(groupId);
    if (b == null) {
      b = new Batch(type, groupId, peer);
      byGroup.put(groupId, b);
    }
    long size = e.data().length + ENTRY_OVERHEAD_BYTES;
    if (!b.entries.isEmpty() && b.bytes + size > maxBatchBytes) {
      send(b);
    }
    if (b.entries.isEmpty()) {
      dirty.add(b);
    }
    b.entries.add(e);
    b.bytes += size;
  }

  /** Sends every batch gathered this duty cycle (before the transport flushes). */
  int flush() {
    int n = dirty.size();
    for (int i = 0; i < n; i++) {
      Batch b = dirty.get(i);
      if (!b.entries.isEmpty()) {
        send(b);
      }
    }
    dirty.clear();
    return n;
  }

  private void send(Batch b) {
    List<Entry> entries = b.entries;
    // The transport may hand the message itself to the receiver: a new list for the next batch.
    b.entries = new ArrayList<>();
    b.bytes = 0;
    Message m =
        Message.builder(b.type).groupId(b.groupId).from(nodeId).to(b.peer).entries(entries).build();
    if (b.type == MessageType.CLIENT_RESPONSE) {
      if (!unsentResponses.isEmpty() || !transport.send(m)) {
        // Unlike Raft messages, an answer is not sent again by anyone: keep it and retry.
        if (unsentResponses.size() == MAX_UNSENT_RESPONSES) {
          unsentResponses.pollFirst();
        }
        unsentResponses.addLast(m);
      }
      return;
    }
    if (!transport.send(m)) {
      RaftOperationException e =
          new RaftOperationException(
              Reason.BACK_PRESSURE,
              b.groupId,
              b.peer,
              "could not send " + entries.size() + " command(s) to leader " + b.peer);
      for (Entry en : entries) {
        Waiting w = waiting.remove(en.index());
        if (w != null) {
          w.future().completeExceptionally(e);
        }
      }
    }
  }

  /** Leader side: propose each forwarded command and answer when it is decided. */
  void onRequest(HostAgent host, Message m, long nowNs) {
    for (Entry e : m.entries()) {
      host.addProposal(
          m.groupId(),
          new Group.Proposal(e.data(), new Answer(m.from(), m.groupId(), e.index()), nowNs));
    }
  }

  private void respond(long peer, long groupId, long requestId, Object result, Throwable error) {
    Entry answer = null;
    if (error == null) {
      try {
        byte[] bytes = codec.encode(result);
        answer =
            bytes == null
                ? new Entry(requestId, STATUS_NULL, NORMAL, EMPTY)
                : new Entry(requestId, STATUS_VALUE, NORMAL, bytes);
      } catch (RuntimeException e) {
        error = new RaftOperationException(Reason.INTERNAL, groupId, e.getMessage(), e);
      }
    }
    if (error != null) {
      Reason reason =
          error instanceof RaftOperationException
              ? ((RaftOperationException) error).reason()
              : Reason.INTERNAL;
      long leader =
          error instanceof RaftOperationException ? ((RaftOperationException) error).leader() : 0;
      byte[] text = String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8);
      ByteBuffer data = ByteBuffer.allocate(1 + 8 + text.length);
      data.put((byte) reason.ordinal()).putLong(leader).put(text);
      answer = new Entry(requestId, STATUS_ERROR, NORMAL, data.array());
    }
    add(answers, MessageType.CLIENT_RESPONSE, peer, groupId, answer);
  }

  private static final byte[] EMPTY = new byte[0];

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
    for (Entry e : m.entries()) {
      Waiting w = waiting.remove(e.index());
      if (w != null) {
        complete(m.from(), w, e);
      }
    }
  }

  private void complete(long from, Waiting w, Entry e) {
    if (e.term() == STATUS_ERROR) {
      ByteBuffer data = ByteBuffer.wrap(e.data());
      Reason[] reasons = Reason.values();
      int r = data.remaining() >= 9 ? data.get() : -1;
      long leader = r >= 0 ? data.getLong() : 0;
      Reason reason = r >= 0 && r < reasons.length ? reasons[r] : Reason.INTERNAL;
      String text =
          new String(
              e.data(), data.position(), e.data().length - data.position(), StandardCharsets.UTF_8);
      w.future()
          .completeExceptionally(
              new RaftOperationException(
                  reason, w.groupId(), leader, "leader " + from + " refused: " + text));
      return;
    }
    try {
      w.future().complete(e.term() == STATUS_NULL ? null : codec.decode(e.data()));
    } catch (RuntimeException ex) {
      w.future().completeExceptionally(ex);
    }
  }

  /**
   * Fails requests that were not answered in time (their outcome is unknown). Request ids are given
   * in the order requests start, so only the oldest are looked at: from the oldest id that may
   * still wait up to the first that has not timed out (each id is passed over once).
   */
  void expire(long nowNs) {
    while (oldestWaiting < nextId) {
      Waiting w = waiting.get(oldestWaiting);
      if (w != null) {
        if (nowNs - w.startNs() <= timeoutNs) {
          return;
        }
        waiting.remove(oldestWaiting);
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
      oldestWaiting++;
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
