package io.crema.raft.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over many seeds with every fault enabled. Sizes come from system properties:
 * -Dsim.seeds (default 500 in CI), -Dsim.steps (default 5000), -Dsim.seed=S to rerun one seed,
 * -Dsim.base=B for the first seed.
 */
class SimulationTest {
  private static final int SEEDS = Integer.getInteger("sim.seeds", 500);
  private static final int STEPS = Integer.getInteger("sim.steps", 5000);
  private static final long BASE = Long.getLong("sim.base", 1L);

  /**
   * Seeds that once found a bug, replayed on every build. 304005: a candidate removed from the
   * group by a configuration change it applied mid-election went on to win it and became a leader
   * with no progress of its own (NullPointerException in becomeLeader).
   */
  private static final long[] REGRESSION_SEEDS = {288, 304005};

  @Test
  void seedsThatFoundBugsStillPass() {
    for (long seed : REGRESSION_SEEDS) {
      try {
        // Depth 1: the runs that found these bugs took one Ready at a time.
        Simulation.run(SimulationConfig.defaults(seed, STEPS).withPipelineDepth(1));
      } catch (SimulationFailure f) {
        throw new AssertionError("regression seed " + seed + ": " + f.getMessage(), f);
      }
    }
  }

  @Test
  void manySeedsKeepEveryInvariant() {
    Long only = Long.getLong("sim.seed");
    LongStream seeds = only != null ? LongStream.of(only) : LongStream.range(BASE, BASE + SEEDS);
    List<SimulationFailure> failures = new ArrayList<>();
    AtomicLong crashes = new AtomicLong();
    AtomicLong partitions = new AtomicLong();
    AtomicLong confChanges = new AtomicLong();
    AtomicLong snapshots = new AtomicLong();
    AtomicLong transfers = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    AtomicLong dups = new AtomicLong();
    AtomicLong pipelined = new AtomicLong();
    seeds
        .parallel()
        .forEach(
            seed -> {
              try {
                SimulationResult r = Simulation.run(SimulationConfig.defaults(seed, STEPS));
                crashes.addAndGet(r.crashes());
                partitions.addAndGet(r.partitions());
                confChanges.addAndGet(r.confChanges());
                snapshots.addAndGet(r.snapshotsInstalled());
                transfers.addAndGet(r.transfers());
                reads.addAndGet(r.readsServed());
                dups.addAndGet(r.messagesDuplicated());
                pipelined.addAndGet(r.pipelinedReadies());
              } catch (SimulationFailure f) {
                synchronized (failures) {
                  failures.add(f);
                }
              }
            });
    if (!failures.isEmpty()) {
      failures.sort((a, b) -> Long.compare(a.seed(), b.seed()));
      AssertionError e =
          new AssertionError(
              failures.size()
                  + " seed(s) failed: "
                  + failures.stream().map(f -> String.valueOf(f.seed())).toList()
                  + "\nfirst: "
                  + failures.get(0).getMessage(),
              failures.get(0));
      throw e;
    }
    System.out.printf(
        "simulation: %d seeds x %d steps; crashes=%d partitions=%d confChanges=%d"
            + " snapshotInstalls=%d transfers=%d readsChecked=%d duplicates=%d"
            + " pipelinedReadies=%d%n",
        only != null ? 1 : SEEDS,
        STEPS,
        crashes.get(),
        partitions.get(),
        confChanges.get(),
        snapshots.get(),
        transfers.get(),
        reads.get(),
        dups.get(),
        pipelined.get());
    if (only == null && SEEDS >= 50) {
      // The fault mix really happened.
      assertTrue(crashes.get() > 0, "crashes");
      assertTrue(partitions.get() > 0, "partitions");
      assertTrue(confChanges.get() > 0, "conf changes");
      assertTrue(snapshots.get() > 0, "snapshot installs");
      assertTrue(transfers.get() > 0, "transfers");
      assertTrue(reads.get() > 0, "reads");
      assertTrue(dups.get() > 0, "duplicates");
      assertTrue(pipelined.get() > 0, "Readies taken while earlier ones were persisting");
    }
  }

  @Test
  void sameSeedSameRun() {
    SimulationResult a = Simulation.run(SimulationConfig.defaults(77, 3000));
    SimulationResult b = Simulation.run(SimulationConfig.defaults(77, 3000));
    assertEquals(a, b);
  }
}
