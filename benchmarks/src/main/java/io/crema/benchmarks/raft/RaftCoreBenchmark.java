package io.crema.benchmarks.raft;

import io.crema.benchmarks.BenchSupport;
import io.crema.raft.Entry;
import io.crema.raft.core.RaftConfig;
import io.crema.raft.core.RaftNode;
import io.crema.raft.testkit.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Raft algorithm alone: a 3-node group driven by one thread with in-memory storage and message
 * passing, 16-byte payloads, proposals in batches. Reports committed (and applied on the leader)
 * entries per second. Storage is compacted every 64k entries so memory stays flat.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar RaftCoreBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {BenchSupport.GC, "-Xms2g", "-Xmx2g"})
public class RaftCoreBenchmark {
  /** Entries per proposal batch (one leader append, one replication round). */
  private static final int BATCH = 256;

  private LocalCluster cluster;
  private RaftNode leader;
  private List<byte[]> payloads;
  private long appliedOnLeader;
  private long sinceCompaction;

  @Setup(Level.Trial)
  public void setUp() {
    cluster =
        new LocalCluster(
            id -> RaftConfig.builder(id).maxSizePerMsg(1 << 20).maxInflightMsgs(256).build(),
            this::onApply,
            1,
            2,
            3);
    cluster.elect(1);
    leader = cluster.node(1);
    payloads = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      byte[] p = new byte[16];
      p[0] = (byte) i;
      payloads.add(p);
    }
  }

  private void onApply(long nodeId, List<Entry> committed) {
    if (nodeId == 1) {
      appliedOnLeader = committed.get(committed.size() - 1).index();
    }
  }

  /** One batch proposed, replicated to both followers, committed and applied on the leader. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long commitBatch() {
    leader.proposeBatch(payloads);
    long target = leader.lastIndex();
    while (appliedOnLeader < target) {
      cluster.runOnce();
    }
    sinceCompaction += BATCH;
    if (sinceCompaction >= 65_536) {
      cluster.compact(1024);
      sinceCompaction = 0;
    }
    return appliedOnLeader;
  }
}
