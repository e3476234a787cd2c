package io.crema.raft.core.tracker;

import io.crema.raft.ConfState;
import io.crema.raft.core.quorum.JointConfig;
import io.crema.raft.core.quorum.MajorityConfig;
import java.util.Arrays;

/**
 * A group's configuration as the tracker sees it: the joint voter configuration, learners, the
 * outgoing voters that become learners on leaving joint, and whether the leader leaves joint on its
 * own. Immutable.
 */
public record TrackerConfig(
    JointConfig voters, long[] learners, long[] learnersNext, boolean autoLeave) {

  public TrackerConfig {
    learners = Arrays.stream(learners).sorted().distinct().toArray();
    learnersNext = Arrays.stream(learnersNext).sorted().distinct().toArray();
  }

  /** The configuration described by a persisted membership. */
  public static TrackerConfig of(ConfState cs) {
    return new TrackerConfig(
        new JointConfig(MajorityConfig.of(cs.voters()), MajorityConfig.of(cs.votersOutgoing())),
        cs.learners(),
        cs.learnersNext(),
        cs.autoLeave());
  }

  /** The membership to persist. */
  public ConfState toConfState() {
    return new ConfState(
        voters.incoming().ids(), learners, voters.outgoing().ids(), learnersNext, autoLeave);
  }

  public boolean isLearner(long id) {
    return Arrays.binarySearch(learners, id) >= 0;
  }

  public boolean isLearnerNext(long id) {
    return Arrays.binarySearch(learnersNext, id) >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrackerConfig && toConfState().equals(((TrackerConfig) o).toConfState());
  }

  @Override
  public int hashCode() {
    return toConfState().hashCode();
  }

  @Override
  public String toString() {
    return toConfState().toString();
  }
}
