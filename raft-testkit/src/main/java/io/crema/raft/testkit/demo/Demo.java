package io.crema.raft.testkit.demo;

import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.ReadState;
import io.crema.raft.testkit.LocalCluster;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A runnable tour of raft-core: three nodes in one process replicate a key-value map, survive a
 * leadership transfer and serve a linearizable read from a follower. Prints what happens and exits
 * non-zero if the replicas disagree.
 *
 * <p>Run: {@code mvn -B -q -DskipTests install && mvn -B -q -pl raft-testkit exec:java}
 */
public final class Demo {
  private final PrintStream out;
  private final Map<Long, TreeMap<String, String>> replicas = new TreeMap<>();
  private final LocalCluster cluster;

  private Demo(PrintStream out) {
    this.out = out;
    for (long id = 1; id <= 3; id++) {
      replicas.put(id, new TreeMap<>());
    }
    this.cluster = LocalCluster.withDefaults(this::apply, 1, 2, 3);
  }

  private void apply(long nodeId, List<Entry> committed) {
    TreeMap<String, String> kv = replicas.get(nodeId);
    for (Entry e : committed) {
      if (e.type() != EntryType.NORMAL || e.data().length == 0) {
        continue;
      }
      String cmd = new String(e.data(), StandardCharsets.UTF_8);
      int eq = cmd.indexOf('=');
      kv.put(cmd.substring(0, eq), cmd.substring(eq + 1));
    }
  }

  public static void main(String[] args) {
    int writes = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    System.exit(new Demo(System.out).run(writes));
  }

  int run(int writes) {
    out.println("crema raft-core demo: 3 nodes in one process, in-memory log and transport");
    long leader = cluster.elect(1);
    out.printf("elected leader: node %d (term %d)%n", leader, cluster.node(leader).term());

    long t0 = System.nanoTime();
    write(leader, 0, writes / 2);
    cluster.transferLeaderAndWait(leader, 2);
    leader = cluster.leader();
    out.printf(
        "leadership transferred: node %d now leads (term %d)%n",
        leader, cluster.node(leader).term());
    write(leader, writes / 2, writes);
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(
        "%d writes committed and applied on all 3 replicas in %.2f s (%.0f writes/s, one thread)%n",
        writes, secs, writes / secs);

    RaftNode follower = cluster.node(3);
    follower.readIndex(1);
    ReadState rs = cluster.awaitReadState(3, 1);
    out.printf(
        "linearizable read on follower 3: read index %d, key k%d=%s%n",
        rs.index(), writes - 1, replicas.get(3L).get("k" + (writes - 1)));

    boolean same =
        replicas.get(1L).equals(replicas.get(2L)) && replicas.get(2L).equals(replicas.get(3L));
    out.printf(
        "replicas identical: %s (%d keys each, commit index %d)%n",
        same, replicas.get(1L).size(), cluster.node(leader).commitIndex());
    return same && replicas.get(1L).size() == writes ? 0 : 1;
  }

  private void write(long leader, int from, int to) {
    RaftNode l = cluster.node(leader);
    List<byte[]> batch = new ArrayList<>(256);
    for (int i = from; i < to; i++) {
      batch.add(("k" + i + "=v" + i).getBytes(StandardCharsets.UTF_8));
      if (batch.size() == 256 || i == to - 1) {
        l.proposeBatch(batch);
        batch.clear();
        long target = l.lastIndex();
        cluster.runUntil(() -> allApplied(target));
        cluster.compact(1024);
      }
    }
  }

  private boolean allApplied(long index) {
    for (long id = 1; id <= 3; id++) {
      if (cluster.node(id).appliedIndex() < index) {
        return false;
      }
    }
    return true;
  }
}
