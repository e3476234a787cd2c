package io.crema.benchmarks.multiraft;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.InFlightWindow;
import io.crema.benchmarks.KeyValueTable;
import io.crema.benchmarks.SharedLoop;
import io.crema.multiraft.InProcessForwarder;
import io.crema.multiraft.KeyValueAdapter;
import io.crema.multiraft.MultiRaftCoordinator;
import io.crema.multiraft.ShardInfo;
import io.crema.multiraft.ShardState;
import io.crema.raft.Entry;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.StateMachine;
import io.crema.raft.node.GroupView;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.transport.InMemoryNetwork;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-Raft end to end in one JVM: 3 nodes, each a {@link RaftHost} with a {@link
 * MultiRaftCoordinator} over {@code shards} shards; the three hosts' agents composed on one
 * event-loop thread (shared mode, as a CPU-bound 2-core node would run them), in-memory transport
 * and log. The benchmark thread keeps {@link #window} puts in flight (16-byte keys drawn from a
 * pool of {@link #keyCount}, 16-byte values, see {@link #machine}), submitted round-robin to the
 * three coordinators, which route them by key and forward to the shard's leader ({@link
 * InProcessForwarder}). Shard leaders are spread over the nodes by the coordinators' placement
 * before measuring.
 *
 * <p>Reports committed writes per second in total (applied on the leader, future completed); divide
 * by {@code shards} for per shard. The question it answers: does splitting the keyspace into more
 * Raft groups cost throughput when the CPU is the limit?
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar MultiRaftThroughputBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {
      BenchSupport.GC,
      "-Xms2g",
      "-Xmx2g",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"
    })
public class MultiRaftThroughputBenchmark {
  static final int BATCH = 1024;
  static final int LOG_ENTRIES = 256_000;
  private static final long SETUP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

  @Param({"1", "4", "16", "64"})
  public int shards;

  /**
   * The shards' state machine: {@code map} stores every put in a {@link KeyValueTable} (an open
   * hash table, no allocation per put); {@code count} only counts entries, so that Raft, the host
   * and routing are all that costs.
   */
  @Param({"map", "count"})
  public String machine;

  /** Distinct keys written (a power of two): the size of each replica's map. */
  @Param({"65536"})
  public int keyCount;

  /**
   * Where puts enter: {@code any} spreads them round-robin over the three nodes (two thirds are
   * forwarded to the shard's leader, as clients of a cluster behind a load balancer would); {@code
   * leader} sends each to the node leading its key's shard (as a client that tracks leaders does,
   * and as the peer benchmarks do).
   */
  @Param({"any"})
  public String entry;

  /**
   * Puts kept in flight by the benchmark thread. 2,048 keeps every shard count busy; 8,192 only
   * adds queueing and a working set (futures, commands, waiting entries) larger than the caches,
   * which cost many groups more than one (measured: see benchmarks/README.md).
   */
  @Param({"2048"})
  public int window;

  /**
   * {@code shared}: the three hosts' agents composed on one event-loop thread (one CPU-bound node's
   * worth of threads); {@code dedicated}: each host on its own thread, as three separate nodes (and
   * the peer benchmarks' nodes) run.
   */
  @Param({"shared"})
  public String threads;

  /**
   * Where each coordinator completes its operations' futures: {@code thread}, a completion thread
   * of its own ({@code MultiRaftBuilder.completionThread(true)}: the loop, which is this
   * benchmark's bottleneck, only hands outcomes over); {@code host}, on the host's event loop (the
   * default).
   */
  @Param({"thread"})
  public String completions;

  private final List<MultiRaftCoordinator<MapMachine>> coordinators = new ArrayList<>();

  private final RaftHost[] hosts = new RaftHost[3];
  private AgentRunner runner;
  private byte[][] keys;
  private int[] entryNode;
  private final byte[] value = new byte[16];
  private InFlightWindow inFlight;
  private InMemoryNetwork net;
  private long issued;
  private int nextNode;
  private int next;

  /**
   * A {@link KeyValueTable} of 16-byte keys and values (or, if not storing, a counter); results are
   * null. The MicroRaft benchmark's state machine stores into the same table.
   */
  static final class MapMachine implements StateMachine {
    final KeyValueTable data = new KeyValueTable(16);
    final boolean store;
    volatile int size;

    MapMachine(boolean store) {
      this.store = store;
    }

    @Override
    public void apply(List<Entry> entries, Object[] results) {
      if (!store) {
        size += entries.size();
        return;
      }
      for (int i = 0; i < entries.size(); i++) {
        byte[] c = entries.get(i).data();
        if (c.length == 0) {
          continue;
        }
        if (c[0] == 'P') {
          data.put(c, 1, 1 + KeyValueTable.KEY_BYTES);
        } else {
          data.remove(c, 1);
        }
      }
      size = data.size();
    }

    @Override
    public Snapshot snapshot() {
      KeyValueTable copy = data.copy();
      return out -> {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(copy.size());
        d.flush();
      };
    }

    @Override
    public void restore(SnapshotMeta meta, InputStream in) {
      data.clear();
      size = 0;
    }
  }

  /** Commands: 'P' | 16-byte key | 16-byte value, or 'D' | 16-byte key. */
  static final class MapAdapter implements KeyValueAdapter<MapMachine> {
    private static byte[] encode(char op, byte[] key, byte[] value, int valueBytes) {
      if (key.length != KeyValueTable.KEY_BYTES) {
        throw new IllegalArgumentException(
            "keys of this benchmark are " + KeyValueTable.KEY_BYTES + " bytes, was " + key.length);
      }
      if (value.length != valueBytes) {
        throw new IllegalArgumentException(
            "values of this benchmark are " + valueBytes + " bytes, was " + value.length);
      }
      byte[] c = new byte[1 + key.length + value.length];
      c[0] = (byte) op;
      System.arraycopy(key, 0, c, 1, key.length);
      System.arraycopy(value, 0, c, 1 + key.length, value.length);
      return c;
    }

    @Override
    public byte[] encodePut(byte[] key, byte[] value, long ttlMs) {
      return encode('P', key, value, KeyValueTable.VALUE_BYTES);
    }

    @Override
    public byte[] encodeDelete(byte[] key) {
      return encode('D', key, new byte[0], 0);
    }

    @Override
    public byte[] get(MapMachine sm, byte[] key) {
      return sm.data.get(key);
    }

    @Override
    public long entryCount(MapMachine sm) {
      return sm.size;
    }

    @Override
    public long sizeBytes(MapMachine sm) {
      return 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    inFlight = new InFlightWindow(window);
    if (Integer.bitCount(keyCount) != 1) {
      throw new IllegalArgumentException("keyCount must be a power of two, was " + keyCount);
    }
    keys = new byte[keyCount][];
    for (int i = 0; i < keyCount; i++) {
      keys[i] = new byte[16];
      random.nextBytes(keys[i]);
    }
    net = new InMemoryNetwork(1 << 20);
    InProcessForwarder forwarder = new InProcessForwarder();
    Agent[] agents = new Agent[3];
    for (int i = 0; i < 3; i++) {
      hosts[i] =
          RaftHost.create(
              HostConfig.builder(i + 1)
                  .logStore(new MemoryLogStore())
                  .transport(net.join(i + 1))
                  .tickIntervalMs(10)
                  // The in-memory log keeps every entry until a snapshot: bound what all groups
                  // together retain the same way for every group count, or the garbage collector
                  // copies N times the live log with N groups.
                  .snapshotEntries(LOG_ENTRIES / shards)
                  .snapshotKeepEntries(LOG_ENTRIES / shards / 10)
                  .queueCapacity(1 << 17)
                  .build());
      if (threads.equals("shared")) {
        agents[i] = hosts[i].agent();
      } else if (threads.equals("dedicated")) {
        hosts[i].start();
      } else {
        throw new IllegalArgumentException("threads must be shared or dedicated, was " + threads);
      }
      MultiRaftCoordinator<MapMachine> c =
          MultiRaftCoordinator.builder(
                  ctx -> new MapMachine(machine.equals("map")), new MapAdapter())
              .numShards(shards)
              .replicas(1, 2, 3)
              .host(hosts[i])
              .forwarder(forwarder)
              .rebalanceIntervalMs(100)
              .operationTimeoutMs(30_000)
              .completionThread(completionThread())
              .build();
      forwarder.register(c);
      coordinators.add(c);
    }
    if (threads.equals("shared")) {
      runner = SharedLoop.start(agents);
    }
    for (MultiRaftCoordinator<MapMachine> c : coordinators) {
      c.start().join();
    }
    awaitActiveAndSpread();
    if (entry.equals("leader")) {
      entryNode = new int[keyCount];
      java.util.Map<Integer, Long> leaders = coordinators.get(0).shardLeaders();
      for (int k = 0; k < keyCount; k++) {
        int shard = coordinators.get(0).router().shardForKey(keys[k]);
        entryNode[k] = (int) (leaders.get(shard) - 1);
      }
    } else if (!entry.equals("any")) {
      throw new IllegalArgumentException("entry must be any or leader, was " + entry);
    }
  }

  private boolean completionThread() {
    if (!completions.equals("thread") && !completions.equals("host")) {
      throw new IllegalArgumentException("completions must be thread or host, was " + completions);
    }
    return completions.equals("thread");
  }

  /** Every shard active with one leader, and leader counts within one of each other. */
  private void awaitActiveAndSpread() {
    long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
    while (!activeAndSpread()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("shards did not become active with spread leaders");
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  private boolean activeAndSpread() {
    int[] led = new int[3];
    for (int s = 0; s < shards; s++) {
      int leaders = 0;
      for (int n = 0; n < 3; n++) {
        GroupView v = hosts[n].view(s);
        if (coordinators.get(n).shardState(s) != ShardState.ACTIVE || v == null) {
          return false;
        }
        if (v.isLeader()) {
          leaders++;
          led[n]++;
        }
      }
      if (leaders != 1) {
        return false;
      }
    }
    int min = Math.min(led[0], Math.min(led[1], led[2]));
    int max = Math.max(led[0], Math.max(led[1], led[2]));
    return max - min <= 1;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    inFlight.drain(60_000);
    // Leadership should stay put while measuring: report terms and failed attempts.
    long terms = 0;
    for (ShardInfo i : coordinators.get(0).shardInfo().join()) {
      terms += i.term();
    }
    long failed = 0;
    for (MultiRaftCoordinator<MapMachine> c : coordinators) {
      failed += c.stats().failedOperations();
    }
    System.out.printf(
        "%nsum of shard terms at the end: %d; failed operations: %d; messages per put: %.3f%n",
        terms, failed, (double) net.delivered() / issued);
    for (MultiRaftCoordinator<MapMachine> c : coordinators) {
      c.close();
    }
    if (runner != null) {
      runner.close();
    }
    for (RaftHost h : hosts) {
      h.close();
    }
  }

  /**
   * {@value #BATCH} puts routed by key over the shards, each issued as soon as the window of {@link
   * #window} has room.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putInFlight() {
    int k = next;
    int n = nextNode;
    for (int i = 0; i < BATCH; i++) {
      inFlight.acquire();
      inFlight.track(coordinators.get(entryNode == null ? n : entryNode[k]).put(keys[k], value));
      k = (k + 1) & (keyCount - 1);
      n = n == 2 ? 0 : n + 1;
    }
    next = k;
    nextNode = n;
    issued += BATCH;
  }
}
