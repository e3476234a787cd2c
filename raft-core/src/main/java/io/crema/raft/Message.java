package io.crema.raft;

import java.util.List;

/**
 * A Raft message between two nodes of one group (or a local input to one node). Immutable. Which
 * fields mean something depends on the {@link MessageType}:
 *
 * <ul>
 *   <li>{@code APPEND}: {@code index}/{@code logTerm} identify the entry before {@code entries};
 *       {@code commit} is the leader's commit index.
 *   <li>{@code APPEND_RESPONSE}: {@code index} is the last index the follower now matches; on
 *       {@code reject}, {@code index} is the rejected probe index and {@code rejectHint}/{@code
 *       logTerm} point at the follower's best guess of where the logs may agree.
 *   <li>{@code VOTE}/{@code PRE_VOTE}: {@code index}/{@code logTerm} are the candidate's last
 *       entry; {@code context} is 1 when the election is a leadership transfer.
 *   <li>{@code HEARTBEAT}: {@code commit} is min(leader commit, follower match); {@code context} is
 *       the read-only round it confirms (0 = none), echoed in the response; {@code reject} marks a
 *       quiesce heartbeat (the group is idle: hosts stop ticking it until there is activity).
 *   <li>{@code READ_INDEX}: {@code context} is the requester's read id; the response carries the
 *       read {@code index} (reject = no leader could serve it).
 *   <li>{@code SNAPSHOT}: {@code snapshot} is the metadata; the data travels through the host.
 *   <li>{@code TRANSFER_LEADER}: {@code context} is the node that should become leader; sent with
 *       term 0 when a follower forwards it to the leader (as is {@code READ_INDEX}).
 * </ul>
 */
public final class Message {
  private final long groupId;
  private final MessageType type;
  private final long from;
  private final long to;
  private final long term;
  private final long logTerm;
  private final long index;
  private final List<Entry> entries;
  private final long commit;
  private final boolean reject;
  private final long rejectHint;
  private final SnapshotMeta snapshot;
  private final long context;
  private final byte[] payload;

  /** Creates a message; prefer {@link #builder(MessageType)}. Entries must be an immutable list. */
  public Message(
      long groupId,
      MessageType type,
      long from,
      long to,
      long term,
      long logTerm,
      long index,
      List<Entry> entries,
      long commit,
      boolean reject,
      long rejectHint,
      SnapshotMeta snapshot,
      long context,
      byte[] payload) {
    if (type == null) {
      throw new IllegalArgumentException("message type must not be null");
    }
    this.groupId = groupId;
    this.type = type;
    this.from = from;
    this.to = to;
    this.term = term;
    this.logTerm = logTerm;
    this.index = index;
    this.entries = entries == null ? List.of() : entries;
    this.commit = commit;
    this.reject = reject;
    this.rejectHint = rejectHint;
    this.snapshot = snapshot;
    this.context = context;
    this.payload = payload == null ? EMPTY : payload;
  }

  private static final byte[] EMPTY = new byte[0];

  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  public long groupId() {
    return groupId;
  }

  public MessageType type() {
    return type;
  }

  public long from() {
    return from;
  }

  public long to() {
    return to;
  }

  public long term() {
    return term;
  }

  public long logTerm() {
    return logTerm;
  }

  public long index() {
    return index;
  }

  /** Entries carried; never null. */
  public List<Entry> entries() {
    return entries;
  }

  public long commit() {
    return commit;
  }

  public boolean reject() {
    return reject;
  }

  public long rejectHint() {
    return rejectHint;
  }

  /** Snapshot metadata for {@code SNAPSHOT}; null otherwise. */
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  public long context() {
    return context;
  }

  /** Opaque bytes of host messages (snapshot data, forwarded commands); empty otherwise. */
  public byte[] payload() {
    return payload;
  }

  /** Returns a builder pre-filled with this message's fields. */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.groupId = groupId;
    b.from = from;
    b.to = to;
    b.term = term;
    b.logTerm = logTerm;
    b.index = index;
    b.entries = entries;
    b.commit = commit;
    b.reject = reject;
    b.rejectHint = rejectHint;
    b.snapshot = snapshot;
    b.context = context;
    b.payload = payload;
    return b;
  }

  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(type.name())
            .append(' ')
            .append(from)
            .append("->")
            .append(to)
            .append(" g")
            .append(groupId)
            .append(" t")
            .append(term);
    if (logTerm != 0 || index != 0) {
      b.append(" idx=").append(index).append('@').append(logTerm);
    }
    if (!entries.isEmpty()) {
      b.append(" entries=")
          .append(entries.size())
          .append('[')
          .append(entries.get(0).index())
          .append("..")
          .append(entries.get(entries.size() - 1).index())
          .append(']');
    }
    if (commit != 0) {
      b.append(" commit=").append(commit);
    }
    if (reject) {
      b.append(" REJECT hint=").append(rejectHint);
    }
    if (snapshot != null) {
      b.append(" snap=").append(snapshot.index()).append('@').append(snapshot.term());
    }
    if (context != 0) {
      b.append(" ctx=").append(context);
    }
    if (payload.length > 0) {
      b.append(" payload=").append(payload.length).append('B');
    }
    return b.toString();
  }

  /** A mutable builder; one per message. */
  public static final class Builder {
    private final MessageType type;
    private long groupId;
    private long from;
    private long to;
    private long term;
    private long logTerm;
    private long index;
    private List<Entry> entries = List.of();
    private long commit;
    private boolean reject;
    private long rejectHint;
    private SnapshotMeta snapshot;
    private long context;
    private byte[] payload;

    private Builder(MessageType type) {
      this.type = type;
    }

    public Builder groupId(long v) {
      groupId = v;
      return this;
    }

    public Builder from(long v) {
      from = v;
      return this;
    }

    public Builder to(long v) {
      to = v;
      return this;
    }

    public Builder term(long v) {
      term = v;
      return this;
    }

    public Builder logTerm(long v) {
      logTerm = v;
      return this;
    }

    public Builder index(long v) {
      index = v;
      return this;
    }

    /** Entries; the list must not change afterwards. */
    public Builder entries(List<Entry> v) {
      entries = v;
      return this;
    }

    public Builder commit(long v) {
      commit = v;
      return this;
    }

    public Builder reject(boolean v) {
      reject = v;
      return this;
    }

    public Builder rejectHint(long v) {
      rejectHint = v;
      return this;
    }

    public Builder snapshot(SnapshotMeta v) {
      snapshot = v;
      return this;
    }

    public Builder context(long v) {
      context = v;
      return this;
    }

    /** Payload of host messages; the array must not change afterwards. */
    public Builder payload(byte[] v) {
      payload = v;
      return this;
    }

    public Message build() {
      return new Message(
          groupId,
          type,
          from,
          to,
          term,
          logTerm,
          index,
          entries,
          commit,
          reject,
          rejectHint,
          snapshot,
          context,
          payload);
    }
  }
}
