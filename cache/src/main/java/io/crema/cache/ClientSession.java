package io.crema.cache;

import io.crema.cache.statemachine.RequestId;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * Numbers this node's write requests for exactly-once application. Requests travel on "lanes": a
 * lane is a client id with one request in flight at a time, like a connection. So each replica's
 * deduplication table needs to remember one result per lane, whatever the concurrency, and a
 * request can never be mistaken for an old one because others overtook it on the way to the leader.
 * A retry reuses its request's id (it keeps its lane until {@link #done}). Thread-safe.
 */
final class ClientSession {
  /** A client id and its last sequence number. */
  static final class Lane {
    final long clientId;
    long seq;
    RequestId current;

    Lane(long clientId) {
      this.clientId = clientId;
    }
  }

  private final SecureRandom random = new SecureRandom();
  // Bounded array queue: freeing a lane (on the event loop, per write) allocates nothing. It never
  // fills, as at most maxLanes lanes exist.
  private final ManyToManyConcurrentArrayQueue<Lane> free;
  private final AtomicInteger lanes = new AtomicInteger();
  private final int maxLanes;

  /**
   * @param maxLanes most writes in flight at once from this node
   */
  ClientSession(int maxLanes) {
    this.maxLanes = maxLanes;
    this.free = new ManyToManyConcurrentArrayQueue<>(maxLanes);
  }

  /**
   * Takes a lane for a new request.
   *
   * @throws CacheOverloadedException if {@code maxLanes} writes are already in flight
   */
  Lane next() {
    Lane lane = free.poll();
    if (lane == null) {
      if (lanes.incrementAndGet() > maxLanes) {
        lanes.decrementAndGet();
        throw new CacheOverloadedException(
            maxLanes
                + " writes are in flight from this node (the limit); wait for some to complete");
      }
      long id = 0;
      while (id == 0) {
        id = random.nextLong();
      }
      lane = new Lane(id);
    }
    lane.seq++;
    lane.current = new RequestId(lane.clientId, lane.seq, lane.seq - 1);
    return lane;
  }

  /** The request on this lane has an outcome: the lane is free again. */
  void done(Lane lane) {
    if (!free.offer(lane)) {
      lanes.decrementAndGet();
    }
  }
}
