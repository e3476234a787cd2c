package io.crema.multiraft;

import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The shards of one coordinator: their group, replica, state and view. Thread-safe. */
final class ShardRegistry<S extends StateMachine> {
  /** One shard on this node. */
  static final class Shard<S extends StateMachine> {
    final int id;
    final long groupId;
    final S stateMachine;
    private final AtomicReference<ShardState> state =
        new AtomicReference<>(ShardState.INITIALIZING);
    private volatile GroupView view;

    Shard(int id, long groupId, S stateMachine) {
      this.id = id;
      this.groupId = groupId;
      this.stateMachine = stateMachine;
    }

    ShardState state() {
      return state.get();
    }

    /** The group's view once it runs here, else null. */
    GroupView view() {
      return view;
    }

    void view(GroupView v) {
      view = v;
    }

    /** Moves to {@code next} if the current state allows it; false otherwise. */
    boolean moveTo(ShardState next) {
      while (true) {
        ShardState cur = state.get();
        if (!cur.canMoveTo(next)) {
          return false;
        }
        if (state.compareAndSet(cur, next)) {
          return true;
        }
      }
    }

    /** Moves from exactly {@code expected} to {@code next}. */
    boolean compareAndMove(ShardState expected, ShardState next) {
      return expected.canMoveTo(next) && state.compareAndSet(expected, next);
    }
  }

  private final List<Shard<S>> shards;

  ShardRegistry(List<Shard<S>> shards) {
    this.shards = Collections.unmodifiableList(new ArrayList<>(shards));
  }

  int size() {
    return shards.size();
  }

  /**
   * The shard with this id.
   *
   * @throws IllegalArgumentException if the id is out of range
   */
  Shard<S> get(int shard) {
    if (shard < 0 || shard >= shards.size()) {
      throw new IllegalArgumentException(
          "shard must be in [0, " + shards.size() + "), was " + shard);
    }
    return shards.get(shard);
  }

  List<Shard<S>> all() {
    return shards;
  }

  /** INITIALIZING shards whose group runs here and has seen a leader become ACTIVE. */
  void refreshStates() {
    for (Shard<S> s : shards) {
      GroupView v = s.view();
      if (v != null && v.leader() != 0 && s.state() == ShardState.INITIALIZING) {
        s.compareAndMove(ShardState.INITIALIZING, ShardState.ACTIVE);
      }
    }
  }
}
