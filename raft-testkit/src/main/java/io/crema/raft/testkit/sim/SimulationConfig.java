package io.crema.raft.testkit.sim;

/**
 * What a simulation run does. All probabilities are per opportunity (per message for network
 * faults, per fault event for the rest).
 *
 * @param seed the run's seed: the run is a pure function of it
 * @param steps events to process before the final liveness check
 * @param initialVoters voters 1..initialVoters at bootstrap
 * @param spareNodes nodes that exist but are not members until added
 * @param dropRate probability a message is lost
 * @param duplicateRate probability a message is delivered twice
 * @param maxDelayMicros messages take 1..maxDelayMicros of virtual time (so they reorder)
 * @param clockSkew each node's tick period is 1 ms scaled by a factor in [1 - skew, 1 + skew]
 * @param faultEveryMicros mean virtual time between fault events
 * @param pipelineDepth Readies a node may have handed out and not yet acknowledged (1: each is
 *     persisted and acknowledged before the next is taken; more: asynchronous storage writes, the
 *     next Ready is taken while earlier ones are still being synced)
 */
public record SimulationConfig(
    long seed,
    int steps,
    int initialVoters,
    int spareNodes,
    double dropRate,
    double duplicateRate,
    int maxDelayMicros,
    double clockSkew,
    int faultEveryMicros,
    int pipelineDepth) {

  public SimulationConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    if (initialVoters < 1 || initialVoters > 7) {
      throw new IllegalArgumentException("initialVoters must be in [1, 7], was " + initialVoters);
    }
    if (spareNodes < 0) {
      throw new IllegalArgumentException("spareNodes must be >= 0, was " + spareNodes);
    }
    if (dropRate < 0 || dropRate >= 1 || duplicateRate < 0 || duplicateRate >= 1) {
      throw new IllegalArgumentException(
          "dropRate and duplicateRate must be in [0, 1), were " + dropRate + ", " + duplicateRate);
    }
    if (maxDelayMicros < 1 || faultEveryMicros < 1) {
      throw new IllegalArgumentException("maxDelayMicros and faultEveryMicros must be >= 1");
    }
    if (pipelineDepth < 1 || pipelineDepth > 64) {
      throw new IllegalArgumentException("pipelineDepth must be in [1, 64], was " + pipelineDepth);
    }
    if (clockSkew < 0 || clockSkew >= 0.5) {
      throw new IllegalArgumentException("clockSkew must be in [0, 0.5), was " + clockSkew);
    }
  }

  /**
   * The default mix: 3 voters, 2 spares, every fault enabled; the pipeline depth is 1 to 4, chosen
   * by the seed (apart from the run's own random stream).
   */
  public static SimulationConfig defaults(long seed, int steps) {
    int depth = 1 + (int) Math.floorMod(seed * 0x9E3779B97F4A7C15L >>> 32, 4L);
    return new SimulationConfig(seed, steps, 3, 2, 0.05, 0.02, 3_000, 0.1, 20_000, depth);
  }

  /** The same run with another pipeline depth. */
  public SimulationConfig withPipelineDepth(int depth) {
    return new SimulationConfig(
        seed,
        steps,
        initialVoters,
        spareNodes,
        dropRate,
        duplicateRate,
        maxDelayMicros,
        clockSkew,
        faultEveryMicros,
        depth);
  }
}
