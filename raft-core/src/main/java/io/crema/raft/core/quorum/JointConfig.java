package io.crema.raft.core.quorum;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Two majority configurations that must both agree: the incoming one and, during joint consensus,
 * the outgoing one (empty otherwise). Immutable.
 */
public final class JointConfig {
  private final MajorityConfig incoming;
  private final MajorityConfig outgoing;

  public JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {
    if (incoming == null || outgoing == null) {
      throw new IllegalArgumentException("joint config halves must not be null");
    }
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  /** A non-joint configuration. */
  public static JointConfig of(MajorityConfig incoming) {
    return new JointConfig(incoming, MajorityConfig.empty());
  }

  public MajorityConfig incoming() {
    return incoming;
  }

  public MajorityConfig outgoing() {
    return outgoing;
  }

  /** Whether an outgoing configuration is present. */
  public boolean isJoint() {
    return !outgoing.isEmpty();
  }

  /** Whether the id votes in either half. */
  public boolean contains(long id) {
    return incoming.contains(id) || outgoing.contains(id);
  }

  /** All voter ids of both halves, sorted, distinct. */
  public long[] ids() {
    return LongStream.concat(Arrays.stream(incoming.ids()), Arrays.stream(outgoing.ids()))
        .sorted()
        .distinct()
        .toArray();
  }

  /** The index both halves have committed: the smaller of the two. */
  public long committedIndex(AckedIndexer acked) {
    return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
  }

  /** Won only if both halves won; lost if either lost. */
  public VoteResult voteResult(VoteLookup votes) {
    VoteResult a = incoming.voteResult(votes);
    VoteResult b = outgoing.voteResult(votes);
    if (a == b) {
      return a;
    }
    if (a == VoteResult.LOST || b == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JointConfig
        && incoming.equals(((JointConfig) o).incoming)
        && outgoing.equals(((JointConfig) o).outgoing);
  }

  @Override
  public int hashCode() {
    return incoming.hashCode() * 31 + outgoing.hashCode();
  }

  @Override
  public String toString() {
    return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
  }
}
