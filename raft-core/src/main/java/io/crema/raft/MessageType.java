package io.crema.raft;

/**
 * Kinds of Raft messages. Local kinds are produced and consumed inside one node and never cross the
 * transport.
 */
public enum MessageType {
  /** Local: start an election (or pre-election). */
  HUP(true),
  /** Local: leader sends heartbeats. */
  BEAT(true),
  /** Local: leader checks that it still hears a quorum. */
  CHECK_QUORUM(true),
  /** Local: a client proposal. */
  PROPOSE(true),
  /** Local to the leader: a peer could not be reached; slow down replication to it. */
  UNREACHABLE(true),
  /** Local to the leader: the outcome of sending a snapshot (reject = failed). */
  SNAPSHOT_STATUS(true),
  /** Request to move leadership (to the leader, possibly forwarded from a follower). */
  TRANSFER_LEADER(false),
  APPEND(false),
  APPEND_RESPONSE(false),
  VOTE(false),
  VOTE_RESPONSE(false),
  PRE_VOTE(false),
  PRE_VOTE_RESPONSE(false),
  SNAPSHOT(false),
  HEARTBEAT(false),
  HEARTBEAT_RESPONSE(false),
  /** Leader to transfer target: start an election now. */
  TIMEOUT_NOW(false),
  /** A linearizable read request (local, or forwarded from a follower to the leader). */
  READ_INDEX(false),
  READ_INDEX_RESPONSE(false),
  /**
   * Host: a piece of a snapshot's data. {@code snapshot} is the metadata, {@code index} the byte
   * offset of {@code payload}, {@code commit} the total size in bytes.
   */
  SNAPSHOT_CHUNK(false),
  /**
   * Host: acknowledges snapshot data up to byte offset {@code index} (the next offset wanted);
   * {@code reject} aborts the transfer.
   */
  SNAPSHOT_CHUNK_ACK(false),
  /**
   * Host: client commands forwarded to the leader, one per entry (index: request id, data: the
   * command).
   */
  CLIENT_REQUEST(false),
  /**
   * Host: the outcomes of forwarded commands, one per entry (index: request id, term: status, data:
   * the encoded result or the failure).
   */
  CLIENT_RESPONSE(false),
  /** Host: node-level liveness ping, one per peer per interval whatever the number of groups. */
  PING(false),
  /**
   * Host: the heartbeats and heartbeat responses of many groups to one peer in one duty cycle,
   * coalesced into one message ({@code payload}); unpacked by the receiving host.
   */
  HEARTBEAT_BATCH(false);

  private static final MessageType[] VALUES = values();
  private final boolean local;

  MessageType(boolean local) {
    this.local = local;
  }

  /**
   * Whether this kind is between hosts (snapshot data, forwarded requests), not for the algorithm.
   */
  public boolean isHost() {
    return this == SNAPSHOT_CHUNK
        || this == SNAPSHOT_CHUNK_ACK
        || this == CLIENT_REQUEST
        || this == CLIENT_RESPONSE
        || this == PING
        || this == HEARTBEAT_BATCH;
  }

  /** Whether this kind never leaves the node. */
  public boolean isLocal() {
    return local;
  }

  /** Whether this is a response kind (carries no new request). */
  public boolean isResponse() {
    return this == APPEND_RESPONSE
        || this == VOTE_RESPONSE
        || this == PRE_VOTE_RESPONSE
        || this == HEARTBEAT_RESPONSE
        || this == READ_INDEX_RESPONSE
        || this == UNREACHABLE;
  }

  /** Returns the kind with the given ordinal, as written by codecs. */
  public static MessageType fromOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException(
          "unknown message type ordinal " + ordinal + " (known: 0.." + (VALUES.length - 1) + ")");
    }
    return VALUES[ordinal];
  }
}
