package io.crema.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.benchmarks.BenchSupport;
import io.crema.benchmarks.suite.SuitePlan.Spec;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.options.Options;

/** The plans against the benchmarks compiled into this module (JMH's generated list). */
class SuitePlanTest {
  private static final List<BenchmarkListEntry> IN_JAR = SuitePlan.benchmarksInJar();

  @Test
  void quickProfileFitsItsBudget() {
    double seconds = SuitePlan.quick().estimateSeconds(IN_JAR, null);
    assertTrue(
        seconds < SuitePlan.QUICK_BUDGET_MINUTES * 60 * 0.75,
        "quick plan estimated at " + seconds / 60 + " min: keep a margin under the budget");
  }

  @Test
  void everyBenchmarkInTheJarIsInBothProfiles() {
    assertFalse(IN_JAR.isEmpty());
    for (SuitePlan plan : List.of(SuitePlan.quick(), SuitePlan.full())) {
      for (BenchmarkListEntry e : IN_JAR) {
        boolean covered = false;
        for (Spec s : plan.specs()) {
          covered |= !s.select(List.of(e), null).isEmpty();
        }
        assertTrue(covered, e.getUsername() + " is not in the " + plan.profile().label() + " plan");
      }
    }
  }

  @Test
  void everyForkRunsTheSameCollector() {
    for (BenchmarkListEntry e : IN_JAR) {
      List<String> args = List.copyOf(e.getJvmArgsAppend().orElse(List.of()));
      assertFalse(args.isEmpty(), e.getUsername() + " has no @Fork(jvmArgsAppend)");
      assertEquals(BenchSupport.GC, args.get(0), e.getUsername() + " forks with " + args);
    }
  }

  @Test
  void fullProfileHasAtLeastTwoForksEverywhere() {
    for (Spec s : SuitePlan.full().specs()) {
      assertTrue(s.forks >= 2, s.name());
    }
  }

  @Test
  void includeFilterAndAbsentBenchmarks() {
    SuitePlan quick = SuitePlan.quick();
    Pattern only = Pattern.compile("limit\\.");
    double filtered = quick.estimateSeconds(IN_JAR, only);
    assertTrue(filtered > 0 && filtered < quick.estimateSeconds(IN_JAR, null));
    String described = quick.describe(IN_JAR, only);
    assertTrue(described.contains("limit.CaffeinePutBenchmark"), described);
    assertTrue(described.contains("not selected by --include"), described);
    assertEquals(0, quick.estimateSeconds(IN_JAR, Pattern.compile("NoSuchBenchmark")));
  }

  @Test
  void optionsCarryEachParameterValueOnce() {
    Spec aeron = null;
    for (Spec s : SuitePlan.quick().specs()) {
      if (s.name().equals("transport.AeronTransportBenchmark")) {
        aeron = s;
      }
    }
    List<BenchmarkListEntry> selected = aeron.select(IN_JAR, null);
    assertEquals(2, selected.size()); // append and heartbeatRoundTrip
    Options o = Suite.options(aeron, selected);
    Collection<String> mtu = o.getParameter("mtu").get();
    assertEquals(List.of("8192"), List.copyOf(mtu));
    assertEquals(2, aeron.trials(selected)); // one parameter combination per method
    assertEquals(2, o.getIncludes().size());
  }
}
