package io.crema.raft.testkit.hostsim;

import io.crema.raft.ConfChange;
import io.crema.raft.ConfState;
import io.crema.raft.Message;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.raft.testkit.host.KvStateMachine;
import io.crema.raft.testkit.linearizability.Command;
import io.crema.raft.testkit.linearizability.History;
import io.crema.raft.testkit.linearizability.HistoryRecorder;
import io.crema.raft.testkit.linearizability.LinearizabilityChecker;
import io.crema.raft.testkit.linearizability.Result;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.agrona.concurrent.AgentInvoker;

/**
 * Five real hosts (three initial voters, two spares) in invoker mode on a virtual clock, over a
 * simulated network that delays (and so reorders), drops and partitions; nodes crash and restart on
 * their durable stores; the leader changes membership and snapshots are taken and installed.
 * Clients read, write and compare-and-set a few keys on any node; every operation goes into a
 * history that must be linearizable, and at the end every acknowledged write must be readable and
 * all voters must hold the same data. A run is a pure function of its seed.
 */
public final class HostSimulation {
  private static final long MS = 1_000_000L;
  private static final long DUTY_NS = 300_000;
  private static final int NODES = 5;
  private static final int VOTERS = 3;
  private static final int CLIENTS = 4;
  private static final String[] KEYS = {"a", "b", "c"};

  private final long seed;
  private final long durationNs;
  private final SplittableRandom rnd;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  private final Set<Long> cutLinks = new HashSet<>();
  private final HistoryRecorder recorder;
  private final ArrayDeque<String> trace = new ArrayDeque<>();
  private long now;
  private long seq;
  private long nextValue;
  private boolean faults = true;

  private long crashes;
  private long partitions;
  private long confChanges;
  private long snapshotsInstalled;
  private long acknowledgedWrites;

  /** What a run did. */
  public record Outcome(
      long operations,
      long acknowledgedWrites,
      long crashes,
      long partitions,
      long confChanges,
      long snapshotsInstalled,
      Result.Verdict verdict) {}

  private abstract static class Event implements Comparable<Event> {
    long time;
    long order;

    abstract void run();

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  private final class SimNode {
    final long id;
    final MemoryLogStore log = new MemoryLogStore(true);
    final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    RaftHost host;
    AgentInvoker invoker;
    SimTransport transport;
    KvStateMachine kv;
    int incarnation;
    // Sync tasks finish in the order they were given (the store's contract): each no earlier
    // than the one before.
    long lastSyncAt;

    SimNode(long id) {
      this.id = id;
    }

    boolean up() {
      return host != null;
    }

    void start() {
      incarnation++;
      transport = new SimTransport(id, HostSimulation.this::wireSend);
      host =
          RaftHost.create(
              HostConfig.builder(id)
                  .logStore(log)
                  .snapshotStore(snapshots)
                  .transport(transport)
                  .clock(() -> now)
                  .tickIntervalMs(2)
                  .snapshotEntries(40)
                  .snapshotKeepEntries(5)
                  .snapshotChunkBytes(1024)
                  .requestTimeoutMs(200)
                  .snapshotExecutor(Runnable::run)
                  .syncExecutor(this::syncLater)
                  .listener(
                      new io.crema.raft.node.HostListener() {
                        @Override
                        public void onSnapshotInstalled(long groupId, long index) {
                          snapshotsInstalled++;
                        }
                      })
                  .build());
      invoker = host.invoker();
      kv = new KvStateMachine();
      long[] voters = id <= VOTERS ? new long[] {1, 2, 3} : new long[0];
      java.util.concurrent.CompletableFuture<Void> started = host.startGroup(0, kv, voters);
      invoker.invoke();
      if (started.isCompletedExceptionally()) {
        throw new AssertionError("node " + id + " could not start its group", causeOf(started));
      }
      scheduleDuty(this, incarnation);
    }

    /**
     * The disk: a sync task finishes after a seeded delay of up to three duty cycles, so the host
     * takes further Readies while earlier batches are still being synced; a crash loses the rest.
     */
    void syncLater(Runnable task) {
      int inc = incarnation;
      long at = Math.max(lastSyncAt, now + rnd.nextLong(3 * DUTY_NS));
      lastSyncAt = at;
      schedule(
          at - now,
          new Event() {
            @Override
            void run() {
              if (up() && incarnation == inc) {
                task.run();
              }
            }
          });
    }

    void crash() {
      host.close();
      host = null;
      invoker = null;
      transport.close();
      log.crash();
    }
  }

  private static Throwable causeOf(java.util.concurrent.CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  public HostSimulation(long seed, long durationMs) {
    this.seed = seed;
    this.durationNs = durationMs * MS;
    this.rnd = new SplittableRandom(seed);
    this.recorder = History.recorder(() -> now);
  }

  /** Runs and checks; throws {@link AssertionError} with the seed on any violation. */
  public Outcome run() {
    try {
      for (long id = 1; id <= NODES; id++) {
        SimNode n = new SimNode(id);
        nodes.put(id, n);
        n.start();
      }
      for (int c = 0; c < CLIENTS; c++) {
        scheduleClient(c, 5 * MS + rnd.nextLong(5 * MS));
      }
      schedule(30 * MS, new FaultEvent());
      runUntil(durationNs);
      return finish();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "host simulation seed "
              + seed
              + " failed at t="
              + now / 1000
              + "us: "
              + e.getMessage()
              + "\nrerun with -Dhostsim.seed="
              + seed
              + "\nlast events:\n  "
              + String.join("\n  ", trace),
          e);
    }
  }

  private void runUntil(long endNs) {
    while (!queue.isEmpty() && queue.peek().time <= endNs) {
      Event e = queue.poll();
      now = e.time;
      e.run();
    }
    now = endNs;
  }

  private void note(String s) {
    if (trace.size() == 60) {
      trace.pollFirst();
    }
    trace.addLast("t=" + now / 1000 + "us " + s);
  }

  private void schedule(long delayNs, Event e) {
    e.time = now + delayNs;
    e.order = seq++;
    queue.add(e);
  }

  private void scheduleDuty(SimNode n, int incarnation) {
    schedule(
        DUTY_NS,
        new Event() {
          @Override
          void run() {
            if (n.up() && n.incarnation == incarnation) {
              n.invoker.invoke();
              scheduleDuty(n, incarnation);
            }
          }
        });
  }

  // -----------------------------------------------------------------------------------------------
  // Network

  private static long link(long from, long to) {
    return from * 100 + to;
  }

  private boolean wireSend(Message m) {
    if (cutLinks.contains(link(m.from(), m.to())) || (faults && rnd.nextInt(100) < 3)) {
      return true; // lost on the wire; the sender cannot tell
    }
    long delay = 50_000 + rnd.nextLong(1_500_000);
    schedule(
        delay,
        new Event() {
          @Override
          void run() {
            SimNode to = nodes.get(m.to());
            if (to != null && to.up() && !cutLinks.contains(link(m.from(), m.to()))) {
              to.transport.inbox.add(m);
            }
          }
        });
    return true;
  }

  // -----------------------------------------------------------------------------------------------
  // Clients

  private void scheduleClient(int client, long delayNs) {
    schedule(
        delayNs,
        new Event() {
          @Override
          void run() {
            clientOp(client);
          }
        });
  }

  private SimNode target() {
    List<SimNode> up = new ArrayList<>();
    SimNode leader = null;
    for (SimNode n : nodes.values()) {
      if (n.up()) {
        up.add(n);
        GroupView v = n.host.view(0);
        if (v != null && v.isLeader()) {
          leader = n;
        }
      }
    }
    if (leader != null && rnd.nextInt(10) < 7) {
      return leader;
    }
    return up.isEmpty() ? null : up.get(rnd.nextInt(up.size()));
  }

  private void clientOp(int client) {
    if (!faults && now > durationNs) {
      return;
    }
    SimNode n = target();
    if (n == null) {
      scheduleClient(client, MS);
      return;
    }
    String key = KEYS[rnd.nextInt(KEYS.length)];
    int kind = rnd.nextInt(10);
    RaftHost host = n.host;
    SimNode node = n;
    if (kind < 4) {
      HistoryRecorder.Handle h = recorder.invoke(client, Command.read(key));
      track(client, h, host.read(0, () -> node.kv.get(key)), false);
    } else if (kind < 8) {
      String v = "v" + nextValue++;
      HistoryRecorder.Handle h = recorder.invoke(client, Command.write(key, v));
      track(client, h, write(host, KvStateMachine.put(key, v)), true);
    } else {
      String expected = rnd.nextInt(4) == 0 ? null : "v" + rnd.nextLong(Math.max(1, nextValue));
      String v = "v" + nextValue++;
      HistoryRecorder.Handle h = recorder.invoke(client, Command.cas(key, expected, v));
      track(client, h, write(host, KvStateMachine.cas(key, expected, v)), true);
    }
  }

  /**
   * Half the writes go to the chosen node only (refused there unless it leads), half through it to
   * the leader it knows (forwarded, batched with others of the same duty cycle, answered back).
   */
  private CompletableFuture<Object> write(RaftHost host, byte[] command) {
    return rnd.nextBoolean() ? host.propose(0, command) : host.proposeViaLeader(0, command);
  }

  private void track(int client, HistoryRecorder.Handle h, CompletableFuture<?> f, boolean write) {
    f.whenComplete(
        (value, error) -> {
          if (error == null) {
            switch (h.command().kind()) {
              case READ:
                recorder.okRead(h, (String) value);
                break;
              case CAS:
                recorder.okCas(h, "true".equals(value));
                acknowledgedWrites++;
                break;
              default:
                recorder.ok(h);
                acknowledgedWrites++;
            }
          } else {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (write
                && (!(cause instanceof RaftOperationException)
                    || ((RaftOperationException) cause).mayHaveBeenApplied())) {
              recorder.unknown(h);
            } else {
              recorder.fail(h);
            }
          }
          scheduleClient(client, rnd.nextLong(2 * MS));
        });
  }

  // -----------------------------------------------------------------------------------------------
  // Faults

  private final class FaultEvent extends Event {
    @Override
    void run() {
      if (!faults) {
        return;
      }
      note(injectFault());
      schedule(20 * MS + rnd.nextLong(40 * MS), new FaultEvent());
    }
  }

  private String injectFault() {
    switch (rnd.nextInt(6)) {
      case 0:
        {
          SimNode n = nodes.get(1L + rnd.nextInt(NODES));
          if (!n.up()) {
            return "crash: node " + n.id + " already down";
          }
          n.crash();
          crashes++;
          int inc = n.incarnation;
          schedule(
              10 * MS + rnd.nextLong(60 * MS),
              new Event() {
                @Override
                void run() {
                  if (!n.up() && n.incarnation == inc) {
                    n.start();
                  }
                }
              });
          return "crash " + n.id;
        }
      case 1:
        {
          long a = 1 + rnd.nextInt(NODES);
          for (long b = 1; b <= NODES; b++) {
            if (b != a) {
              cutLinks.add(link(a, b));
              cutLinks.add(link(b, a));
            }
          }
          partitions++;
          return "isolate " + a;
        }
      case 2:
        {
          long a = 1 + rnd.nextInt(NODES);
          long b = 1 + rnd.nextInt(NODES);
          cutLinks.add(link(a, b));
          partitions++;
          return "cut " + a + "->" + b;
        }
      case 3:
        return changeMembership();
      case 4:
        {
          SimNode n = nodes.get(1L + rnd.nextInt(NODES));
          if (n.up()) {
            n.host.snapshot(0);
          }
          return "snapshot on " + n.id;
        }
      default:
        cutLinks.clear();
        return "heal";
    }
  }

  private String changeMembership() {
    SimNode leader = null;
    for (SimNode n : nodes.values()) {
      if (n.up() && n.host.view(0) != null && n.host.view(0).isLeader()) {
        leader = n;
      }
    }
    if (leader == null) {
      return "conf change: no leader";
    }
    ConfState cs = leader.kv == null ? null : currentMembership(leader);
    if (cs == null) {
      return "conf change: unknown membership";
    }
    long[] voters = cs.voters();
    List<Long> others = new ArrayList<>();
    for (long id = 1; id <= NODES; id++) {
      if (!cs.isVoter(id)) {
        others.add(id);
      }
    }
    ConfChange cc;
    int k = rnd.nextInt(3);
    if (k == 0 && voters.length > 3) {
      cc = ConfChange.removeNode(voters[rnd.nextInt(voters.length)]);
    } else if (k == 1 && !others.isEmpty()) {
      cc = ConfChange.addLearner(others.get(rnd.nextInt(others.size())));
    } else if (!others.isEmpty()) {
      cc = ConfChange.addVoter(others.get(rnd.nextInt(others.size())));
    } else {
      return "conf change: nothing to do";
    }
    leader.host.changeMembership(0, cc).exceptionally(t -> null);
    confChanges++;
    return "conf change " + cc + " via " + leader.id;
  }

  private ConfState currentMembership(SimNode n) {
    CompletableFuture<io.crema.raft.node.GroupStatus> f = n.host.status(0);
    n.invoker.invoke();
    return f.isDone() && !f.isCompletedExceptionally() ? f.join().membership() : null;
  }

  // -----------------------------------------------------------------------------------------------
  // The end

  private Outcome finish() {
    faults = false;
    cutLinks.clear();
    for (SimNode n : nodes.values()) {
      if (!n.up()) {
        n.start();
      }
    }
    long settleEnd = now + 3_000 * MS;
    runUntil(now + 500 * MS);
    // Final linearizable reads of every key, through the leader, become part of the history.
    List<CompletableFuture<?>> finals = new ArrayList<>();
    SimNode leader = null;
    while (leader == null && now < settleEnd) {
      runUntil(now + 10 * MS);
      for (SimNode n : nodes.values()) {
        if (n.host.view(0) != null && n.host.view(0).isLeader()) {
          leader = n;
        }
      }
    }
    if (leader == null) {
      throw new AssertionError("no leader after healing every fault");
    }
    SimNode l = leader;
    for (String key : KEYS) {
      HistoryRecorder.Handle h = recorder.invoke(99, Command.read(key));
      CompletableFuture<String> f = l.host.read(0, () -> l.kv.get(key));
      f.whenComplete(
          (v, e) -> {
            if (e == null) {
              recorder.okRead(h, v);
            } else {
              recorder.fail(h);
            }
          });
      finals.add(f);
    }
    while (now < settleEnd && !finals.stream().allMatch(CompletableFuture::isDone)) {
      runUntil(now + 10 * MS);
    }
    if (!finals.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally())) {
      throw new AssertionError("final reads did not complete after healing");
    }
    checkConvergence(l);
    History history = recorder.history();
    Result r = LinearizabilityChecker.create().check(history);
    if (!r.isLinearizable()) {
      throw new AssertionError("history of " + history.size() + " operations: " + r);
    }
    return new Outcome(
        history.size(),
        acknowledgedWrites,
        crashes,
        partitions,
        confChanges,
        snapshotsInstalled,
        r.verdict());
  }

  /** Every voter ends with the leader's data once it applied the leader's commit index. */
  private void checkConvergence(SimNode leader) {
    ConfState cs = currentMembership(leader);
    long commit = leader.host.view(0).commitIndex();
    long deadline = now + 2_000 * MS;
    while (now < deadline) {
      boolean all = true;
      for (long v : cs.voters()) {
        if (nodes.get(v).host.view(0).appliedIndex() < commit) {
          all = false;
        }
      }
      if (all) {
        break;
      }
      runUntil(now + 10 * MS);
    }
    Map<String, String> want = leader.kv.contents();
    for (long v : cs.voters()) {
      Map<String, String> got = nodes.get(v).kv.contents();
      if (!want.equals(got)) {
        throw new AssertionError("voter " + v + " holds " + got + " but the leader holds " + want);
      }
    }
  }
}
