package io.crema.raft.testkit.sim;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.core.Bootstrap;
import io.crema.raft.core.ProposalDroppedException;
import io.crema.raft.core.ReadState;
import io.crema.raft.core.Ready;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs Raft nodes on virtual time with a seeded fault schedule and checks the safety invariants
 * after every step (see {@link InvariantChecker}); at the end heals everything and checks that the
 * group makes progress again. Deterministic: the same config gives the same run.
 */
public final class Simulation {
  private static final int TRACE = 80;
  private static final long TICK_MICROS = 1_000;

  private final SimulationConfig cfg;
  private final SplittableRandom rnd;
  private final SimNetwork net;
  private final InvariantChecker checker = new InvariantChecker();
  private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  private final Map<Long, Long> tickPeriod = new HashMap<>();
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final ArrayDeque<String> trace = new ArrayDeque<>();

  /** Pending linearizable reads: request id -> lowest index a correct answer may have. */
  private final Map<Long, Long> pendingReads = new HashMap<>();

  private long now;
  private long seq;
  private long step;
  private long nextValue;
  private long nextReadId = 1;
  private boolean settling;

  private long crashes;
  private long partitions;
  private long confChanges;
  private long transfers;
  private long snapshotsInstalled;
  private long pipelinedReadies;
  private long compactions;
  private long dropped;
  private long duplicated;
  private long readsServed;
  private final java.util.Set<Long> leaderTerms = new java.util.HashSet<>();

  /** An event at a virtual time; ties broken by scheduling order. */
  private abstract static class Event implements Comparable<Event> {
    long time;
    long order;

    abstract void run();

    abstract String describe();

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  public Simulation(SimulationConfig cfg) {
    this.cfg = cfg;
    this.rnd = new SplittableRandom(cfg.seed());
    this.net = new SimNetwork(cfg, rnd);
  }

  /**
   * Runs one simulation; throws {@link SimulationFailure} with the seed and trace on a violation.
   */
  public static SimulationResult run(SimulationConfig cfg) {
    return new Simulation(cfg).run();
  }

  public SimulationResult run() {
    try {
      setUp();
      while (step < cfg.steps() && !queue.isEmpty()) {
        runOne();
      }
      checker.checkLogMatching(nodes.values());
      settleAndCheckLiveness();
      checker.checkLogMatching(nodes.values());
    } catch (SimulationFailure.Violation | IllegalStateException | IllegalArgumentException e) {
      throw new SimulationFailure(cfg.seed(), step, e.getMessage(), List.copyOf(trace), e);
    } catch (RuntimeException e) {
      throw new SimulationFailure(cfg.seed(), step, "unexpected " + e, List.copyOf(trace), e);
    }
    long maxCommit = nodes.values().stream().mapToLong(n -> n.raft.commitIndex()).max().orElse(0);
    return new SimulationResult(
        leaderTerms.size(),
        maxCommit,
        crashes,
        partitions,
        confChanges,
        transfers,
        snapshotsInstalled,
        compactions,
        dropped,
        duplicated,
        readsServed,
        pipelinedReadies);
  }

  private void setUp() {
    long[] voters = new long[cfg.initialVoters()];
    for (int i = 0; i < voters.length; i++) {
      voters[i] = i + 1;
    }
    int total = cfg.initialVoters() + cfg.spareNodes();
    for (long id = 1; id <= total; id++) {
      SimNode n = new SimNode(id);
      if (id <= cfg.initialVoters()) {
        Bootstrap.bootstrap(n.store, 0, voters);
      }
      n.start(cfg.seed());
      nodes.put(id, n);
      double skew = 1 + (rnd.nextDouble() * 2 - 1) * cfg.clockSkew();
      tickPeriod.put(id, Math.max(1, (long) (TICK_MICROS * skew)));
      scheduleTick(n);
    }
    schedule(rnd.nextInt(2_000), new ClientEvent());
    schedule(cfg.faultEveryMicros(), new FaultEvent());
  }

  private void runOne() {
    Event e = queue.poll();
    now = e.time;
    step++;
    record(e.describe());
    e.run();
    for (SimNode n : nodes.values()) {
      pump(n);
    }
    for (SimNode n : nodes.values()) {
      if (n.up) {
        checker.onProgress(n);
      }
    }
    if (step % 250 == 0) {
      checker.checkLogMatching(nodes.values());
    }
  }

  private void record(String what) {
    if (trace.size() == TRACE) {
      trace.pollFirst();
    }
    trace.addLast("#" + step + " t=" + now + "us " + what);
  }

  private void schedule(long delayMicros, Event e) {
    e.time = now + delayMicros;
    e.order = seq++;
    queue.add(e);
  }

  private void scheduleTick(SimNode n) {
    int inc = n.incarnation;
    schedule(
        tickPeriod.get(n.id),
        new Event() {
          @Override
          void run() {
            if (n.up && n.incarnation == inc) {
              n.raft.tick();
              scheduleTick(n);
            }
          }

          @Override
          String describe() {
            return "tick " + n.id;
          }
        });
  }

  // -----------------------------------------------------------------------------------------------
  // The host loop of each node

  private void pump(SimNode n) {
    while (n.up && n.persisting.size() < cfg.pipelineDepth() && n.raft.hasReady()) {
      if (!n.persisting.isEmpty()) {
        pipelinedReadies++;
      }
      // Depth 1 syncs every write (the runs that found the regression seeds did); deeper
      // pipelines sync only what must be (a commit-only hard state rides on the next sync).
      boolean pipelined = cfg.pipelineDepth() > 1;
      Ready rd = n.takeReady(pipelined);
      checker.onRole(n, rd.role(), n.raft.term());
      if (rd.role() == io.crema.raft.core.Role.LEADER) {
        leaderTerms.add(n.raft.term());
      }
      for (Message m : rd.messages()) {
        send(n, m);
      }
      if (pipelined && !rd.committedEntries().isEmpty()) {
        // As the host does with asynchronous storage writes: apply before this Ready is durable.
        checker.onApplied(n, n.applyEarly(rd));
      }
      if (pipelined ? rd.mustSync() : rd.hasWrites()) {
        int inc = n.incarnation;
        schedule(
            20 + rnd.nextInt(300),
            new Event() {
              @Override
              void run() {
                if (n.up && n.incarnation == inc && n.persisting.contains(rd)) {
                  n.persisted.add(rd);
                  acknowledgeInOrder(n);
                }
              }

              @Override
              String describe() {
                return "persisted " + n.id + " " + rd;
              }
            });
        if (cfg.pipelineDepth() == 1) {
          return;
        }
      } else {
        n.persisted.add(rd);
        acknowledgeInOrder(n);
      }
    }
  }

  /** Acknowledges the node's oldest Readies while they are persisted (a host does it in order). */
  private void acknowledgeInOrder(SimNode n) {
    while (n.up && !n.persisting.isEmpty() && n.persisted.contains(n.persisting.peekFirst())) {
      finish(n, n.persisting.peekFirst());
    }
  }

  private void finish(SimNode n, Ready rd) {
    if (rd.snapshot() != null) {
      snapshotsInstalled++;
    }
    List<Entry> applied = n.completePersist(rd);
    for (Message m : rd.messagesAfterPersist()) {
      send(n, m);
    }
    checker.onApplied(n, applied);
    for (ReadState rs : rd.readStates()) {
      Long required = pendingReads.remove(rs.requestId());
      if (required == null || rs.rejected()) {
        continue;
      }
      if (rs.index() < required) {
        throw new SimulationFailure.Violation(
            "linearizable read "
                + rs.requestId()
                + " on node "
                + n.id
                + " got index "
                + rs.index()
                + " but index "
                + required
                + " was committed before the read started");
      }
      readsServed++;
    }
  }

  private void send(SimNode from, Message m) {
    SimNode to = nodes.get(m.to());
    if (to == null) {
      return;
    }
    boolean isSnapshot = m.type() == MessageType.SNAPSHOT;
    SimStateMachine data = null;
    if (isSnapshot) {
      if (from.snapshotMeta.index() != m.snapshot().index()) {
        throw new SimulationFailure.Violation(
            "node "
                + from.id
                + " sends snapshot "
                + m.snapshot().index()
                + " but holds snapshot "
                + from.snapshotMeta.index());
      }
      data = from.snapshotState.copy();
    }
    if (!net.connected(m.from(), m.to()) || (!settling && net.drop())) {
      dropped++;
      if (isSnapshot) {
        from.raft.reportSnapshot(m.to(), false);
      }
      return;
    }
    scheduleDelivery(m, data);
    if (!settling && net.duplicate()) {
      duplicated++;
      scheduleDelivery(m, data);
    }
  }

  private void scheduleDelivery(Message m, SimStateMachine data) {
    schedule(
        net.delayMicros(),
        new Event() {
          @Override
          void run() {
            SimNode to = nodes.get(m.to());
            SimNode from = nodes.get(m.from());
            if (!to.up || !net.connected(m.from(), m.to())) {
              dropped++;
              if (data != null && from.up) {
                // The host's snapshot sender notices the failure and reports it.
                from.raft.reportSnapshot(m.to(), false);
              }
              return;
            }
            if (data != null) {
              to.incomingSnapshots.put(m.snapshot().index(), data);
            }
            to.raft.step(m);
            if (data != null && from.up && from.raft.isLeader()) {
              from.raft.reportSnapshot(m.to(), true);
            }
          }

          @Override
          String describe() {
            return "deliver " + m;
          }
        });
  }

  // -----------------------------------------------------------------------------------------------
  // Clients

  private SimNode randomUpNode() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.up) {
        up.add(n);
      }
    }
    return up.isEmpty() ? null : up.get(rnd.nextInt(up.size()));
  }

  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.up && n.raft.isLeader() && (best == null || n.raft.term() > best.raft.term())) {
        best = n;
      }
    }
    return best;
  }

  private byte[] nextValue() {
    return ("v" + (nextValue++)).getBytes(StandardCharsets.UTF_8);
  }

  private final class ClientEvent extends Event {
    private String what = "client";

    @Override
    void run() {
      SimNode target = rnd.nextInt(4) == 0 ? randomUpNode() : leader();
      if (target != null) {
        if (rnd.nextInt(5) == 0) {
          long id = nextReadId++;
          pendingReads.put(id, checker.maxCommitSeen());
          target.raft.readIndex(id);
          what = "read " + id + " on " + target.id;
        } else {
          int n = 1 + rnd.nextInt(4);
          List<byte[]> batch = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            batch.add(nextValue());
          }
          try {
            target.raft.proposeBatch(batch);
            what = "propose " + n + " on " + target.id;
          } catch (ProposalDroppedException e) {
            what = "propose on " + target.id + " refused: " + e.reason();
          }
        }
      }
      schedule(200 + rnd.nextInt(3_000), new ClientEvent());
    }

    @Override
    String describe() {
      return what;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Faults

  private final class FaultEvent extends Event {
    private String what = "fault";

    @Override
    void run() {
      what = injectFault();
      schedule(cfg.faultEveryMicros() / 2 + rnd.nextInt(cfg.faultEveryMicros()), new FaultEvent());
    }

    @Override
    String describe() {
      return what;
    }
  }

  private String injectFault() {
    switch (rnd.nextInt(8)) {
      case 0:
        return crashRandomNode();
      case 1:
        return partitionRandomly();
      case 2:
        return cutOneWay();
      case 3:
      case 4:
        return changeMembership();
      case 5:
        return transferLeadership();
      case 6:
        return compactRandomNode();
      default:
        net.healAll();
        return "heal";
    }
  }

  private String crashRandomNode() {
    SimNode n = randomUpNode();
    if (n == null) {
      return "crash: nobody up";
    }
    n.crash();
    crashes++;
    schedule(
        5_000 + rnd.nextInt(40_000),
        new Event() {
          @Override
          void run() {
            restart(n);
          }

          @Override
          String describe() {
            return "restart " + n.id;
          }
        });
    return "crash " + n.id;
  }

  private void restart(SimNode n) {
    if (n.up) {
      return;
    }
    n.start(cfg.seed());
    checker.checkState(n);
    scheduleTick(n);
  }

  private String partitionRandomly() {
    List<Long> ids = new ArrayList<>(nodes.keySet());
    long[] side = ids.stream().filter(i -> rnd.nextBoolean()).mapToLong(Long::longValue).toArray();
    long[] other =
        ids.stream()
            .filter(i -> Arrays.stream(side).noneMatch(s -> s == i))
            .mapToLong(Long::longValue)
            .toArray();
    net.partition(side, other);
    partitions++;
    return "partition " + Arrays.toString(side) + " | " + Arrays.toString(other);
  }

  private String cutOneWay() {
    long a = 1 + rnd.nextInt(nodes.size());
    long b = 1 + rnd.nextInt(nodes.size());
    if (a == b) {
      return "cut: same node";
    }
    net.cut(a, b);
    partitions++;
    return "cut " + a + " -> " + b;
  }

  private String changeMembership() {
    SimNode l = leader();
    if (l == null) {
      return "conf change: no leader";
    }
    ConfState cs = l.raft.confState();
    long[] voters = cs.voters();
    long[] nonVoters =
        nodes.keySet().stream().mapToLong(Long::longValue).filter(id -> !cs.isVoter(id)).toArray();
    ConfChange cc;
    int kind = rnd.nextInt(4);
    if (kind == 0 && nonVoters.length > 0) {
      cc = ConfChange.addLearner(nonVoters[rnd.nextInt(nonVoters.length)]);
    } else if (kind == 1 && nonVoters.length > 0) {
      cc = ConfChange.addVoter(nonVoters[rnd.nextInt(nonVoters.length)]);
    } else if (kind == 2 && voters.length > 2) {
      cc = ConfChange.removeNode(voters[rnd.nextInt(voters.length)]);
    } else if (nonVoters.length > 0) {
      long out = voters[rnd.nextInt(voters.length)];
      long in = nonVoters[rnd.nextInt(nonVoters.length)];
      cc =
          new ConfChange(
              ConfChange.Transition.JOINT_IMPLICIT,
              List.of(
                  new ConfChange.Change(ConfChange.Type.ADD_VOTER, in),
                  new ConfChange.Change(ConfChange.Type.REMOVE_NODE, out)));
    } else {
      return "conf change: nothing to change";
    }
    try {
      l.raft.proposeConfChange(cc);
      confChanges++;
      return "conf change on " + l.id + ": " + cc;
    } catch (ProposalDroppedException e) {
      return "conf change refused: " + e.getMessage();
    }
  }

  private String transferLeadership() {
    SimNode l = leader();
    if (l == null) {
      return "transfer: no leader";
    }
    long[] voters = l.raft.confState().voters();
    long to = voters[rnd.nextInt(voters.length)];
    l.raft.transferLeader(to);
    transfers++;
    return "transfer " + l.id + " -> " + to;
  }

  private String compactRandomNode() {
    SimNode n = randomUpNode();
    if (n == null) {
      return "compact: nobody up";
    }
    long keep = rnd.nextInt(20);
    n.snapshotAndCompact(keep);
    compactions++;
    return "compact " + n.id + " at " + n.snapshotMeta.index() + " keeping " + keep;
  }

  // -----------------------------------------------------------------------------------------------
  // Liveness

  /**
   * Heals the network, restarts every node and stops random loss: a leader must emerge and a new
   * proposal must be applied by every voter within a bounded number of steps.
   */
  private void settleAndCheckLiveness() {
    settling = true;
    net.healAll();
    for (SimNode n : nodes.values()) {
      restart(n);
    }
    queue.removeIf(e -> e instanceof FaultEvent || e instanceof ClientEvent);
    long deadline = step + 50_000;
    long markerIndex = -1;
    long markerTerm = -1;
    while (step < deadline && !queue.isEmpty()) {
      runOne();
      SimNode l = leader();
      if (l == null) {
        continue;
      }
      if (l.raft.term() != markerTerm) {
        // (Re-)propose under the current leader: a marker of an older term may have been lost.
        try {
          l.raft.propose("liveness".getBytes(StandardCharsets.UTF_8));
          markerIndex = l.raft.lastIndex();
          markerTerm = l.raft.term();
        } catch (ProposalDroppedException e) {
          markerTerm = -1;
        }
        continue;
      }
      if (allVotersApplied(l, markerIndex)) {
        return;
      }
    }
    throw new SimulationFailure.Violation(
        "no progress after healing: leader "
            + (leader() == null ? "none" : leader().id)
            + ", marker index "
            + markerIndex
            + ", nodes "
            + describeNodes());
  }

  private boolean allVotersApplied(SimNode l, long index) {
    if (index < 0) {
      return false;
    }
    for (long v : l.raft.confState().voters()) {
      if (nodes.get(v).sm.lastIndex < index) {
        return false;
      }
    }
    return true;
  }

  private String describeNodes() {
    StringBuilder b = new StringBuilder();
    for (SimNode n : nodes.values()) {
      b.append("\n    ").append(n.id).append(": ").append(n.raft.status());
    }
    return b.toString();
  }
}
