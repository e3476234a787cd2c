package io.crema.multiraft;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Who leads each shard, as far as this node knows, with the epoch (Raft term) the knowledge is
 * from. Fed by this node's own Raft views, by hints from NOT_LEADER answers and by discovery.
 * Lock-free; every update is a compare-and-set of an immutable entry.
 *
 * <p>Rules: a newer epoch always wins. Within one epoch Raft has at most one leader, so an unknown
 * leader may be filled in, and this node's own view corrects a wrong hint. A leader invalidated
 * (its node failed) is not restored by information of the same epoch that names it again; only a
 * newer epoch or an explicit {@link #set} does.
 */
final class LeaderTable {
  /** An entry: the leader (0 = unknown), its epoch, and the node invalidated at this epoch. */
  record Entry(long leader, long epoch, long invalidated) {}

  private static final Entry UNKNOWN = new Entry(0, 0, 0);

  private final AtomicReferenceArray<Entry> entries;

  LeaderTable(int shards) {
    entries = new AtomicReferenceArray<>(shards);
    for (int i = 0; i < shards; i++) {
      entries.set(i, UNKNOWN);
    }
  }

  Entry entry(int shard) {
    return entries.get(shard);
  }

  long leader(int shard) {
    return entries.get(shard).leader();
  }

  /** What this node's own Raft group says (leader 0 = none known in that term). */
  void observe(int shard, long leader, long term) {
    while (true) {
      Entry cur = entries.get(shard);
      Entry next;
      if (term > cur.epoch()) {
        next = new Entry(leader, term, 0);
      } else if (term == cur.epoch()
          && leader != 0
          && leader != cur.leader()
          && leader != cur.invalidated()) {
        next = new Entry(leader, term, 0);
      } else {
        return;
      }
      if (entries.compareAndSet(shard, cur, next)) {
        return;
      }
    }
  }

  /** Sets the leader if {@code epoch} is newer, or equal while the leader is unknown. */
  boolean setIfNewer(int shard, long leader, long epoch) {
    while (true) {
      Entry cur = entries.get(shard);
      boolean newer =
          epoch > cur.epoch()
              || (epoch == cur.epoch() && cur.leader() == 0 && leader != cur.invalidated());
      if (!newer) {
        return false;
      }
      if (entries.compareAndSet(shard, cur, new Entry(leader, epoch, 0))) {
        return true;
      }
    }
  }

  /** Sets the leader unconditionally (keeps the epoch, forgets any invalidation). */
  void set(int shard, long leader) {
    while (true) {
      Entry cur = entries.get(shard);
      if (entries.compareAndSet(shard, cur, new Entry(leader, cur.epoch(), 0))) {
        return;
      }
    }
  }

  /** A redirect hint: like {@link #set} but ignored if it names the invalidated node. */
  void hint(int shard, long leader) {
    while (true) {
      Entry cur = entries.get(shard);
      if (leader == cur.invalidated() || leader == cur.leader()) {
        return;
      }
      if (entries.compareAndSet(shard, cur, new Entry(leader, cur.epoch(), 0))) {
        return;
      }
    }
  }

  /** Forgets the leader of one shard if it is {@code node}. */
  boolean invalidate(int shard, long node) {
    while (true) {
      Entry cur = entries.get(shard);
      if (cur.leader() != node) {
        return false;
      }
      if (entries.compareAndSet(shard, cur, new Entry(0, cur.epoch(), node))) {
        return true;
      }
    }
  }

  /** Forgets every shard leader that is {@code node}; returns how many. */
  int invalidateNode(long node) {
    int n = 0;
    for (int i = 0; i < entries.length(); i++) {
      if (invalidate(i, node)) {
        n++;
      }
    }
    return n;
  }

  /** Known leaders by shard (shards with an unknown leader are absent). */
  Map<Integer, Long> known() {
    Map<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < entries.length(); i++) {
      long leader = entries.get(i).leader();
      if (leader != 0) {
        m.put(i, leader);
      }
    }
    return m;
  }
}
