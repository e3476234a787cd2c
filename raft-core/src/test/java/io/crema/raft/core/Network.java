package io.crema.raft.core;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.LogBatch;
import io.crema.raft.Message;
import io.crema.raft.storage.MemoryLogStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A synchronous test network of Raft nodes: each node's Ready is persisted, its messages delivered
 * and its committed entries applied until nothing moves. Links can be cut and messages filtered, so
 * scripted tests read as the scenario they check.
 */
final class Network {
  /** One node: its storage, algorithm and what it applied. */
  static final class Node {
    final long id;
    MemoryLogStore store;
    RaftNode raft;
    final List<Entry> applied = new ArrayList<>();
    final List<ReadState> reads = new ArrayList<>();

    Node(long id) {
      this.id = id;
    }

    List<byte[]> appliedData() {
      List<byte[]> out = new ArrayList<>();
      for (Entry e : applied) {
        if (e.type() == EntryType.NORMAL && e.data().length > 0) {
          out.add(e.data());
        }
      }
      return out;
    }
  }

  final TreeMap<Long, Node> nodes = new TreeMap<>();
  private final Set<Long> cut = new HashSet<>();
  private final Set<String> droppedLinks = new HashSet<>();
  private final List<Predicate<Message>> filters = new ArrayList<>();
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  final List<Message> delivered = new ArrayList<>();
  private final Consumer<RaftConfig.Builder> configurer;

  /** A network of the given voters, all bootstrapped with them. */
  static Network of(long... voters) {
    return new Network(b -> {}, voters);
  }

  Network(Consumer<RaftConfig.Builder> configurer, long... voters) {
    this.configurer = configurer;
    for (long id : voters) {
      Node n = new Node(id);
      n.store = new MemoryLogStore(true);
      Bootstrap.bootstrap(n.store, 0, voters);
      n.raft = RaftNode.create(config(id), n.store.group(0));
      nodes.put(id, n);
    }
    settle();
  }

  private RaftConfig config(long id) {
    RaftConfig.Builder b =
        RaftConfig.builder(id).electionTick(10).heartbeatTick(1).randomSeed(id * 7919);
    configurer.accept(b);
    return b.build();
  }

  /** Adds a node that is not a member yet (it learns the membership from the leader). */
  Node addEmptyNode(long id) {
    Node n = new Node(id);
    n.store = new MemoryLogStore(true);
    n.raft = RaftNode.create(config(id), n.store.group(0));
    nodes.put(id, n);
    return n;
  }

  /** Simulates a crash and restart: unsynced writes are lost, volatile state is rebuilt. */
  void crashAndRestart(long id) {
    Node n = nodes.get(id);
    n.store.crash();
    n.raft = RaftNode.create(config(id), n.store.group(0));
    n.applied.clear();
    n.reads.clear();
  }

  Node node(long id) {
    return nodes.get(id);
  }

  RaftNode raft(long id) {
    return nodes.get(id).raft;
  }

  /** Isolates a node: nothing reaches it and nothing leaves it. */
  void isolate(long id) {
    cut.add(id);
  }

  void heal() {
    cut.clear();
    droppedLinks.clear();
    filters.clear();
  }

  /** Drops messages from a to b (one way). */
  void dropLink(long from, long to) {
    droppedLinks.add(from + ">" + to);
  }

  /** Drops every message matching the predicate. */
  void dropIf(Predicate<Message> p) {
    filters.add(p);
  }

  /** Starts an election on a node and lets the network settle. */
  void campaign(long id) {
    raft(id).campaign();
    settle();
  }

  /** Ticks a node n times, settling after each tick. */
  void tick(long id, int n) {
    for (int i = 0; i < n; i++) {
      raft(id).tick();
      settle();
    }
  }

  /** Ticks every node n times. */
  void tickAll(int n) {
    for (int i = 0; i < n; i++) {
      for (Node node : nodes.values()) {
        node.raft.tick();
      }
      settle();
    }
  }

  void propose(long id, String data) {
    raft(id).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    settle();
  }

  /** Processes Readys and delivers messages until nothing is left. */
  void settle() {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      for (Node n : nodes.values()) {
        if (n.raft.hasReady()) {
          handleReady(n);
          moved = true;
        }
      }
      while (!inFlight.isEmpty()) {
        Message m = inFlight.poll();
        Node to = nodes.get(m.to());
        if (to == null) {
          continue;
        }
        delivered.add(m);
        if (m.type() == io.crema.raft.MessageType.SNAPSHOT) {
          // The snapshot's data travels with it: the receiver's state becomes the sender's prefix.
          pendingSnapshotData.put(
              m.to(), prefix(nodes.get(m.from()).applied, m.snapshot().index()));
        }
        to.raft.step(m);
        if (m.type() == io.crema.raft.MessageType.SNAPSHOT && nodes.containsKey(m.from())) {
          nodes.get(m.from()).raft.reportSnapshot(m.to(), true);
        }
        moved = true;
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("network did not settle");
  }

  private final java.util.Map<Long, List<Entry>> pendingSnapshotData = new java.util.HashMap<>();

  private static List<Entry> prefix(List<Entry> applied, long index) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : applied) {
      if (e.index() <= index) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Takes a snapshot on a node at its applied index and compacts its log below {@code keepFrom}
   * (which must be at most the snapshot index + 1).
   */
  void snapshotAndCompact(long id, long keepFrom) {
    Node n = nodes.get(id);
    long index = n.raft.appliedIndex();
    long term = n.store.group(0).term(index);
    LogBatch b = new LogBatch();
    b.add(0, new io.crema.raft.SnapshotMeta(index, term, n.raft.confState()), List.of(), null);
    n.store.append(b);
    n.store.sync();
    n.store.compact(0, keepFrom);
  }

  private void handleReady(Node n) {
    Ready rd = n.raft.ready();
    if (rd.snapshot() != null) {
      List<Entry> data = pendingSnapshotData.remove(n.id);
      n.applied.clear();
      n.applied.addAll(data);
    }
    rd.messages().forEach(this::enqueue);
    LogBatch batch = rd.addTo(new LogBatch(), 0);
    if (!batch.isEmpty()) {
      n.store.append(batch);
      n.store.sync();
    }
    rd.messagesAfterPersist().forEach(this::enqueue);
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        n.raft.applyConfChange(ConfChange.decode(e.data()));
      }
      n.applied.add(e);
    }
    n.reads.addAll(rd.readStates());
    n.raft.advance(rd);
  }

  private void enqueue(Message m) {
    if (cut.contains(m.from()) || cut.contains(m.to())) {
      return;
    }
    if (droppedLinks.contains(m.from() + ">" + m.to())) {
      return;
    }
    for (Predicate<Message> f : filters) {
      if (f.test(m)) {
        return;
      }
    }
    inFlight.add(m);
  }

  /** The single leader among the nodes, or 0. */
  long leader() {
    long leader = 0;
    for (Node n : nodes.values()) {
      if (n.raft.isLeader()) {
        if (leader != 0) {
          throw new AssertionError("two leaders: " + leader + " and " + n.id);
        }
        leader = n.id;
      }
    }
    return leader;
  }
}
