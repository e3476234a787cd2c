package io.crema.raft.core.tracker;

import io.crema.raft.core.quorum.AckedIndexer;
import io.crema.raft.core.quorum.VoteLookup;
import io.crema.raft.core.quorum.VoteResult;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The leader's (and candidate's) bookkeeping for one group: the configuration, every member's
 * {@link Progress} and the votes of the current election.
 */
public final class ProgressTracker {
  private final int maxInflight;
  private final long maxInflightBytes;
  private TrackerConfig config;
  private TreeMap<Long, Progress> progress;
  // The same members as flat arrays in id order: get() runs for every message and proposal, and a
  // scan of a handful of longs beats a tree lookup with boxed keys.
  private long[] ids = new long[0];
  private Progress[] values = new Progress[0];
  private final TreeMap<Long, Boolean> votes = new TreeMap<>();
  private final VoteLookup voteLookup = this::voteOf;
  private final AckedIndexer acked = this::matchOf;

  public ProgressTracker(TrackerConfig config, int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    this.config = config;
    this.progress = new TreeMap<>();
  }

  public TrackerConfig config() {
    return config;
  }

  /** Every member's progress, by id (read-only view). */
  public Map<Long, Progress> progress() {
    return Collections.unmodifiableMap(progress);
  }

  public Progress get(long id) {
    long[] ids = this.ids;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return values[i];
      }
    }
    return null;
  }

  private void index() {
    int n = progress.size();
    long[] newIds = new long[n];
    Progress[] newValues = new Progress[n];
    int i = 0;
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      newIds[i] = e.getKey();
      newValues[i++] = e.getValue();
    }
    ids = newIds;
    values = newValues;
  }

  /** A new, empty progress for a member, with this tracker's in-flight limits. */
  public Progress newProgress(long match, long next, boolean learner) {
    return new Progress(match, next, new Inflights(maxInflight, maxInflightBytes), learner);
  }

  /** Replaces configuration and progress together (the result of a configuration change). */
  public void reset(TrackerConfig newConfig, Map<Long, Progress> newProgress) {
    this.config = newConfig;
    this.progress = new TreeMap<>(newProgress);
    index();
  }

  /** Replaces one existing member's progress (the configuration is unchanged). */
  public void replaceProgress(long id, Progress p) {
    if (!progress.containsKey(id)) {
      throw new IllegalArgumentException("no member " + id + " to replace the progress of");
    }
    progress.put(id, p);
    index();
  }

  /** Visits every member's progress in id order. */
  public void visit(BiConsumer<Long, Progress> action) {
    progress.forEach(action);
  }

  /** Whether the node is a voter in either half of the configuration. */
  public boolean isVoter(long id) {
    return config.voters().contains(id);
  }

  /** Whether every voter is the local node: a single-node group decides alone. */
  public boolean isSingleton(long self) {
    long[] ids = config.voters().ids();
    return ids.length == 1 && ids[0] == self;
  }

  /** The highest index a quorum holds durably. */
  public long committed() {
    return config.voters().committedIndex(acked);
  }

  private long matchOf(long id) {
    Progress p = get(id);
    return p == null ? -1 : p.match();
  }

  /** Whether the voters recently heard from make a quorum (check-quorum). */
  public boolean quorumActive() {
    return config
            .voters()
            .voteResult(
                id -> {
                  Progress p = get(id);
                  if (p == null) {
                    return VoteLookup.MISSING;
                  }
                  return p.recentActive() ? VoteLookup.GRANTED : VoteLookup.REJECTED;
                })
        == VoteResult.WON;
  }

  public void resetVotes() {
    votes.clear();
  }

  /** Records a vote (the first one from each voter counts). */
  public void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  private int voteOf(long id) {
    Boolean v = votes.get(id);
    if (v == null) {
      return VoteLookup.MISSING;
    }
    return v ? VoteLookup.GRANTED : VoteLookup.REJECTED;
  }

  /** Counts granted and rejected votes among voters and the election's outcome so far. */
  public VoteResult tallyVotes() {
    return config.voters().voteResult(voteLookup);
  }
}
