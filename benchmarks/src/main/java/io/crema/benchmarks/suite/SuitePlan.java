package io.crema.benchmarks.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * What a profile runs: a list of {@link Spec}s (one JMH run each: which benchmarks, which
 * parameters, forks and iterations) and the time budget they take, estimated from the benchmarks
 * actually present in the jar (JMH's generated benchmark list), so optional benchmarks (the peers)
 * count only when they are there.
 */
public final class SuitePlan {
  /** Package of every benchmark; reports and specs name benchmarks relative to it. */
  public static final String PACKAGE = "io.crema.benchmarks.";

  /**
   * Seconds per trial besides setup and iterations: forking and starting the JVM, loading classes,
   * tearing down; measured at about 1.5-2 s on the project's box.
   */
  static final double FORK_OVERHEAD_SECONDS = 2.0;

  /** The quick profile must finish within this on the project's 2-core box. */
  public static final double QUICK_BUDGET_MINUTES = 15.0;

  /** The profiles. */
  public enum Profile {
    QUICK,
    FULL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Profile parse(String s) {
      for (Profile p : values()) {
        if (p.label().equals(s)) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown profile '" + s + "' (quick or full)");
    }
  }

  /** One JMH run: the benchmarks of one class (or one method) with their settings. */
  public static final class Spec {
    final String name;
    final Pattern include;
    final Map<String, String[]> params = new LinkedHashMap<>();
    boolean optional;
    boolean firstParamValues;
    int forks = 1;
    int warmupIterations = 3;
    int warmupSeconds = 1;
    int measurementIterations = 5;
    int measurementSeconds = 1;
    double setupSeconds = 1;
    double singleShotSeconds = 1;

    /** Benchmarks whose name starts with {@link #PACKAGE} + {@code name} + ".". */
    Spec(String name) {
      this.name = name;
      this.include = Pattern.compile("^" + Pattern.quote(PACKAGE + name + "."));
    }

    public String name() {
      return name;
    }

    Spec param(String param, String... values) {
      params.put(param, values);
      return this;
    }

    /** Absent from the jar is fine (benchmarks added on other branches). */
    Spec optional() {
      optional = true;
      return this;
    }

    /** Every parameter not set here takes only its first declared value. */
    Spec firstParamValues() {
      firstParamValues = true;
      return this;
    }

    Spec forks(int n) {
      forks = n;
      return this;
    }

    Spec warmup(int iterations, int seconds) {
      warmupIterations = iterations;
      warmupSeconds = seconds;
      return this;
    }

    Spec measurement(int iterations, int seconds) {
      measurementIterations = iterations;
      measurementSeconds = seconds;
      return this;
    }

    /** Estimated seconds of trial setup (cluster start, data loading), for the budget. */
    Spec setup(double seconds) {
      setupSeconds = seconds;
      return this;
    }

    /** Estimated seconds of one single-shot iteration, for the budget. */
    Spec singleShot(double seconds) {
      singleShotSeconds = seconds;
      return this;
    }

    /** The benchmarks of this spec in the jar, also matching {@code filter} if not null. */
    List<BenchmarkListEntry> select(List<BenchmarkListEntry> all, Pattern filter) {
      List<BenchmarkListEntry> out = new ArrayList<>();
      for (BenchmarkListEntry e : all) {
        String n = e.getUsername();
        if (include.matcher(n).find() && (filter == null || filter.matcher(n).find())) {
          out.add(e);
        }
      }
      return out;
    }

    /** The parameter values this spec runs a benchmark with (declared, overridden or trimmed). */
    Map<String, String[]> effectiveParams(BenchmarkListEntry e) {
      Map<String, String[]> out = new LinkedHashMap<>();
      if (e.getParams().hasValue()) {
        for (Map.Entry<String, String[]> p : e.getParams().get().entrySet()) {
          String[] values = params.get(p.getKey());
          if (values == null) {
            values = p.getValue();
            if (firstParamValues && values.length > 1) {
              values = new String[] {values[0]};
            }
          }
          out.put(p.getKey(), values);
        }
      }
      return out;
    }

    /** Parameter combinations of one benchmark: one trial each (per fork). */
    int trials(BenchmarkListEntry e) {
      int n = 1;
      for (String[] values : effectiveParams(e).values()) {
        n *= values.length;
      }
      return n;
    }

    /** Estimated seconds of one trial (one fork of one parameter combination). */
    double trialSeconds(BenchmarkListEntry e) {
      double iterations;
      if (e.getMode() == Mode.SingleShotTime) {
        iterations = (warmupIterations + measurementIterations) * singleShotSeconds;
      } else {
        iterations =
            warmupIterations * (double) warmupSeconds
                + measurementIterations * (double) measurementSeconds;
      }
      return FORK_OVERHEAD_SECONDS + setupSeconds + iterations;
    }

    /** Estimated seconds of this spec over the given benchmarks. */
    double seconds(List<BenchmarkListEntry> selected) {
      double s = 0;
      for (BenchmarkListEntry e : selected) {
        s += (double) trials(e) * forks * trialSeconds(e);
      }
      return s;
    }

    /** Trials over the given benchmarks, counting forks. */
    int trials(List<BenchmarkListEntry> selected) {
      int n = 0;
      for (BenchmarkListEntry e : selected) {
        n += trials(e) * forks;
      }
      return n;
    }

    String settings() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "f %d, ", forks));
      if (warmupSeconds == 0 && measurementSeconds == 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "wi %d, i %d single shots of ~%.1f s",
                warmupIterations,
                measurementIterations,
                singleShotSeconds));
      } else {
        sb.append(
            String.format(
                Locale.ROOT,
                "wi %dx%ds, i %dx%ds",
                warmupIterations,
                warmupSeconds,
                measurementIterations,
                measurementSeconds));
      }
      for (Map.Entry<String, String[]> p : params.entrySet()) {
        sb.append(", ").append(p.getKey()).append('=').append(String.join(",", p.getValue()));
      }
      if (firstParamValues) {
        sb.append(", first value of other params");
      }
      return sb.toString();
    }
  }

  private final Profile profile;
  private final List<Spec> specs;

  private SuitePlan(Profile profile, List<Spec> specs) {
    this.profile = profile;
    this.specs = Collections.unmodifiableList(specs);
  }

  public Profile profile() {
    return profile;
  }

  public List<Spec> specs() {
    return specs;
  }

  /** The plan of a profile. */
  public static SuitePlan of(Profile profile) {
    return profile == Profile.QUICK ? quick() : full();
  }

  /**
   * Short forks and iterations, trimmed parameters: the whole suite in well under {@value
   * #QUICK_BUDGET_MINUTES} minutes on 2 cores. Every benchmark runs; what is trimmed is the
   * parameter grid (the configurations the report and the README quote are kept).
   */
  public static SuitePlan quick() {
    List<Spec> s = new ArrayList<>();
    s.add(new Spec("raft.RaftCoreBenchmark").warmup(3, 1).measurement(5, 1).setup(1));
    s.add(new Spec("host.HostThroughputBenchmark").warmup(3, 1).measurement(3, 1).setup(2));
    s.add(
        new Spec("transport.AeronTransportBenchmark")
            .param("mtu", "8192")
            .param("driverMaxParkUs", "1000")
            .warmup(3, 1)
            .measurement(3, 1)
            .setup(2));
    s.add(
        new Spec("wal.WalAppendBenchmark")
            .param("payloadBytes", "16", SuiteReport.PUT_COMMAND_BYTES)
            .param("batchEntries", "1", "1024")
            .param("sync", "true", "false")
            .warmup(2, 1)
            .measurement(3, 1)
            .setup(0.5));
    s.add(
        new Spec("wal.WalRecoveryBenchmark")
            .warmup(1, 0)
            .measurement(3, 0)
            .setup(3)
            .singleShot(0.5));
    s.add(new Spec("cache.StateMachineApplyBenchmark").warmup(2, 1).measurement(3, 2).setup(3));
    s.add(
        new Spec("cache.SnapshotBenchmark")
            .param("compression", "true")
            .warmup(1, 2)
            .measurement(3, 2)
            .setup(4));
    s.add(
        new Spec("cache.ShardThroughputBenchmark")
            .param("shards", "1", "4", "16")
            .warmup(3, 2)
            .measurement(3, 3)
            .setup(10));
    s.add(
        new Spec("cache.PutLatencyBenchmark")
            .param("rate", "90000")
            .param("shards", "1")
            .warmup(1, 0)
            .measurement(3, 0)
            .setup(7)
            .singleShot(3.5));
    s.add(
        new Spec("multiraft.MultiRaftThroughputBenchmark")
            .param("shards", "1", "4", "16", "64")
            .param("machine", "map")
            .warmup(3, 1)
            .measurement(3, 2)
            .setup(3));
    s.add(
        new Spec("multiraft.MultiRaftThroughputBenchmark")
            .param("shards", "1", "16")
            .param("machine", "count")
            .warmup(3, 1)
            .measurement(3, 2)
            .setup(3));
    s.add(peerComparison().warmup(3, 1).measurement(3, 2).setup(3));
    s.add(new Spec("limit.CaffeinePutBenchmark").warmup(3, 1).measurement(4, 1).setup(1));
    s.add(
        new Spec("peers.RatisBenchmark")
            .optional()
            .firstParamValues()
            .param("sync", "batch")
            .warmup(3, 2)
            .measurement(3, 3)
            .setup(10));
    s.add(
        new Spec("peers.MicroRaftBenchmark")
            .optional()
            .firstParamValues()
            .warmup(3, 1)
            .measurement(3, 2)
            .setup(3));
    return new SuitePlan(Profile.QUICK, s);
  }

  /**
   * Our in-memory figure set up like the MicroRaft benchmark: one shard, a hash-map state machine
   * over 4,096 keys, 4,096 puts in flight sent to the leader; the three hosts share one event loop
   * (on two cores this measured better than a thread each, and steadier) and each coordinator
   * completes its futures on its completion thread.
   */
  static Spec peerComparison() {
    return new Spec("multiraft.MultiRaftThroughputBenchmark")
        .param("shards", "1")
        .param("machine", "map")
        .param("keyCount", "4096")
        .param("entry", "leader")
        .param("threads", "shared")
        .param("window", "4096")
        .param("completions", "thread");
  }

  /** Two forks, longer iterations, every declared parameter: figures to publish. */
  public static SuitePlan full() {
    List<Spec> s = new ArrayList<>();
    s.add(new Spec("raft.RaftCoreBenchmark").forks(2).warmup(5, 2).measurement(5, 2).setup(1));
    s.add(
        new Spec("host.HostThroughputBenchmark").forks(2).warmup(3, 3).measurement(5, 3).setup(2));
    s.add(
        new Spec("transport.AeronTransportBenchmark")
            .forks(2)
            .warmup(3, 2)
            .measurement(5, 2)
            .setup(2));
    s.add(new Spec("wal.WalAppendBenchmark").forks(2).warmup(2, 1).measurement(5, 2).setup(0.5));
    s.add(
        new Spec("wal.WalRecoveryBenchmark")
            .forks(2)
            .warmup(2, 0)
            .measurement(5, 0)
            .setup(3)
            .singleShot(0.5));
    s.add(
        new Spec("cache.StateMachineApplyBenchmark")
            .forks(2)
            .warmup(3, 2)
            .measurement(5, 3)
            .setup(3));
    s.add(new Spec("cache.SnapshotBenchmark").forks(2).warmup(2, 3).measurement(5, 3).setup(4));
    s.add(
        new Spec("cache.ShardThroughputBenchmark")
            .forks(2)
            .warmup(3, 3)
            .measurement(5, 3)
            .setup(10));
    s.add(
        new Spec("cache.PutLatencyBenchmark")
            .param("rate", "20000", "50000", "90000")
            .forks(2)
            .warmup(2, 0)
            .measurement(5, 0)
            .setup(7)
            .singleShot(3.5));
    s.add(
        new Spec("multiraft.MultiRaftThroughputBenchmark")
            .forks(2)
            .warmup(3, 3)
            .measurement(5, 3)
            .setup(3));
    s.add(peerComparison().forks(2).warmup(3, 3).measurement(5, 3).setup(3));
    s.add(new Spec("limit.CaffeinePutBenchmark").forks(2).warmup(5, 1).measurement(5, 2).setup(1));
    s.add(
        new Spec("peers.RatisBenchmark")
            .optional()
            .forks(2)
            .warmup(3, 3)
            .measurement(5, 3)
            .setup(10));
    s.add(
        new Spec("peers.MicroRaftBenchmark")
            .optional()
            .forks(2)
            .warmup(3, 3)
            .measurement(5, 3)
            .setup(3));
    return new SuitePlan(Profile.FULL, s);
  }

  /** The benchmarks compiled into this jar (JMH's generated list). */
  public static List<BenchmarkListEntry> benchmarksInJar() {
    try (InputStream in = SuitePlan.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      if (in == null) {
        throw new IllegalStateException(
            BenchmarkList.BENCHMARK_LIST + " not on the class path: build the benchmarks jar");
      }
      return BenchmarkList.readBenchmarkList(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Estimated seconds of the whole plan over the given benchmarks and filter. */
  public double estimateSeconds(List<BenchmarkListEntry> all, Pattern filter) {
    double s = 0;
    for (Spec spec : specs) {
      s += spec.seconds(spec.select(all, filter));
    }
    return s;
  }

  /** The plan, one line per spec, with trials and estimated time, and the total. */
  public String describe(List<BenchmarkListEntry> all, Pattern filter) {
    StringBuilder sb = new StringBuilder();
    int trials = 0;
    double total = 0;
    for (Spec spec : specs) {
      List<BenchmarkListEntry> sel = spec.select(all, filter);
      if (sel.isEmpty()) {
        String why = filter != null ? "not selected by --include" : "not in this jar";
        sb.append(String.format(Locale.ROOT, "  %-42s %s: skipped%n", spec.name, why));
        continue;
      }
      int t = spec.trials(sel);
      double sec = spec.seconds(sel);
      trials += t;
      total += sec;
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-42s %3d trial(s) ~%5.0f s  (%s)%n",
              spec.name,
              t,
              sec,
              spec.settings()));
    }
    return String.format(
            Locale.ROOT,
            "Plan '%s': %d trials, estimated %.1f min (per trial: %.0f s fork overhead + setup +"
                + " warmup + measurement; single-shot iterations at their estimated length)%n",
            profile.label(),
            trials,
            total / 60,
            FORK_OVERHEAD_SECONDS)
        + sb;
  }
}
