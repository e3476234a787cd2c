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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Proposals made on a follower and carried to the leader over the transport. The follower gathers
 * the commands of one duty cycle for one group into one CLIENT_REQUEST (each command an entry whose
 * index is its request id) and waits; the leader proposes them and says, again in one
 * CLIENT_RESPONSE per group and peer per duty cycle, where each went: one {@link #STATUS_ACCEPTED}
 * entry per append with the log term and each request's log index, or a {@link #STATUS_ERROR} entry
 * per refused request. The follower then waits for its own apply of that position and completes the
 * caller with its own state machine's result (replicas compute the same results), as etcd's servers
 * wait for the apply of a request's entry: the leader keeps no future per forwarded command and no
 * result crosses the network. A request without an outcome in time fails with TIMEOUT (it may or
 * may not have been applied: make retried commands idempotent, as the cache does with request ids).
 */
final class Forwarding {
  private record Waiting(CompletableFuture<Object> future, long groupId, long startNs) {}

  /**
   * Answer entry term: appended; the entry's index is the first request id, its data the log term
   * (8 bytes) then per request its id and log index (8 + 8 bytes).
   */
  static final long STATUS_ACCEPTED = 2;

  /** Answer entry term: refused; data is reason ordinal (1 byte), leader hint (8), message. */
  static final long STATUS_ERROR = 3;

  /** Entries for one group and peer gathered during a duty cycle. */
  private static final class Batch {
    final MessageType type;
    final long groupId;
    final long peer;
    List<Entry> entries = new ArrayList<>();
    long bytes;
    // Answers only: requests appended in acceptedTerm, as (request id, log index) pairs.
    long[] accepted;
    int acceptedPairs;
    long acceptedTerm;

    Batch(MessageType type, long groupId, long peer) {
      this.type = type;
      this.groupId = groupId;
      this.peer = peer;
    }

    boolean isEmpty() {
      return entries.isEmpty() && acceptedPairs == 0;
    }
  }

  private static final int ENTRY_OVERHEAD_BYTES = 32;

  private final long nodeId;
  private final Transport transport;
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

  Forwarding(long nodeId, Transport transport, long timeoutNs, long maxBatchBytes) {
    this.nodeId = nodeId;
    this.transport = transport;
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
    Batch b = batchFor(batches, type, peer, groupId, e.data().length + ENTRY_OVERHEAD_BYTES);
    b.entries.add(e);
  }

  /** The batch for the peer and group with room for {@code size} more bytes (counted in). */
  private Batch batchFor(
      Long2ObjectHashMap<Long2ObjectHashMap<Batch>> batches,
      MessageType type,
      long peer,
      long groupId,
      long size) {
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
    if (!b.isEmpty() && b.bytes + size > maxBatchBytes) {
      send(b);
    }
    if (b.isEmpty()) {
      dirty.add(b);
    }
    b.bytes += size;
    return b;
  }

  /**
   * Leader side: the forwarded request {@code requestId} of {@code peer} was appended at {@code
   * index} in {@code term} (told to the peer with this duty cycle's answers).
   */
  void accepted(long peer, long groupId, long requestId, long index, long term) {
    // 16 bytes a request; the answer entry's own overhead is left to the batch limit's slack.
    Batch b = batchFor(answers, MessageType.CLIENT_RESPONSE, peer, groupId, 16);
    if (b.acceptedPairs > 0 && b.acceptedTerm != term) {
      closeAccepted(b);
    }
    if (b.accepted == null) {
      b.accepted = new long[64];
    } else if (2 * b.acceptedPairs == b.accepted.length) {
      b.accepted = Arrays.copyOf(b.accepted, b.accepted.length * 2);
    }
    b.acceptedTerm = term;
    b.accepted[2 * b.acceptedPairs] = requestId;
    b.accepted[2 * b.acceptedPairs + 1] = index;
    b.acceptedPairs++;
  }

  /**
   * Fails a proposal of the group: the future of one made here, or, for one forwarded by a
   * follower, an answer to that follower.
   */
  void fail(Group.Proposal p, long groupId, RaftOperationException e) {
    if (p.future() != null) {
      p.future().completeExceptionally(e);
      return;
    }
    byte[] text = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
    ByteBuffer data = ByteBuffer.allocate(1 + 8 + text.length);
    data.put((byte) e.reason().ordinal()).putLong(e.leader()).put(text);
    add(
        answers,
        MessageType.CLIENT_RESPONSE,
        p.from(),
        groupId,
        new Entry(p.requestId(), STATUS_ERROR, NORMAL, data.array()));
  }

  /** Moves the batch's accepted pairs into one answer entry. */
  private static void closeAccepted(Batch b) {
    int n = b.acceptedPairs;
    ByteBuffer data = ByteBuffer.allocate(8 + 16 * n);
    data.putLong(b.acceptedTerm);
    for (int i = 0; i < 2 * n; i++) {
      data.putLong(b.accepted[i]);
    }
    b.entries.add(new Entry(b.accepted[0], STATUS_ACCEPTED, NORMAL, data.array()));
    b.acceptedPairs = 0;
  }

  /** Sends every batch gathered this duty cycle (before the transport flushes). */
  int flush() {
    int n = dirty.size();
    for (int i = 0; i < n; i++) {
      Batch b = dirty.get(i);
      if (!b.isEmpty()) {
        send(b);
      }
    }
    dirty.clear();
    return n;
  }

  private void send(Batch b) {
    if (b.acceptedPairs > 0) {
      closeAccepted(b);
    }
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

  /**
   * Leader side: propose each forwarded command; where it went (or why not) is answered with this
   * duty cycle's answers ({@link #accepted}, {@link #fail}).
   */
  void onRequest(HostAgent host, Message m, long nowNs) {
    for (Entry e : m.entries()) {
      host.addProposal(m.groupId(), new Group.Proposal(e.data(), null, m.from(), e.index()));
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

  /**
   * Follower side: the leader answered; an appended request waits in its group for the apply of its
   * position.
   */
  void onResponse(HostAgent host, Message m) {
    for (Entry e : m.entries()) {
      if (e.term() == STATUS_ACCEPTED) {
        onAccepted(host, e.data());
        continue;
      }
      Waiting w = waiting.remove(e.index());
      if (w != null) {
        complete(m.from(), w, e);
      }
    }
  }

  private void onAccepted(HostAgent host, byte[] bytes) {
    ByteBuffer data = ByteBuffer.wrap(bytes);
    long term = data.getLong();
    while (data.remaining() >= 16) {
      long requestId = data.getLong();
      long index = data.getLong();
      Waiting w = waiting.remove(requestId);
      if (w == null) {
        continue; // timed out here already
      }
      Group g = host.group(w.groupId());
      if (g == null) {
        w.future().completeExceptionally(host.unknownGroup(w.groupId()));
      } else {
        g.awaitForwarded(index, term, w.future(), w.startNs());
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
    w.future()
        .completeExceptionally(
            new RaftOperationException(
                Reason.INTERNAL,
                w.groupId(),
                from,
                "leader " + from + " answered with an unknown status " + e.term()));
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
