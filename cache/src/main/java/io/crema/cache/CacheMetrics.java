package io.crema.cache;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The cache's metrics on this node at a point in time (an immutable copy), under the crema metric
 * names, renderable in the Prometheus text exposition format with {@link #toPrometheus()}.
 *
 * @param hits local reads that found a live entry (all shards)
 * @param misses local reads that found nothing
 * @param entries entries held by this node's replicas
 * @param sizeBytes bytes held by this node's replicas
 * @param proposals writes this node submitted
 * @param proposalLatencyNs submit-to-outcome latency of those writes (a copy)
 * @param leaderChanges leader changes seen by this node, all shards
 * @param shards per-shard figures
 */
public record CacheMetrics(
    long hits,
    long misses,
    long entries,
    long sizeBytes,
    long proposals,
    Histogram proposalLatencyNs,
    long leaderChanges,
    List<Shard> shards) {

  /**
   * One shard on this node.
   *
   * @param shard shard number
   * @param entries entries held by this node's replica
   * @param leaderChanges leader changes seen
   */
  public record Shard(int shard, long entries, long leaderChanges) {}

  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  /** Renders every metric in the Prometheus text format (version 0.0.4). */
  public String toPrometheus() {
    StringBuilder b = new StringBuilder(1024);
    counter(b, "cache_hits_total", "Local reads that found a live entry.", hits);
    counter(b, "cache_misses_total", "Local reads that found nothing.", misses);
    gauge(b, "cache_entries", "Entries held by this node's replicas.", entries);
    gauge(b, "cache_size_bytes", "Bytes held by this node's replicas.", sizeBytes);
    counter(b, "raft_proposals_total", "Writes submitted on this node.", proposals);
    b.append("# HELP raft_proposal_latency_seconds Write latency from submit to outcome.\n")
        .append("# TYPE raft_proposal_latency_seconds summary\n");
    for (double q : QUANTILES) {
      b.append("raft_proposal_latency_seconds{quantile=\"")
          .append(q)
          .append("\"} ")
          .append(seconds(proposalLatencyNs.getValueAtPercentile(q * 100)))
          .append('\n');
    }
    long count = proposalLatencyNs.getTotalCount();
    b.append("raft_proposal_latency_seconds_sum ")
        .append(seconds((long) (proposalLatencyNs.getMean() * count)))
        .append('\n')
        .append("raft_proposal_latency_seconds_count ")
        .append(count)
        .append('\n');
    counter(b, "raft_leader_changes_total", "Leader changes seen, all shards.", leaderChanges);
    b.append("# HELP shard_entries Entries held by this node's replica of each shard.\n")
        .append("# TYPE shard_entries gauge\n");
    for (Shard s : shards) {
      b.append("shard_entries{shard=\"")
          .append(s.shard())
          .append("\"} ")
          .append(s.entries())
          .append('\n');
    }
    b.append("# HELP shard_leader_changes_total Leader changes seen per shard.\n")
        .append("# TYPE shard_leader_changes_total counter\n");
    for (Shard s : shards) {
      b.append("shard_leader_changes_total{shard=\"")
          .append(s.shard())
          .append("\"} ")
          .append(s.leaderChanges())
          .append('\n');
    }
    return b.toString();
  }

  private static String seconds(long ns) {
    return String.format(Locale.ROOT, "%.9f", ns / 1e9);
  }

  private static void counter(StringBuilder b, String name, String help, long v) {
    metric(b, name, help, "counter", v);
  }

  private static void gauge(StringBuilder b, String name, String help, long v) {
    metric(b, name, help, "gauge", v);
  }

  private static void metric(StringBuilder b, String name, String help, String type, long v) {
    b.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help)
        .append("\n# TYPE ")
        .append(name)
        .append(' ')
        .append(type)
        .append('\n')
        .append(name)
        .append(' ')
        .append(v)
        .append('\n');
  }
}
