package io.crema.raft;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A group's membership: voters, learners and, while in joint consensus, the outgoing voters. Node
 * ids are positive longs. Immutable; id arrays are sorted and de-duplicated.
 */
public final class ConfState {
  /** No members at all. */
  public static final ConfState EMPTY =
      new ConfState(new long[0], new long[0], new long[0], new long[0], false);

  private final long[] voters;
  private final long[] learners;
  private final long[] votersOutgoing;
  private final long[] learnersNext;
  private final boolean autoLeave;

  /**
   * Creates a membership.
   *
   * @param voters voters of the (incoming) configuration
   * @param learners non-voting members
   * @param votersOutgoing voters of the outgoing configuration; empty unless joint
   * @param learnersNext voters of the outgoing configuration that become learners on leaving joint
   * @param autoLeave whether the leader leaves the joint configuration on its own
   */
  public ConfState(
      long[] voters,
      long[] learners,
      long[] votersOutgoing,
      long[] learnersNext,
      boolean autoLeave) {
    this.voters = normalise("voters", voters);
    this.learners = normalise("learners", learners);
    this.votersOutgoing = normalise("votersOutgoing", votersOutgoing);
    this.learnersNext = normalise("learnersNext", learnersNext);
    this.autoLeave = autoLeave;
    for (long l : this.learners) {
      if (contains(this.voters, l) || contains(this.votersOutgoing, l)) {
        throw new IllegalArgumentException("node " + l + " is both a learner and a voter");
      }
    }
  }

  /** A plain configuration of the given voters. */
  public static ConfState ofVoters(long... voters) {
    return new ConfState(voters, new long[0], new long[0], new long[0], false);
  }

  private static long[] normalise(String what, long[] ids) {
    if (ids == null) {
      return new long[0];
    }
    long[] copy = Arrays.stream(ids).sorted().distinct().toArray();
    for (long id : copy) {
      if (id <= 0) {
        throw new IllegalArgumentException(what + " contains node id " + id + "; ids must be > 0");
      }
    }
    return copy;
  }

  private static boolean contains(long[] sorted, long id) {
    return Arrays.binarySearch(sorted, id) >= 0;
  }

  public long[] voters() {
    return voters.clone();
  }

  public long[] learners() {
    return learners.clone();
  }

  public long[] votersOutgoing() {
    return votersOutgoing.clone();
  }

  public long[] learnersNext() {
    return learnersNext.clone();
  }

  public boolean autoLeave() {
    return autoLeave;
  }

  /** Whether this is a joint configuration (outgoing voters present). */
  public boolean isJoint() {
    return votersOutgoing.length > 0;
  }

  /** Whether the node votes in the incoming or outgoing configuration. */
  public boolean isVoter(long id) {
    return contains(voters, id) || contains(votersOutgoing, id);
  }

  /** Whether the node is a member in any role. */
  public boolean isMember(long id) {
    return isVoter(id) || contains(learners, id) || contains(learnersNext, id);
  }

  /** All member ids (voters of both halves, learners, next learners), sorted, distinct. */
  public long[] members() {
    long[] all =
        new long[voters.length + votersOutgoing.length + learners.length + learnersNext.length];
    int n = 0;
    for (long[] part : new long[][] {voters, votersOutgoing, learners, learnersNext}) {
      System.arraycopy(part, 0, all, n, part.length);
      n += part.length;
    }
    return Arrays.stream(all).sorted().distinct().toArray();
  }

  /** Whether any member matches. */
  public boolean anyMember(LongPredicate p) {
    for (long id : members()) {
      if (p.test(id)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ConfState)) {
      return false;
    }
    ConfState c = (ConfState) o;
    return autoLeave == c.autoLeave
        && Arrays.equals(voters, c.voters)
        && Arrays.equals(learners, c.learners)
        && Arrays.equals(votersOutgoing, c.votersOutgoing)
        && Arrays.equals(learnersNext, c.learnersNext);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(voters);
    h = h * 31 + Arrays.hashCode(learners);
    h = h * 31 + Arrays.hashCode(votersOutgoing);
    h = h * 31 + Arrays.hashCode(learnersNext);
    return h * 31 + (autoLeave ? 1 : 0);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("voters=").append(Arrays.toString(voters));
    if (isJoint()) {
      b.append("&&").append(Arrays.toString(votersOutgoing));
    }
    if (learners.length > 0) {
      b.append(" learners=").append(Arrays.toString(learners));
    }
    if (learnersNext.length > 0) {
      b.append(" learnersNext=").append(Arrays.toString(learnersNext));
    }
    if (autoLeave) {
      b.append(" autoLeave");
    }
    return b.toString();
  }
}
