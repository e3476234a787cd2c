package io.crema.raft.examples;

import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.transport.InMemoryNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Embedding raft-core: a replicated counter on three nodes in one JVM (in-memory transport and
 * log). Adds to the counter with many proposals in flight, stops the leader, keeps going on the new
 * leader, and reads linearizably from a follower. The README shows this code.
 *
 * <p>Run: {@code mvn -B -q -DskipTests install && mvn -B -q -pl raft-testkit exec:exec}
 */
public final class ReplicatedCounter {
  /** The state machine: a counter; each command is an 8-byte delta; the result is the new value. */
  static final class Counter implements StateMachine {
    volatile long value;

    @Override
    public void apply(List<Entry> entries, Object[] results) {
      for (int i = 0; i < entries.size(); i++) {
        byte[] d = entries.get(i).data();
        if (d.length == 8) {
          value += ByteBuffer.wrap(d).getLong();
          results[i] = value;
        }
      }
    }

    @Override
    public Snapshot snapshot() {
      long v = value;
      return out -> new DataOutputStream(out).writeLong(v);
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) throws java.io.IOException {
      value = new DataInputStream(in).readLong();
    }
  }

  static byte[] add(long delta) {
    return ByteBuffer.allocate(8).putLong(delta).array();
  }

  public static void main(String[] args) throws Exception {
    int adds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    System.exit(run(adds, System.out) ? 0 : 1);
  }

  /** Runs the example; returns whether every replica ended with the expected value. */
  public static boolean run(int adds, PrintStream out) throws Exception {
    InMemoryNetwork network = new InMemoryNetwork();
    RaftHost[] hosts = new RaftHost[3];
    Counter[] counters = new Counter[3];
    for (int i = 0; i < 3; i++) {
      long id = i + 1;
      hosts[i] =
          RaftHost.create(
                  HostConfig.builder(id)
                      .logStore(new MemoryLogStore())
                      .transport(network.join(id))
                      .tickIntervalMs(10)
                      .build())
              .start(); // one event-loop thread per host
      counters[i] = new Counter();
      hosts[i].startGroup(0, counters[i], 1, 2, 3).join(); // group 0, voters 1, 2, 3
    }
    RaftHost leader = awaitLeader(hosts, null);
    out.printf("node %d leads group 0%n", leader.nodeId());

    long t0 = System.nanoTime();
    addMany(leader, adds / 2);
    out.printf("%d adds committed through node %d%n", adds / 2, leader.nodeId());

    leader.close(); // the leader stops: the others elect a new one
    RaftHost next = awaitLeader(hosts, leader);
    out.printf("node %d stopped; node %d now leads%n", leader.nodeId(), next.nodeId());
    addMany(next, adds - adds / 2);
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf("%d adds in %.2f s (%.0f/s, with a leader change)%n", adds, secs, adds / secs);

    RaftHost follower = null;
    for (RaftHost h : hosts) {
      if (h != leader && h != next) {
        follower = h;
      }
    }
    int f = (int) follower.nodeId() - 1;
    long seen = follower.read(0, () -> counters[f].value).get();
    out.printf(
        "linearizable read on follower %d: counter = %d (expected %d)%n",
        follower.nodeId(), seen, adds);
    for (RaftHost h : hosts) {
      h.close();
    }
    return seen == adds;
  }

  private static void addMany(RaftHost leader, int n) {
    List<CompletableFuture<Object>> window = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.add(leader.propose(0, add(1)));
      if (window.size() == 4096 || i == n - 1) {
        CompletableFuture.allOf(window.toArray(new CompletableFuture<?>[0])).join();
        window.clear();
      }
    }
  }

  private static RaftHost awaitLeader(RaftHost[] hosts, RaftHost not) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (RaftHost h : hosts) {
        if (h != not && h.view(0) != null && h.view(0).isLeader()) {
          return h;
        }
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    throw new IllegalStateException("no leader elected within 30 s");
  }
}
