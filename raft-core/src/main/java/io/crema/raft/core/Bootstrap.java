package io.crema.raft.core;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.HardState;
import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the first log of a new group: one configuration change entry per initial voter, at term 1,
 * committed. Every initial member bootstraps with the same voters, so their logs agree; nodes that
 * join later start empty and replay these entries from the leader, which is how they learn the
 * membership.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** The bootstrap entries for the given voters (sorted, one ADD_VOTER each). */
  public static List<Entry> entries(long... voters) {
    long[] ids = Arrays.stream(voters).sorted().distinct().toArray();
    if (ids.length == 0) {
      throw new IllegalArgumentException("a group needs at least one initial voter");
    }
    List<Entry> out = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      out.add(new Entry(i + 1, 1, EntryType.CONF_CHANGE, ConfChange.addVoter(ids[i]).encode()));
    }
    return out;
  }

  /**
   * Bootstraps a group in a log store and syncs it.
   *
   * @throws IllegalStateException if the group already has a log or hard state
   */
  public static void bootstrap(LogStore store, long groupId, long... voters) {
    LogReader existing = store.group(groupId);
    if (existing.lastIndex() > 0 || !existing.hardState().isEmpty()) {
      throw new IllegalStateException(
          "group "
              + groupId
              + " already has a log (last index "
              + existing.lastIndex()
              + "); bootstrap only a new group");
    }
    List<Entry> es = entries(voters);
    LogBatch batch = new LogBatch();
    batch.add(groupId, null, es, new HardState(1, 0, es.size()));
    store.append(batch);
    store.sync();
  }
}
