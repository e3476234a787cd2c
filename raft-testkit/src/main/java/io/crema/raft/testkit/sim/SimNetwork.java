package io.crema.raft.testkit.sim;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network's fault state: directed links that are cut (a symmetric partition cuts both
 * ways), message loss, duplication and random delay (which reorders).
 */
final class SimNetwork {
  private final SimulationConfig config;
  private final SplittableRandom random;
  private final Set<Long> cutLinks = new HashSet<>();

  SimNetwork(SimulationConfig config, SplittableRandom random) {
    this.config = config;
    this.random = random;
  }

  private static long link(long from, long to) {
    return from * 1_000_000L + to;
  }

  boolean connected(long from, long to) {
    return !cutLinks.contains(link(from, to));
  }

  void cut(long from, long to) {
    cutLinks.add(link(from, to));
  }

  /** Separates the two sides both ways. */
  void partition(long[] side, long[] other) {
    for (long a : side) {
      for (long b : other) {
        cut(a, b);
        cut(b, a);
      }
    }
  }

  void healAll() {
    cutLinks.clear();
  }

  boolean partitioned() {
    return !cutLinks.isEmpty();
  }

  boolean drop() {
    return random.nextDouble() < config.dropRate();
  }

  boolean duplicate() {
    return random.nextDouble() < config.duplicateRate();
  }

  long delayMicros() {
    return 1 + random.nextInt(config.maxDelayMicros());
  }
}
