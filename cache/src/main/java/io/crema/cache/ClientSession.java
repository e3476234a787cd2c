package io.crema.cache;

import io.crema.cache.statemachine.RequestId;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers this node's write requests for exactly-once application: a random client id, a sequence
 * per request, and the highest sequence below which every request has an outcome (so the replicas
 * may forget those results). A retry reuses its request's id. Thread-safe.
 */
final class ClientSession {
  private final long clientId;
  private final AtomicLong seq = new AtomicLong();
  private final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();

  ClientSession() {
    long id = 0;
    SecureRandom random = new SecureRandom();
    while (id == 0) {
      id = random.nextLong();
    }
    this.clientId = id;
  }

  long clientId() {
    return clientId;
  }

  /** A new request id; call {@link #done} once its outcome is known. */
  RequestId next() {
    long s = seq.incrementAndGet();
    outstanding.add(s);
    Long first = outstanding.first();
    long acked = Math.min(first, s) - 1;
    return new RequestId(clientId, s, acked);
  }

  void done(RequestId id) {
    outstanding.remove(id.seq());
  }
}
