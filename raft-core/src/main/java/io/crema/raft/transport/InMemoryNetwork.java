package io.crema.raft.transport;

import io.crema.raft.Message;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The wire between {@link InMemoryTransport}s of one JVM: a bounded inbox per node, and fault
 * injection (cut links, isolated nodes, random loss with a seed). Thread-safe: any thread may send;
 * each inbox has one reader.
 */
public final class InMemoryNetwork {
  /** Default inbox capacity per node, in messages. */
  public static final int DEFAULT_INBOX_CAPACITY = 1 << 16;

  private final int inboxCapacity;
  private final Map<Long, ManyToOneConcurrentArrayQueue<Message>> inboxes =
      new ConcurrentHashMap<>();
  private final Set<Long> cutLinks = ConcurrentHashMap.newKeySet();
  private final Set<Long> isolated = ConcurrentHashMap.newKeySet();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private volatile double dropRate;
  // Set by cut/isolate, cleared by heal: without faults a send looks nothing up (and boxes
  // nothing).
  private volatile boolean faults;
  private SplittableRandom random = new SplittableRandom(0);

  public InMemoryNetwork() {
    this(DEFAULT_INBOX_CAPACITY);
  }

  /**
   * @param inboxCapacity messages each node's inbox holds before sends to it are refused (>= 2)
   */
  public InMemoryNetwork(int inboxCapacity) {
    if (inboxCapacity < 2) {
      throw new IllegalArgumentException("inboxCapacity must be >= 2, was " + inboxCapacity);
    }
    this.inboxCapacity = inboxCapacity;
  }

  /**
   * Attaches a node and returns its transport.
   *
   * @throws IllegalStateException if the node is already attached
   */
  public InMemoryTransport join(long nodeId) {
    if (nodeId <= 0) {
      throw new IllegalArgumentException("node id must be > 0, was " + nodeId);
    }
    ManyToOneConcurrentArrayQueue<Message> inbox =
        new ManyToOneConcurrentArrayQueue<>(inboxCapacity);
    if (inboxes.putIfAbsent(nodeId, inbox) != null) {
      throw new IllegalStateException("node " + nodeId + " is already attached to this network");
    }
    return new InMemoryTransport(this, nodeId, inbox);
  }

  void leave(long nodeId) {
    inboxes.remove(nodeId);
  }

  private static long link(long from, long to) {
    return from * 1_000_003L + to;
  }

  /** Drops messages from {@code from} to {@code to} (one way) until healed. */
  public void cut(long from, long to) {
    cutLinks.add(link(from, to));
    faults = true;
  }

  /** Drops messages both ways between a and b until healed. */
  public void partition(long a, long b) {
    cut(a, b);
    cut(b, a);
  }

  /** Drops everything to and from a node until healed. */
  public void isolate(long nodeId) {
    isolated.add(nodeId);
    faults = true;
  }

  /** Removes every cut link and isolation (random loss stays as set). */
  public void heal() {
    faults = false;
    cutLinks.clear();
    isolated.clear();
  }

  /** Loses each message with the given probability, drawn from a generator with the given seed. */
  public synchronized void dropRate(double rate, long seed) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("drop rate must be in [0, 1), was " + rate);
    }
    this.random = new SplittableRandom(seed);
    this.dropRate = rate;
  }

  private synchronized boolean randomDrop() {
    return random.nextDouble() < dropRate;
  }

  /** Messages lost to faults or full inboxes so far. */
  public long dropped() {
    return dropped.get();
  }

  public long delivered() {
    return delivered.get();
  }

  boolean send(Message m) {
    long from = m.from();
    long to = m.to();
    if ((faults
            && (isolated.contains(from)
                || isolated.contains(to)
                || cutLinks.contains(link(from, to))))
        || (dropRate > 0 && randomDrop())) {
      dropped.incrementAndGet();
      return false;
    }
    ManyToOneConcurrentArrayQueue<Message> inbox = inboxes.get(to);
    if (inbox == null || !inbox.offer(m)) {
      dropped.incrementAndGet();
      return false;
    }
    delivered.incrementAndGet();
    return true;
  }
}
