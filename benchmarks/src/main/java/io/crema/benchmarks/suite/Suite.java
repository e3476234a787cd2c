package io.crema.benchmarks.suite;

import com.sun.management.OperatingSystemMXBean;
import io.crema.benchmarks.suite.SuitePlan.Profile;
import io.crema.benchmarks.suite.SuitePlan.Spec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite through JMH's API and writes the raw JMH JSON and a Markdown report
 * ({@link SuiteReport}) to {@code benchmarks/results/<profile>-<yyyyMMdd-HHmmss>.json} and {@code
 * .md}, then prints the Markdown.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.crema.benchmarks.suite.Suite quick|full [options]
 *   --include REGEX         only benchmarks whose name (package.Class.method) matches
 *   --dry-run               print the plan and its estimated time, run nothing
 *   --from-json FILE        only (re)write the Markdown report of an existing JSON file
 *   --results-dir DIR       where to write (default benchmarks/results, or results if there is
 *                           no benchmarks directory here)
 *   --limit-batch B         entries per APPEND batch in the limit row (default 64)
 *   --limit-forwarded F     fraction of puts forwarded in the limit row (default 0.6667)
 * </pre>
 *
 * Every profile adds JMH's GC profiler, so each result carries {@code gc.alloc.rate.norm} (bytes
 * per operation). Benchmarks that are not in the jar (the peers, built on another branch) are
 * skipped; a benchmark that fails leaves its rows as "not run" and the suite goes on.
 */
public final class Suite {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final Pattern RESULT_NAME =
      Pattern.compile("([a-z]+)-(\\d{8}-\\d{6})\\.json$", Pattern.CASE_INSENSITIVE);

  private Suite() {}

  /** Command-line options. */
  record Options(
      Profile profile,
      Pattern include,
      boolean dryRun,
      Path fromJson,
      Path resultsDir,
      WriteLimit limit,
      List<String> args) {

    static Options parse(String[] argv) {
      Profile profile = null;
      Pattern include = null;
      boolean dryRun = false;
      Path fromJson = null;
      Path resultsDir = null;
      double batch = WriteLimit.DEFAULT_BATCH_ENTRIES;
      double forwarded = WriteLimit.DEFAULT_FORWARDED_FRACTION;
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--include" -> include = Pattern.compile(value(argv, ++i, a));
          case "--dry-run" -> dryRun = true;
          case "--from-json" -> fromJson = Path.of(value(argv, ++i, a));
          case "--results-dir" -> resultsDir = Path.of(value(argv, ++i, a));
          case "--limit-batch" -> batch = Double.parseDouble(value(argv, ++i, a));
          case "--limit-forwarded" -> forwarded = Double.parseDouble(value(argv, ++i, a));
          default -> {
            if (a.startsWith("-") || profile != null) {
              throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            profile = Profile.parse(a);
          }
        }
      }
      if (profile == null && fromJson == null) {
        throw new IllegalArgumentException("name a profile: quick or full");
      }
      if (resultsDir == null) {
        resultsDir =
            Files.isDirectory(Path.of("benchmarks"))
                ? Path.of("benchmarks", "results")
                : Path.of("results");
      }
      return new Options(
          profile,
          include,
          dryRun,
          fromJson,
          resultsDir,
          new WriteLimit(batch, forwarded),
          List.of(argv));
    }

    private static String value(String[] argv, int i, String option) {
      if (i >= argv.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return argv[i];
    }
  }

  public static void main(String[] argv) throws IOException {
    Options options;
    try {
      options = Options.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: Suite quick|full [--include REGEX] [--dry-run] [--results-dir DIR]"
              + " [--limit-batch B] [--limit-forwarded F]\n"
              + "       Suite --from-json FILE [--limit-batch B] [--limit-forwarded F]");
      System.exit(2);
      return;
    }
    if (options.fromJson() != null) {
      regenerate(options);
    } else {
      run(options);
    }
  }

  /** The command line as typed, for the report. */
  static String command(List<String> args) {
    StringBuilder sb = new StringBuilder("java -cp ");
    sb.append(quote(System.getProperty("java.class.path"))).append(' ');
    sb.append(Suite.class.getName());
    for (String a : args) {
      sb.append(' ').append(quote(a));
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./=:,+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** Cores, memory and OS of this JVM's machine. */
  static String machine() {
    int cores = Runtime.getRuntime().availableProcessors();
    String memory = "unknown memory";
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      memory =
          String.format(
              Locale.ROOT, "%.1f GiB memory", os.getTotalMemorySize() / (double) (1L << 30));
    }
    return String.format(
        Locale.ROOT,
        "%d cores, %s, %s %s (%s)",
        cores,
        memory,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"));
  }

  /** The JDK of this JVM. */
  static String jdk() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version", System.getProperty("java.version"))
        + " ("
        + System.getProperty("java.vm.vendor")
        + ")";
  }

  private static void run(Options options) throws IOException {
    SuitePlan plan = SuitePlan.of(options.profile());
    List<BenchmarkListEntry> inJar = SuitePlan.benchmarksInJar();
    System.out.print(plan.describe(inJar, options.include()));
    double estimate = plan.estimateSeconds(inJar, options.include());
    if (options.dryRun()) {
      return;
    }
    ZonedDateTime started = ZonedDateTime.now(ZoneId.systemDefault());
    String base = options.profile().label() + "-" + STAMP.format(started.toLocalDateTime());
    Files.createDirectories(options.resultsDir());
    Path json = options.resultsDir().resolve(base + ".json");
    Path md = options.resultsDir().resolve(base + ".md");
    System.out.println("Raw results: " + json);

    List<RunResult> results = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long t0 = System.nanoTime();
    for (Spec spec : plan.specs()) {
      List<BenchmarkListEntry> selected = spec.select(inJar, options.include());
      if (selected.isEmpty()) {
        if (options.include() == null) {
          notes.add(spec.name() + ": not in this jar, not run");
        }
        continue;
      }
      int expected = spec.trials(selected) / spec.forks;
      System.out.printf(
          Locale.ROOT,
          "%n=== %s (%d trial(s), ~%.0f s; %.1f min elapsed)%n",
          spec.name(),
          spec.trials(selected),
          spec.seconds(selected),
          (System.nanoTime() - t0) / 60e9);
      try {
        int got = 0;
        for (RunResult r : new Runner(options(spec, selected)).run()) {
          results.add(r);
          got++;
        }
        if (got < expected) {
          notes.add(
              String.format(
                  Locale.ROOT,
                  "%s: %d of %d parameter combinations produced a result (see the JMH output)",
                  spec.name(),
                  got,
                  expected));
        }
      } catch (RunnerException | RuntimeException e) {
        notes.add(spec.name() + ": failed: " + e);
        e.printStackTrace();
      }
      writeJson(json, results); // after every run, so a later failure loses nothing
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    notes.add(
        String.format(
            Locale.ROOT,
            "Wall time %.1f min (estimated %.1f min before starting).",
            minutes,
            estimate / 60));
    writeJson(json, results);
    SuiteReport.RunInfo info =
        new SuiteReport.RunInfo(
            started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")),
            machine(),
            jdk(),
            options.profile().label(),
            command(options.args()),
            json.getFileName().toString(),
            notes,
            options.limit());
    writeRunInfo(runInfoFile(json), info);
    String report = SuiteReport.render(Files.readString(json, StandardCharsets.UTF_8), info);
    Files.writeString(md, report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("Written: " + json + " and " + md);
  }

  /** JMH options of one spec: exactly the selected benchmarks, its parameters and iterations. */
  static org.openjdk.jmh.runner.options.Options options(
      Spec spec, List<BenchmarkListEntry> selected) {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .forks(spec.forks)
            .warmupForks(0)
            .warmupIterations(spec.warmupIterations)
            .measurementIterations(spec.measurementIterations)
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(false);
    if (spec.warmupSeconds > 0) {
      b.warmupTime(TimeValue.seconds(spec.warmupSeconds));
    }
    if (spec.measurementSeconds > 0) {
      b.measurementTime(TimeValue.seconds(spec.measurementSeconds));
    }
    // JMH adds the values of repeated param() calls up, so merge the benchmarks' values first.
    Map<String, Set<String>> params = new LinkedHashMap<>();
    for (BenchmarkListEntry e : selected) {
      b.include("^" + Pattern.quote(e.getUsername()) + "$");
      for (Map.Entry<String, String[]> p : spec.effectiveParams(e).entrySet()) {
        params
            .computeIfAbsent(p.getKey(), k -> new LinkedHashSet<>())
            .addAll(List.of(p.getValue()));
      }
    }
    for (Map.Entry<String, Set<String>> p : params.entrySet()) {
      b.param(p.getKey(), p.getValue().toArray(new String[0]));
    }
    return b.build();
  }

  private static void writeJson(Path json, List<RunResult> results) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(json), true, "UTF-8")) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
    }
  }

  /** Where a run keeps the facts about itself that JMH's JSON has no room for. */
  static Path runInfoFile(Path json) {
    String name = json.getFileName().toString().replaceFirst("\\.json$", "");
    return json.resolveSibling(name + ".run.properties");
  }

  private static void writeRunInfo(Path file, SuiteReport.RunInfo info) throws IOException {
    Properties p = new Properties();
    p.setProperty("date", info.date());
    p.setProperty("machine", info.machine());
    p.setProperty("jdk", info.jdk());
    p.setProperty("profile", info.profile());
    p.setProperty("command", info.command());
    p.setProperty("notes", String.join("\n", info.notes()));
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "Crema benchmark suite run (read by Suite --from-json)");
    }
  }

  /**
   * --from-json: the Markdown report of an existing JSON file, written next to it. The run's own
   * facts (date, machine, command, notes) come from the file the run left next to the JSON; without
   * it, from the file name and this JVM.
   */
  private static void regenerate(Options options) throws IOException {
    Path json = options.fromJson();
    String name = json.getFileName().toString();
    Path runInfo = runInfoFile(json);
    if (Files.isRegularFile(runInfo)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(runInfo, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      List<String> notes = new ArrayList<>();
      String stored = p.getProperty("notes", "");
      if (!stored.isEmpty()) {
        notes.addAll(List.of(stored.split("\n")));
      }
      notes.add("Report regenerated with `" + command(options.args()) + "`.");
      write(
          json,
          new SuiteReport.RunInfo(
              p.getProperty("date", "unknown"),
              p.getProperty("machine", "unknown"),
              p.getProperty("jdk", "unknown"),
              p.getProperty("profile", "unknown"),
              p.getProperty("command", "unknown"),
              name,
              notes,
              options.limit()));
      return;
    }
    String profile = options.profile() != null ? options.profile().label() : "unknown";
    String date;
    Matcher m = RESULT_NAME.matcher(name);
    if (m.find()) {
      profile = m.group(1);
      date =
          LocalDateTime.parse(m.group(2), STAMP)
              .atZone(ZoneId.systemDefault())
              .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z"));
    } else {
      date = Files.getLastModifiedTime(json).toInstant().toString();
    }
    write(
        json,
        new SuiteReport.RunInfo(
            date,
            machine() + " (the machine that wrote this report, not necessarily the run's)",
            jdk() + " (this report's JVM)",
            profile,
            command(options.args()),
            name,
            List.of("Report regenerated from " + name + " (the run's own facts were not found)."),
            options.limit()));
  }

  private static void write(Path json, SuiteReport.RunInfo info) throws IOException {
    String report = SuiteReport.render(Files.readString(json, StandardCharsets.UTF_8), info);
    String name = json.getFileName().toString();
    Path md = json.resolveSibling(name.replaceFirst("\\.json$", "") + ".md");
    Files.writeString(md, report, StandardCharsets.UTF_8);
    System.out.println(report);
    System.out.println("Written: " + md);
  }
}
