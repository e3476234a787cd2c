package io.crema.transport.aeron;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gets commands {@code prefix-1..prefix-n} committed through whichever node leads: proposes those
 * the leader has not applied yet, and proposes again any that did not show up within a while (lost
 * to a leader change). A command may therefore commit twice; every one commits at least once.
 */
final class CommandFeeder {
  private static final long REPROPOSE_NS = TimeUnit.SECONDS.toNanos(2);
  private static final long CHECK_NS = TimeUnit.MILLISECONDS.toNanos(20);

  private final List<String> commands = new ArrayList<>();
  private final long[] proposedAtNs;
  private long lastCheckNs;

  CommandFeeder(String prefix, int from, int to) {
    for (int i = from; i <= to; i++) {
      commands.add(prefix + "-" + i);
    }
    proposedAtNs = new long[commands.size()];
  }

  List<String> commands() {
    return commands;
  }

  /** Whether every command was applied by this node. */
  boolean allAppliedBy(RaftTestNode node) {
    return node.appliedCommands().containsAll(commands);
  }

  /** If the node leads, proposes the commands it has not applied and that are due. */
  void step(RaftTestNode node) {
    long nowNs = System.nanoTime();
    if (!node.raft().isLeader() || nowNs - lastCheckNs < CHECK_NS) {
      return;
    }
    lastCheckNs = nowNs;
    Set<String> done = new HashSet<>(node.appliedCommands());
    List<String> due = new ArrayList<>();
    List<Integer> dueIdx = new ArrayList<>();
    for (int i = 0; i < commands.size() && due.size() < 64; i++) {
      if (!done.contains(commands.get(i))
          && (proposedAtNs[i] == 0 || nowNs - proposedAtNs[i] > REPROPOSE_NS)) {
        due.add(commands.get(i));
        dueIdx.add(i);
      }
    }
    if (node.propose(due)) {
      for (int i : dueIdx) {
        proposedAtNs[i] = nowNs;
      }
    }
  }
}
