package io.crema.benchmarks.peers;

import static io.crema.benchmarks.peers.PeerSupport.BATCH;
import static io.crema.benchmarks.peers.PeerSupport.IN_FLIGHT;
import static io.crema.benchmarks.peers.PeerSupport.SETUP_TIMEOUT_S;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.InFlightWindow;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the peer benchmarks do the same way: {@value PeerSupport#IN_FLIGHT} keys, one committed
 * write per key before measuring, a window of writes kept full while measuring, and at the end a
 * check that every node holds each key's last round. A subclass says how to write and check, and
 * keeps its JMH annotations (so its benchmark names stay its own).
 */
abstract class PeerBenchmark {
  final byte[][] keys = new byte[IN_FLIGHT][];
  // What each key was last written with (the first value byte), checked on every node at the end.
  final byte[] lastRound = new byte[IN_FLIGHT];
  private final CompletableFuture<?>[] firstRound = new CompletableFuture<?>[IN_FLIGHT];
  private final InFlightWindow window = new InFlightWindow(IN_FLIGHT);
  private int next;
  long issued;

  /** Starts the nodes and waits for a leader (then {@link #writeFirstRound}). */
  abstract void start() throws Exception;

  /** Writes key {@code k} with its round {@code lastRound[k]}; completes once committed. */
  abstract CompletableFuture<?> write(int k);

  /** Every node applied every write and holds each key's last round (throws if not). */
  abstract void checkReplicated() throws Exception;

  /** Stops the nodes and frees what they hold. */
  abstract void close() throws Exception;

  /** Starts; on failure closes what was started, then rethrows. */
  void startOrClose() throws Exception {
    try {
      start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** After the nodes are up: one committed write per key (as ShardThroughputBenchmark does). */
  void writeFirstRound() throws Exception {
    for (int i = 0; i < IN_FLIGHT; i++) {
      keys[i] = BenchSupport.key(i);
    }
    for (int i = 0; i < IN_FLIGHT; i++) {
      lastRound[i]++;
      firstRound[i] = write(i);
    }
    issued += IN_FLIGHT;
    CompletableFuture.allOf(firstRound).get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** {@value PeerSupport#BATCH} writes, each issued as soon as the window has room. */
  void writeBatch() {
    int k = next;
    for (int i = 0; i < BATCH; i++) {
      window.acquire();
      lastRound[k]++;
      window.track(write(k));
      k = k + 1 == IN_FLIGHT ? 0 : k + 1;
    }
    next = k;
    issued += BATCH;
  }

  /** Waits for the writes in flight, checks replication, then closes (whatever happened). */
  void finish() throws Exception {
    try {
      window.drain(SETUP_TIMEOUT_S * 1_000);
      checkReplicated();
    } finally {
      close();
    }
  }
}
