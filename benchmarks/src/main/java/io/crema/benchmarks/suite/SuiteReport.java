package io.crema.benchmarks.suite;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.crema.benchmarks.BenchSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's Markdown report: a pure function of JMH's JSON results (and a few facts about the
 * run), so it can be regenerated from a saved file and tested without running anything.
 *
 * <p>Sections: throughput (every throughput-mode result: score, per shard or group, bytes per
 * operation), latency (percentiles of sample-time results and of benchmarks that report their own
 * percentiles as secondary results, mean time of the rest), peers (our figure against Apache Ratis
 * and MicroRaft on comparable set-ups) and limit (what the raw components allow, see {@link
 * WriteLimit}). Anything missing from the JSON is shown as "not run"; nothing is required.
 */
public final class SuiteReport {
  static final String NOT_RUN = "not run";
  private static final String NONE = "—";

  private SuiteReport() {}

  /**
   * What the report says about the run besides the results.
   *
   * @param date when the run started
   * @param machine cores, memory, OS
   * @param jdk the JDK
   * @param profile quick or full
   * @param command the command line
   * @param rawResults the JSON file's name
   * @param notes lines for the notes section (skipped or failed benchmarks, wall time)
   * @param limit the parameters of the limit row
   */
  public record RunInfo(
      String date,
      String machine,
      String jdk,
      String profile,
      String command,
      String rawResults,
      List<String> notes,
      WriteLimit limit) {}

  /**
   * One JMH metric.
   *
   * @param score the score (for SUM-aggregated counters: the sum over iterations and forks)
   * @param error the 99.9% half-interval, NaN if JMH gave none
   * @param unit the unit
   * @param percentiles JMH's score percentiles by key ("50.0", "99.0", "99.9", ...)
   * @param raw the per-iteration values of every fork (empty for sample-time primaries)
   */
  record Metric(
      double score, double error, String unit, Map<String, Double> percentiles, List<Double> raw) {

    /** The mean of the per-iteration values, or the score if there are none. */
    double iterationMean() {
      if (raw.isEmpty()) {
        return score;
      }
      double sum = 0;
      for (double v : raw) {
        sum += v;
      }
      return sum / raw.size();
    }

    double percentile(String key) {
      Double v = percentiles.get(key);
      return v == null ? Double.NaN : v;
    }

    /** The score in operations per second if the unit is ops per a time unit, else NaN. */
    double perSecond() {
      return score * perSecondFactor(unit);
    }
  }

  /**
   * One JMH result (one benchmark method and parameter combination).
   *
   * @param name the benchmark relative to {@link SuitePlan#PACKAGE}, e.g. {@code
   *     cache.ShardThroughputBenchmark.putsInFlight}
   * @param mode JMH's short mode label: thrpt, avgt, sample, ss
   * @param params parameter values
   * @param primary the primary metric
   * @param secondary secondary metrics by name (profilers, auxiliary counters)
   */
  record Result(
      String name,
      String mode,
      Map<String, String> params,
      Metric primary,
      Map<String, Metric> secondary) {

    /** The class part of {@link #name}, e.g. {@code cache.ShardThroughputBenchmark}. */
    String className() {
      int dot = name.lastIndexOf('.');
      return dot < 0 ? name : name.substring(0, dot);
    }

    boolean isThroughput() {
      return mode.equals("thrpt");
    }

    /** Whether every given parameter has the given value. */
    boolean has(Map<String, String> want) {
      for (Map.Entry<String, String> w : want.entrySet()) {
        if (!w.getValue().equals(params.get(w.getKey()))) {
          return false;
        }
      }
      return true;
    }

    double bytesPerOp() {
      Metric m = secondary.get("gc.alloc.rate.norm");
      return m == null ? Double.NaN : m.score();
    }

    String paramString() {
      if (params.isEmpty()) {
        return NONE;
      }
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> p : params.entrySet()) {
        out.add(p.getKey() + "=" + p.getValue());
      }
      return String.join(", ", out);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Parsing

  /** Parses JMH's JSON result format (an array of results). */
  static List<Result> parse(String json) {
    JsonElement root = JsonParser.parseString(json);
    List<Result> out = new ArrayList<>();
    if (!root.isJsonArray()) {
      return out;
    }
    for (JsonElement e : root.getAsJsonArray()) {
      if (!e.isJsonObject()) {
        continue;
      }
      JsonObject o = e.getAsJsonObject();
      String name = string(o, "benchmark");
      if (name == null || !o.has("primaryMetric")) {
        continue;
      }
      if (name.startsWith(SuitePlan.PACKAGE)) {
        name = name.substring(SuitePlan.PACKAGE.length());
      }
      Map<String, String> params = new LinkedHashMap<>();
      if (o.has("params") && o.get("params").isJsonObject()) {
        for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
          params.put(p.getKey(), p.getValue().getAsString());
        }
      }
      Map<String, Metric> secondary = new LinkedHashMap<>();
      if (o.has("secondaryMetrics") && o.get("secondaryMetrics").isJsonObject()) {
        for (Map.Entry<String, JsonElement> s : o.getAsJsonObject("secondaryMetrics").entrySet()) {
          // Older JMH versions prefix profiler metrics with a middle dot.
          String key = s.getKey().startsWith("\u00b7") ? s.getKey().substring(1) : s.getKey();
          secondary.put(key, metric(s.getValue().getAsJsonObject()));
        }
      }
      String mode = string(o, "mode");
      out.add(
          new Result(
              name,
              mode == null ? "?" : mode,
              params,
              metric(o.getAsJsonObject("primaryMetric")),
              secondary));
    }
    return out;
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static Metric metric(JsonObject o) {
    Map<String, Double> percentiles = new LinkedHashMap<>();
    if (o.has("scorePercentiles") && o.get("scorePercentiles").isJsonObject()) {
      for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("scorePercentiles").entrySet()) {
        percentiles.put(p.getKey(), number(p.getValue()));
      }
    }
    List<Double> raw = new ArrayList<>();
    if (o.has("rawData") && o.get("rawData").isJsonArray()) {
      for (JsonElement fork : o.getAsJsonArray("rawData")) {
        if (fork.isJsonArray()) {
          for (JsonElement v : (JsonArray) fork) {
            raw.add(number(v));
          }
        }
      }
    }
    String unit = string(o, "scoreUnit");
    return new Metric(
        number(o.get("score")),
        number(o.get("scoreError")),
        unit == null ? "" : unit,
        percentiles,
        raw);
  }

  /** A JSON number, or JMH's "NaN", "+INF", "-INF" strings; NaN if absent or unreadable. */
  static double number(JsonElement e) {
    if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
      return Double.NaN;
    }
    if (e.getAsJsonPrimitive().isNumber()) {
      return e.getAsDouble();
    }
    String s = e.getAsString().trim();
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+INF", "INF" -> Double.POSITIVE_INFINITY;
      case "-INF" -> Double.NEGATIVE_INFINITY;
      default -> parseOrNaN(s);
    };
  }

  private static double parseOrNaN(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException x) {
      return Double.NaN;
    }
  }

  /** Multiplier from "ops/&lt;time unit&gt;" to ops per second; NaN for other units. */
  static double perSecondFactor(String unit) {
    return switch (unit) {
      case "ops/s" -> 1;
      case "ops/ms" -> 1e3;
      case "ops/us" -> 1e6;
      case "ops/ns" -> 1e9;
      case "ops/min" -> 1.0 / 60;
      case "ops/hr" -> 1.0 / 3600;
      case "ops/day" -> 1.0 / 86400;
      default -> Double.NaN;
    };
  }

  // ------------------------------------------------------------------------------------------
  // Rendering

  /** The Markdown report of a JMH JSON result file. */
  public static String render(String json, RunInfo info) {
    return render(parse(json), info, forkVm(json));
  }

  /** The VM the forks ran on, as JMH recorded it in the first result; null if absent. */
  static String forkVm(String json) {
    JsonElement root = JsonParser.parseString(json);
    if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
      return null;
    }
    JsonElement first = root.getAsJsonArray().get(0);
    if (!first.isJsonObject()) {
      return null;
    }
    String name = string(first.getAsJsonObject(), "vmName");
    String version = string(first.getAsJsonObject(), "vmVersion");
    return name == null || version == null ? null : name + " " + version;
  }

  static String render(List<Result> results, RunInfo info, String forkVm) {
    StringBuilder md = new StringBuilder();
    md.append("# Crema benchmark suite: ").append(info.profile()).append("\n\n");
    md.append("- Date: ").append(info.date()).append('\n');
    md.append("- Machine: ").append(info.machine()).append('\n');
    md.append("- JDK: ").append(info.jdk());
    if (forkVm != null) {
      md.append("; forks: ").append(forkVm);
    }
    md.append('\n');
    md.append("- Collector: `")
        .append(BenchSupport.GC)
        .append("` in every fork (ours, the components' and the peers' alike)\n");
    md.append("- Profile: ").append(info.profile()).append('\n');
    md.append("- Command: `").append(info.command()).append("`\n");
    md.append("- Raw results: ").append(info.rawResults()).append('\n');
    md.append('\n');
    throughput(md, results);
    latency(md, results);
    peers(md, results);
    limit(md, results, info.limit());
    md.append("## Notes\n\n");
    md.append(
        "Errors are JMH's 99.9% confidence half-intervals (none with a single iteration); B/op is"
            + " gc.alloc.rate.norm from JMH's GC profiler.\n");
    for (String n : info.notes()) {
      md.append("\n- ").append(n);
    }
    md.append('\n');
    return md.toString();
  }

  private static void throughput(StringBuilder md, List<Result> results) {
    md.append("## Throughput\n\n");
    List<Result> rows = new ArrayList<>();
    for (Result r : results) {
      if (r.isThroughput()) {
        rows.add(r);
      }
    }
    if (rows.isEmpty()) {
      md.append(NOT_RUN).append(": no throughput results in this run.\n\n");
      return;
    }
    md.append("| benchmark | params | score | per shard or group | B/op | also measured |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Result r : rows) {
      md.append("| ")
          .append(cell(r.name()))
          .append(" | ")
          .append(cell(r.paramString()))
          .append(" | ")
          .append(scoreWithError(r.primary()))
          .append(" | ")
          .append(perShard(r))
          .append(" | ")
          .append(num(r.bytesPerOp()))
          .append(" | ")
          .append(cell(others(r)))
          .append(" |\n");
    }
    md.append('\n');
  }

  /** Total divided by the shards (or groups) parameter, where there is one. */
  static String perShard(Result r) {
    String n = r.params().get("shards");
    if (n == null) {
      n = r.params().get("groups");
    }
    if (n == null) {
      return NONE;
    }
    try {
      return num(r.primary().score() / Double.parseDouble(n));
    } catch (NumberFormatException e) {
      return NONE;
    }
  }

  /** Secondary results other than the GC profiler's, e.g. a WAL's entries per second. */
  private static String others(Result r) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Metric> s : r.secondary().entrySet()) {
      if (s.getKey().startsWith("gc.")) {
        continue;
      }
      Metric m = s.getValue();
      if (s.getKey().endsWith("AllocBytes") && perSecondFactor(m.unit()) > 0) {
        // Bytes allocated per second on some threads (ShardThroughputBenchmark's event loops):
        // per operation, over the primary rate.
        out.add(s.getKey() + " " + num(m.perSecond() / r.primary().perSecond()) + " B/op");
      } else if (s.getKey().endsWith("Bytes") && perSecondFactor(m.unit()) > 0) {
        out.add(s.getKey() + " " + num(m.perSecond() / 1e6) + " MB/s");
      } else {
        out.add(s.getKey() + " " + num(m.score()) + " " + m.unit());
      }
    }
    return out.isEmpty() ? NONE : String.join("; ", out);
  }

  private static final String[] AUX_UNITS = {"Micros", "Millis", "Nanos"};

  private static void latency(StringBuilder md, List<Result> results) {
    md.append("## Latency\n\n");
    List<Result> rows = new ArrayList<>();
    for (Result r : results) {
      if (!r.isThroughput()) {
        rows.add(r);
      }
    }
    if (rows.isEmpty()) {
      md.append(NOT_RUN).append(": no latency or time results in this run.\n\n");
      return;
    }
    md.append("| benchmark | params | mean | p50 | p99 | p99.9 | unit | notes |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Result r : rows) {
      String mean;
      String p50;
      String p99;
      String p999;
      String unit;
      String notes;
      String aux = auxPercentileUnit(r);
      if (aux != null) {
        // The benchmark measures its own latencies and reports percentiles as counters; JMH
        // sums such counters over iterations, so the per-iteration values are averaged here.
        Metric m50 = r.secondary().get("p50" + aux);
        mean = NONE;
        p50 = num(m50.iterationMean());
        p99 = num(auxMean(r, "p99" + aux));
        p999 = num(auxMean(r, "p999" + aux));
        unit =
            switch (aux) {
              case "Micros" -> "µs";
              case "Millis" -> "ms";
              default -> "ns";
            };
        notes = "own percentiles, mean of " + Math.max(1, m50.raw().size()) + " iterations";
        Metric failed = r.secondary().get("failed");
        if (failed != null) {
          notes += "; failed " + num(failed.score());
        }
      } else if (r.mode().equals("sample")) {
        mean = scoreWithError(r.primary());
        p50 = num(r.primary().percentile("50.0"));
        p99 = num(r.primary().percentile("99.0"));
        p999 = num(r.primary().percentile("99.9"));
        unit = r.primary().unit();
        notes = "JMH sample time";
      } else {
        mean = scoreWithError(r.primary());
        p50 = NONE;
        p99 = NONE;
        p999 = NONE;
        unit = r.primary().unit();
        notes = r.mode().equals("ss") ? "single shot" : r.mode();
      }
      md.append("| ")
          .append(cell(r.name()))
          .append(" | ")
          .append(cell(r.paramString()))
          .append(" | ")
          .append(mean)
          .append(" | ")
          .append(p50)
          .append(" | ")
          .append(p99)
          .append(" | ")
          .append(p999)
          .append(" | ")
          .append(unit)
          .append(" | ")
          .append(cell(notes))
          .append(" |\n");
    }
    md.append('\n');
  }

  /** The unit suffix of self-reported percentiles (p50Micros, ...), or null if there are none. */
  private static String auxPercentileUnit(Result r) {
    for (String u : AUX_UNITS) {
      if (r.secondary().containsKey("p50" + u)) {
        return u;
      }
    }
    return null;
  }

  private static double auxMean(Result r, String key) {
    Metric m = r.secondary().get(key);
    return m == null ? Double.NaN : m.iterationMean();
  }

  // ------------------------------------------------------------------------------------------
  // Peers

  /** One "ours vs theirs" comparison. */
  private record Comparison(
      String workload,
      String oursClass,
      Map<String, String> oursParams,
      String oursConfig,
      String theirsClass,
      String theirsConfig) {}

  static final String RATIS = "peers.RatisBenchmark";
  static final String MICRORAFT = "peers.MicroRaftBenchmark";
  static final String SHARD = "cache.ShardThroughputBenchmark";
  static final String MULTIRAFT = "multiraft.MultiRaftThroughputBenchmark";

  private static final List<Comparison> COMPARISONS =
      List.of(
          new Comparison(
              "durable: log synced to disk, loopback network",
              SHARD,
              Map.of("shards", "1"),
              "ours: 3 cache nodes in one JVM, Aeron UDP loopback (one media driver), Chronicle"
                  + " log synced per batch, Caffeine state machine, 16 B keys and values, 4,096"
                  + " puts in flight spread over the nodes (2/3 forwarded to the leader)",
              RATIS,
              "theirs: Apache Ratis, 3 servers, on-disk log, loopback network; how it syncs is in its"
                  + " parameters"),
          new Comparison(
              "in memory: log and transport in memory",
              MULTIRAFT,
              Map.of(
                  "shards",
                  "1",
                  "machine",
                  "map",
                  "keyCount",
                  "4096",
                  "entry",
                  "leader",
                  "threads",
                  "shared",
                  "window",
                  "4096",
                  "completions",
                  "thread"),
              "ours: 3 Raft hosts on one event-loop thread, futures completed on a coordinator"
                  + " thread, in-memory transport and log, state machine: the same hash table as"
                  + " theirs over 4,096 keys, 16 B keys and values, 4,096 puts in flight sent to"
                  + " the leader",
              MICRORAFT,
              "theirs: MicroRaft 0.7, 3 nodes (a thread each, its default executor), in-memory"
                  + " transport and log, its default batching and snapshot settings"));

  private static void peers(StringBuilder md, List<Result> results) {
    md.append("## Peers\n\n");
    md.append(
        "Our figure against another Raft implementation on a comparable set-up in the same run"
            + " (ratio > 1: ours is faster). Every throughput result of a peer benchmark gets a"
            + " row; its parameters are in the last column.\n\n");
    md.append("| workload | ours | ours, ops/s | theirs | theirs, ops/s | ours / theirs |")
        .append(" configuration differences |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Comparison c : COMPARISONS) {
      Result ours = find(results, c.oursClass(), c.oursParams());
      double oursRate = ours == null ? Double.NaN : ours.primary().perSecond();
      String oursLabel = c.oursClass() + " " + paramString(c.oursParams());
      List<Result> theirs = new ArrayList<>();
      for (Result r : results) {
        if (r.isThroughput() && r.className().equals(c.theirsClass())) {
          theirs.add(r);
        }
      }
      if (theirs.isEmpty()) {
        row(md, c, oursLabel, oursRate, c.theirsClass(), Double.NaN, c.theirsConfig());
      }
      for (Result t : theirs) {
        String config = c.theirsConfig();
        if (!t.params().isEmpty()) {
          config += " (" + t.paramString() + ")";
        }
        row(md, c, oursLabel, oursRate, t.name(), t.primary().perSecond(), config);
      }
    }
    md.append('\n');
  }

  private static void row(
      StringBuilder md,
      Comparison c,
      String oursLabel,
      double oursRate,
      String theirsLabel,
      double theirsRate,
      String theirsConfig) {
    md.append("| ")
        .append(cell(c.workload()))
        .append(" | ")
        .append(cell(oursLabel))
        .append(" | ")
        .append(rateOrNotRun(oursRate))
        .append(" | ")
        .append(cell(theirsLabel))
        .append(" | ")
        .append(rateOrNotRun(theirsRate))
        .append(" | ")
        .append(ratio(oursRate, theirsRate))
        .append(" | ")
        .append(cell(c.oursConfig() + "; " + theirsConfig))
        .append(" |\n");
  }

  /** ours / theirs with two decimals, or a dash if either is missing. */
  static String ratio(double ours, double theirs) {
    if (!(ours > 0 && theirs > 0)) {
      return NONE;
    }
    return String.format(Locale.ROOT, "%.2f", ours / theirs);
  }

  // ------------------------------------------------------------------------------------------
  // Limit

  static final String WAL = "wal.WalAppendBenchmark";
  static final String CAFFEINE = "limit.CaffeinePutBenchmark";
  static final String AERON = "transport.AeronTransportBenchmark";

  /**
   * Bytes of the PUT command a cache write logs in ShardThroughputBenchmark (16-byte key and value,
   * a request id, no TTL): the WAL component is measured with entries of this size (SuiteReportTest
   * checks it against the cache's encoder).
   */
  static final String PUT_COMMAND_BYTES = "69";

  static final Map<String, String> WAL_PARAMS =
      orderedMap("batchEntries", "1024", "sync", "true", "payloadBytes", PUT_COMMAND_BYTES);

  /** The WAL component of earlier runs (16-byte entries), still shown for comparison. */
  static final Map<String, String> WAL_SMALL_PARAMS =
      orderedMap("batchEntries", "1024", "sync", "true", "payloadBytes", "16");

  static final Map<String, String> CAFFEINE_PARAMS = Map.of("keys", "4096");
  static final Map<String, String> AERON_PARAMS =
      orderedMap("mtu", "8192", "driverMaxParkUs", "1000");

  private static void limit(StringBuilder md, List<Result> results, WriteLimit model) {
    md.append("## Limit\n\n");
    md.append(
        "The best a 3-replica write can reach on this box given the raw component rates of this"
            + " run. All three replicas share the machine's CPUs and disk, so per committed write"
            + " the box does 3 WAL appends, 3 Caffeine puts and m transport messages: per APPEND"
            + " batch of B entries, one APPEND to and one APPEND_RESPONSE from each of the 2"
            + " followers (4/B per write), plus one request and one response per batch of forwarded"
            + " puts (2f/B per write, f = fraction of puts that reach a follower; the host batches"
            + " them per group and duty cycle like appends). If the box did only"
            + " these, one after another at the rates measured alone:\n\n");
    md.append("    ").append(model.formula()).append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "    B = %s entries per APPEND, f = %.3f  ->  m = %.4f messages per write\n\n",
            num(model.batchEntries()),
            model.forwardedFraction(),
            model.messagesPerWrite()));
    md.append(
        "Not a strict bound: components measured on one or two threads may overlap on two cores,"
            + " while the real path also pays for Raft bookkeeping, encoding and futures and syncs"
            + " per Raft batch rather than per 1024 entries. The WAL entries are the size of the"
            + " benchmark's PUT command ("
            + PUT_COMMAND_BYTES
            + " bytes); the limit with the 16-byte entries of earlier runs is shown below it.\n\n");

    Result wal = find(results, WAL, WAL_PARAMS);
    double walRate = walEntriesPerSecond(wal);
    double walSmallRate = walEntriesPerSecond(find(results, WAL, WAL_SMALL_PARAMS));
    // The key set of ShardThroughputBenchmark, else whatever was run (and said so).
    Result caffeine = find(results, CAFFEINE, CAFFEINE_PARAMS);
    String caffeineNote = "";
    if (caffeine == null) {
      caffeine = find(results, CAFFEINE, Map.of());
      if (caffeine != null) {
        caffeineNote = " (not the benchmark's 4,096 keys)";
      }
    }
    double caffeineRate = caffeine == null ? Double.NaN : caffeine.primary().perSecond();
    // The cache benchmarks' transport settings (8 KiB datagrams on loopback, the driver's default
    // idle), else any.
    Result aeron = find(results, AERON + ".append", AERON_PARAMS);
    String aeronNote = "";
    if (aeron == null) {
      aeron = find(results, AERON + ".append", Map.of());
      if (aeron != null) {
        aeronNote = " (not the cache's transport settings)";
      }
    }
    double aeronRate = aeron == null ? Double.NaN : aeron.primary().perSecond();

    md.append("| component | source | rate, per s | per write | cost per write, ns |\n");
    md.append("|---|---|---|---|---|\n");
    component(
        md,
        "WAL append (" + PUT_COMMAND_BYTES + " B, a PUT command; sync per 1024-entry batch)",
        wal == null ? WAL + " " + paramString(WAL_PARAMS) : wal.name() + " " + wal.paramString(),
        walRate,
        model.walAppendsPerWrite());
    component(
        md,
        "Caffeine put (16 B key and value, bounded)",
        caffeine == null
            ? CAFFEINE + " " + paramString(CAFFEINE_PARAMS)
            : caffeine.name() + " " + caffeine.paramString() + caffeineNote,
        caffeineRate,
        model.cachePutsPerWrite());
    component(
        md,
        "Aeron message (one-entry APPEND, loopback)",
        aeron == null
            ? AERON + ".append " + paramString(AERON_PARAMS)
            : aeron.name() + " " + aeron.paramString() + aeronNote,
        aeronRate,
        model.messagesPerWrite());
    md.append('\n');

    double limit = model.writesPerSecond(walRate, caffeineRate, aeronRate);
    double leaderOnly = model.withoutForwarding().writesPerSecond(walRate, caffeineRate, aeronRate);
    Result ours = find(results, SHARD, Map.of("shards", "1"));
    double oursRate = ours == null ? Double.NaN : ours.primary().perSecond();
    md.append("| | writes/s |\n|---|---|\n");
    md.append("| limit (f as above) | ").append(rateOrNotRun(limit)).append(" |\n");
    md.append("| limit without forwarding (f = 0, clients at the leader) | ")
        .append(rateOrNotRun(leaderOnly))
        .append(" |\n");
    md.append("| ours: ")
        .append(SHARD)
        .append(" shards=1 | ")
        .append(rateOrNotRun(oursRate))
        .append(" |\n");
    md.append("| ours / limit | ").append(fraction(oursRate, limit)).append(" |\n");
    double small = model.writesPerSecond(walSmallRate, caffeineRate, aeronRate);
    md.append("| limit with 16 B WAL entries (earlier runs' model) | ")
        .append(rateOrNotRun(small))
        .append(" |\n");
    md.append("| ours / that limit | ").append(fraction(oursRate, small)).append(" |\n");
    md.append('\n');
  }

  private static double walEntriesPerSecond(Result wal) {
    if (wal == null) {
      return Double.NaN;
    }
    Metric entries = wal.secondary().get("entries");
    return entries != null
        ? entries.perSecond()
        : wal.primary().perSecond() * Double.parseDouble(WAL_PARAMS.get("batchEntries"));
  }

  private static void component(
      StringBuilder md, String what, String source, double rate, double perWrite) {
    md.append("| ")
        .append(what)
        .append(" | ")
        .append(cell(source))
        .append(" | ")
        .append(rateOrNotRun(rate))
        .append(" | ")
        .append(
            perWrite == Math.rint(perWrite)
                ? num(perWrite)
                : String.format(Locale.ROOT, "%.4f", perWrite))
        .append(" | ")
        .append(rate > 0 ? num(perWrite / rate * 1e9) : NOT_RUN)
        .append(" |\n");
  }

  /** ours as a percentage of limit, one decimal, or a dash/"not run" if either is missing. */
  static String fraction(double ours, double limit) {
    if (!(limit > 0)) {
      return NOT_RUN + " (a component is missing)";
    }
    if (!(ours > 0)) {
      return NOT_RUN;
    }
    return String.format(Locale.ROOT, "%.1f%%", 100 * ours / limit);
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  /**
   * The first throughput result of {@code prefix} (a class, or class.method) with the given
   * parameters, or null.
   */
  static Result find(List<Result> results, String prefix, Map<String, String> params) {
    for (Result r : results) {
      if (r.isThroughput()
          && (r.name().equals(prefix) || r.name().startsWith(prefix + "."))
          && r.has(params)) {
        return r;
      }
    }
    return null;
  }

  private static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  private static String paramString(Map<String, String> params) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> p : new java.util.TreeMap<>(params).entrySet()) {
      out.add(p.getKey() + "=" + p.getValue());
    }
    return String.join(", ", out);
  }

  private static String rateOrNotRun(double v) {
    return v > 0 && !Double.isInfinite(v) ? num(v) : NOT_RUN;
  }

  private static String scoreWithError(Metric m) {
    String s = num(m.score());
    if (m.error() > 0 && !Double.isInfinite(m.error())) {
      s += " ± " + num(m.error());
    }
    return s + " " + m.unit();
  }

  /** A number for a table: grouped integers from 100 up, then 3 significant digits. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return NONE;
    }
    double a = Math.abs(v);
    if (a >= 100 || (v == Math.rint(v))) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (a == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
