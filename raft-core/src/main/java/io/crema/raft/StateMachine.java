package io.crema.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The user's replicated state machine for one group. Called from the group's host thread only.
 *
 * <p>Determinism is the user's contract: applying the same entries in the same order must give the
 * same state and results on every replica. {@link #apply} must not fail for a committed entry
 * (validate before proposing); an exception from it stops the group.
 */
public interface StateMachine extends AutoCloseable {
  /**
   * Applies committed entries in log order. Entries of type {@link EntryType#NORMAL} only (the host
   * applies configuration changes itself and skips them here); empty entries (leader no-ops) are
   * included and should yield null.
   *
   * @param entries committed entries, increasing indexes
   * @param results receives one result per entry, at the same position; it may be longer than
   *     {@code entries} (the host reuses it: write positions {@code 0..entries.size()-1} only and
   *     keep no reference to it)
   */
  void apply(List<Entry> entries, Object[] results);

  /**
   * Captures the state as of the last applied entry, quickly (on the apply thread). The returned
   * snapshot is written out later, possibly on another thread, while apply continues.
   */
  Snapshot snapshot();

  /**
   * Replaces the whole state with a snapshot's data.
   *
   * @throws IOException if the data cannot be read or is corrupt; the state is then unchanged
   */
  void restore(SnapshotMeta meta, InputStream data) throws IOException;

  /** Called when this replica's role in the group changes (e.g. to start leader-only work). */
  default void onRoleChange(boolean leader, long term) {}

  @Override
  default void close() {}

  /** A captured state, written out once. */
  @FunctionalInterface
  interface Snapshot {
    void writeTo(OutputStream out) throws IOException;
  }
}
