package io.crema.raft.testkit.sim;

import java.util.List;

/** A simulation run broke an invariant: carries the seed, the step and the last events. */
public final class SimulationFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** Thrown inside the run; wrapped with the seed and trace by {@link Simulation#run()}. */
  static final class Violation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
      super(message);
    }
  }

  private final long seed;
  private final long step;

  SimulationFailure(long seed, long step, String what, List<String> trace, Throwable cause) {
    super(
        "simulation seed "
            + seed
            + " failed at step "
            + step
            + ": "
            + what
            + "\nrerun: -Dsim.seed="
            + seed
            + " (same steps)\nlast events (oldest first):\n  "
            + String.join("\n  ", trace),
        cause);
    this.seed = seed;
    this.step = step;
  }

  public long seed() {
    return seed;
  }

  public long step() {
    return step;
  }
}
