package io.crema.raft.core.tracker;

/**
 * The leader's view of one peer: what it is known to hold ({@code match}), what to send next and
 * how (the {@link ProgressState}), and the in-flight window.
 */
public final class Progress {
  private long match;
  private long next;
  private ProgressState state = ProgressState.PROBE;
  private long pendingSnapshot;
  private boolean recentActive;
  private boolean probeSent;
  private boolean learner;
  private final Inflights inflights;

  public Progress(long match, long next, Inflights inflights, boolean learner) {
    this.match = match;
    this.next = next;
    this.inflights = inflights;
    this.learner = learner;
  }

  public long match() {
    return match;
  }

  public long next() {
    return next;
  }

  public ProgressState state() {
    return state;
  }

  public long pendingSnapshot() {
    return pendingSnapshot;
  }

  public boolean recentActive() {
    return recentActive;
  }

  public void recentActive(boolean v) {
    recentActive = v;
  }

  public boolean learner() {
    return learner;
  }

  public void learner(boolean v) {
    learner = v;
  }

  public Inflights inflights() {
    return inflights;
  }

  public boolean probeSent() {
    return probeSent;
  }

  private void reset(ProgressState s) {
    probeSent = false;
    pendingSnapshot = 0;
    state = s;
    inflights.reset();
  }

  /** Back to probing: after a rejection, a snapshot, or losing track of the peer. */
  public void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long ps = pendingSnapshot;
      reset(ProgressState.PROBE);
      next = Math.max(match + 1, ps + 1);
    } else {
      reset(ProgressState.PROBE);
      next = match + 1;
    }
  }

  /** Allows the next probe (the peer answered a heartbeat), keeping where probing is. */
  public void resumeProbe() {
    probeSent = false;
  }

  /** Pipelining: the peer's log is known to match ours up to {@code match}. */
  public void becomeReplicate() {
    reset(ProgressState.REPLICATE);
    next = match + 1;
  }

  /** Sending a snapshot that ends at {@code snapshotIndex}. */
  public void becomeSnapshot(long snapshotIndex) {
    reset(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /**
   * Records that an append ending at {@code lastIndex} (with {@code entries} entries of {@code
   * bytes} bytes) was sent.
   */
  public void sentEntries(int entries, long bytes, long lastIndex) {
    if (state == ProgressState.REPLICATE) {
      if (entries > 0) {
        next = lastIndex + 1;
        inflights.add(lastIndex, bytes);
      }
    } else if (state == ProgressState.PROBE) {
      probeSent = true;
    } else {
      throw new IllegalStateException("sending entries to a peer in state " + state);
    }
  }

  /** The peer acknowledged up to {@code n}. Returns whether match moved. */
  public boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * The peer rejected an append at {@code rejected}; {@code matchHint} is where it suggests the
   * logs may agree. Returns false if the rejection is stale (for an append already superseded).
   */
  public boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Whether nothing more may be sent to the peer now. */
  public boolean isPaused() {
    switch (state) {
      case PROBE:
        return probeSent;
      case REPLICATE:
        return inflights.full();
      default:
        return true;
    }
  }

  /** A copy (for configuration changes, which never mutate in place). */
  public Progress copy() {
    Progress p = new Progress(match, next, inflights, learner);
    p.state = state;
    p.pendingSnapshot = pendingSnapshot;
    p.recentActive = recentActive;
    p.probeSent = probeSent;
    return p;
  }

  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(state.name())
            .append(" match=")
            .append(match)
            .append(" next=")
            .append(next);
    if (learner) {
      b.append(" learner");
    }
    if (state == ProgressState.SNAPSHOT) {
      b.append(" pendingSnap=").append(pendingSnapshot);
    }
    if (inflights.count() > 0) {
      b.append(" inflight=").append(inflights.count());
    }
    return b.toString();
  }
}
