package io.crema.raft.testkit.host;

import io.crema.raft.node.GroupView;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.storage.MemorySnapshotStore;
import io.crema.raft.transport.InMemoryNetwork;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Real hosts on dedicated threads in one JVM, over an {@link InMemoryNetwork}, with in-memory log
 * and snapshot stores that survive a node's restart (as disks would). Each node runs group 0 with a
 * {@link KvStateMachine}.
 */
public final class HostCluster implements AutoCloseable {
  /** One node: its durable stores and, while running, its host and state machine. */
  public static final class Node {
    public final long id;
    public final MemoryLogStore log = new MemoryLogStore(true);
    public final MemorySnapshotStore snapshots = new MemorySnapshotStore();
    public RaftHost host;
    public KvStateMachine kv;
    io.crema.raft.transport.InMemoryTransport transport;

    Node(long id) {
      this.id = id;
    }
  }

  public final InMemoryNetwork network = new InMemoryNetwork();
  private final TreeMap<Long, Node> nodes = new TreeMap<>();
  private final Consumer<HostConfig.Builder> settings;
  private final long[] voters;

  /** Starts nodes 1..n, all voters of group 0. */
  public HostCluster(int n, Consumer<HostConfig.Builder> settings) {
    this.settings = settings;
    this.voters = new long[n];
    for (int i = 0; i < n; i++) {
      voters[i] = i + 1;
    }
    for (long id : voters) {
      Node node = new Node(id);
      nodes.put(id, node);
      start(node, voters);
    }
  }

  private void start(Node n, long[] initialVoters) {
    n.transport = network.join(n.id);
    HostConfig.Builder b =
        HostConfig.builder(n.id)
            .logStore(n.log)
            .snapshotStore(n.snapshots)
            .transport(n.transport)
            .tickIntervalMs(5)
            // 150-300 ms election timeouts: fast, yet robust to GC pauses on a loaded 2-core box.
            .electionTick(30);
    settings.accept(b);
    n.host = RaftHost.create(b.build()).start();
    n.kv = new KvStateMachine();
    n.host.startGroup(0, n.kv, initialVoters).join();
  }

  public Node node(long id) {
    return nodes.get(id);
  }

  public RaftHost host(long id) {
    return nodes.get(id).host;
  }

  /** The node that leads group 0 now (by the nodes' own views), or 0. */
  public long leader() {
    for (Node n : nodes.values()) {
      if (n.host != null) {
        GroupView v = n.host.view(0);
        if (v != null && v.isLeader()) {
          return n.id;
        }
      }
    }
    return 0;
  }

  /**
   * Writes through whichever node leads, retrying while leadership moves (a refusal or an entry
   * superseded by a new leader was not applied; a put is idempotent, so retrying a timeout is safe
   * too).
   *
   * @throws IllegalStateException if no attempt succeeds within 30 s
   */
  public Object put(String key, String value) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      long l = leader();
      if (l == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        continue;
      }
      try {
        return host(l)
            .propose(0, KvStateMachine.put(key, value))
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof io.crema.raft.node.RaftOperationException)
            || !((io.crema.raft.node.RaftOperationException) e.getCause()).retryable()) {
          throw new IllegalStateException("put " + key + " failed", e.getCause());
        }
        last = (RuntimeException) e.getCause();
      } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
        last = new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("put " + key + " did not succeed within 30 s", last);
  }

  /** Stops a node's host (its stores survive; unsynced log writes are lost as in a crash). */
  public void crash(long id) {
    Node n = nodes.get(id);
    n.host.close();
    n.host = null;
    n.transport.close();
    n.log.crash();
  }

  /** Restarts a crashed node on its stores. */
  public void restart(long id) {
    start(nodes.get(id), voters);
  }

  /** Adds a node that is not a member yet; it joins group 0 when the leader adds it. */
  public Node addNode(long id) {
    Node n = new Node(id);
    nodes.put(id, n);
    start(n, new long[0]);
    return n;
  }

  @Override
  public void close() {
    for (Node n : nodes.values()) {
      if (n.host != null) {
        n.host.close();
        n.transport.close();
      }
    }
  }
}
