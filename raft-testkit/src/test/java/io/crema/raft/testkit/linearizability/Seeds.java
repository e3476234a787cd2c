package io.crema.raft.testkit.linearizability;

/**
 * Seeds for the randomised tests. {@code -Dlin.seed=N} sets the first seed (run i uses seed N+i)
 * and {@code -Dlin.runs=N} the number of runs, so a failure message's "-Dlin.seed=S -Dlin.runs=1"
 * replays exactly the failing history.
 */
final class Seeds {
  private static final long DEFAULT_SEED = 0x5EED_C0FFEEL;

  private Seeds() {}

  static long base() {
    return Long.getLong("lin.seed", DEFAULT_SEED);
  }

  static int runs(int defaultRuns) {
    return Integer.getInteger("lin.runs", defaultRuns);
  }

  static String replay(long seed) {
    return "seed " + seed + " (replay with -Dlin.seed=" + seed + " -Dlin.runs=1)";
  }
}
