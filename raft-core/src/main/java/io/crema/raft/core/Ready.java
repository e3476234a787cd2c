package io.crema.raft.core;

import io.crema.raft.Entry;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.Message;
import io.crema.raft.SnapshotMeta;
import java.util.List;

/**
 * What a group asks its host to do, in this order:
 *
 * <ol>
 *   <li>send {@link #messages()} at once (the leader's appends go out while its own append is being
 *       made durable, Raft thesis 10.2.1);
 *   <li>persist {@link #snapshot()}, {@link #entries()} and {@link #hardState()} (any of them may
 *       be absent) and, when {@link #mustSync()}, make them durable;
 *   <li>then send {@link #messagesAfterPersist()} (votes and acknowledgements: they promise what
 *       was just persisted);
 *   <li>install the snapshot into the state machine, apply {@link #committedEntries()} (already
 *       durable), serve {@link #readStates()} once applied far enough;
 *   <li>call {@link RaftNode#advance(Ready)}.
 * </ol>
 */
public final class Ready {
  private final Role role;
  private final long leader;
  private final HardState hardState;
  private final List<Entry> entries;
  private final SnapshotMeta snapshot;
  private final List<Message> messages;
  private final List<Message> messagesAfterPersist;
  private final List<Entry> committedEntries;
  private final List<ReadState> readStates;
  private final boolean mustSync;

  Ready(
      Role role,
      long leader,
      HardState hardState,
      List<Entry> entries,
      SnapshotMeta snapshot,
      List<Message> messages,
      List<Message> messagesAfterPersist,
      List<Entry> committedEntries,
      List<ReadState> readStates,
      boolean mustSync) {
    this.role = role;
    this.leader = leader;
    this.hardState = hardState;
    this.entries = entries;
    this.snapshot = snapshot;
    this.messages = messages;
    this.messagesAfterPersist = messagesAfterPersist;
    this.committedEntries = committedEntries;
    this.readStates = readStates;
    this.mustSync = mustSync;
  }

  /** The node's role when this Ready was made. */
  public Role role() {
    return role;
  }

  /** The leader known when this Ready was made, or 0. */
  public long leader() {
    return leader;
  }

  /** The hard state to persist, or null if unchanged. */
  public HardState hardState() {
    return hardState;
  }

  /** Entries to append to the log (an append at index i replaces the log from i on). */
  public List<Entry> entries() {
    return entries;
  }

  /** A snapshot received from the leader to persist and install, or null. */
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  /** Messages to send now, before persisting. */
  public List<Message> messages() {
    return messages;
  }

  /** Messages to send only once this Ready's writes are durable. */
  public List<Message> messagesAfterPersist() {
    return messagesAfterPersist;
  }

  /** Entries committed by a quorum and durable here, to apply in order. */
  public List<Entry> committedEntries() {
    return committedEntries;
  }

  /** Answers to ReadIndex requests. */
  public List<ReadState> readStates() {
    return readStates;
  }

  /**
   * Whether the writes must be synced before the after-persist messages go out: entries, a
   * snapshot, a new term or vote. A hard state that only moves the commit index is written but
   * needs no sync of its own (the next sync carries it; if a crash loses it, the commit index is
   * learned again from the leader).
   */
  public boolean mustSync() {
    return mustSync;
  }

  /**
   * Adds this Ready's writes (snapshot, entries, hard state) to a node-level batch.
   *
   * @return the batch
   */
  public LogBatch addTo(LogBatch batch, long groupId) {
    return batch.add(groupId, snapshot, entries, hardState);
  }

  /** Whether anything must be written to the log. */
  public boolean hasWrites() {
    return hardState != null || snapshot != null || !entries.isEmpty();
  }

  @Override
  public String toString() {
    return "Ready{role="
        + role
        + " leader="
        + leader
        + " hs="
        + hardState
        + " entries="
        + entries.size()
        + " snap="
        + (snapshot == null ? "-" : snapshot.index())
        + " msgs="
        + messages.size()
        + "+"
        + messagesAfterPersist.size()
        + " committed="
        + committedEntries.size()
        + " reads="
        + readStates.size()
        + "}";
  }
}
