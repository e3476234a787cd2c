package io.crema.raft.core.quorum;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of voters that decides by simple majority. Immutable. An empty configuration agrees to
 * everything (committed index "infinity", every election won), which makes joint maths uniform.
 *
 * <p>Not thread-safe for {@link #committedIndex}: it reuses a scratch array (one group's algorithm
 * runs on one thread).
 */
public final class MajorityConfig {
  private static final MajorityConfig EMPTY = new MajorityConfig(new long[0]);

  private final long[] ids;
  private final long[] scratch;

  private MajorityConfig(long[] sortedDistinct) {
    this.ids = sortedDistinct;
    this.scratch = new long[sortedDistinct.length];
  }

  /**
   * A configuration of the given voter ids (duplicates collapse).
   *
   * @throws IllegalArgumentException if an id is not positive
   */
  public static MajorityConfig of(long... voterIds) {
    long[] s = Arrays.stream(voterIds).sorted().distinct().toArray();
    for (long id : s) {
      if (id <= 0) {
        throw new IllegalArgumentException("voter id must be > 0, was " + id);
      }
    }
    return s.length == 0 ? EMPTY : new MajorityConfig(s);
  }

  public static MajorityConfig empty() {
    return EMPTY;
  }

  public int size() {
    return ids.length;
  }

  public boolean isEmpty() {
    return ids.length == 0;
  }

  public boolean contains(long id) {
    return Arrays.binarySearch(ids, id) >= 0;
  }

  /** The voter ids, sorted (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  public void forEach(LongConsumer action) {
    for (long id : ids) {
      action.accept(id);
    }
  }

  /** How many voters make a quorum. */
  public int quorum() {
    return ids.length / 2 + 1;
  }

  /**
   * The largest index acknowledged by a quorum: the highest i such that at least {@link #quorum()}
   * voters acknowledged i or more. {@link Long#MAX_VALUE} for an empty configuration.
   */
  public long committedIndex(AckedIndexer acked) {
    int n = ids.length;
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    for (int i = 0; i < n; i++) {
      long a = acked.ackedIndex(ids[i]);
      scratch[i] = a < 0 ? 0 : a;
    }
    // Insertion sort: configurations are small (3, 5, 7 voters).
    for (int i = 1; i < n; i++) {
      long v = scratch[i];
      int j = i - 1;
      while (j >= 0 && scratch[j] > v) {
        scratch[j + 1] = scratch[j];
        j--;
      }
      scratch[j + 1] = v;
    }
    // Ascending order: the quorum-th highest value sits at n - quorum.
    return scratch[n - quorum()];
  }

  /** Won when a quorum granted, lost when a quorum can no longer grant, else pending. */
  public VoteResult voteResult(VoteLookup votes) {
    if (ids.length == 0) {
      return VoteResult.WON;
    }
    int granted = 0;
    int missing = 0;
    for (long id : ids) {
      int v = votes.vote(id);
      if (v == VoteLookup.GRANTED) {
        granted++;
      } else if (v == VoteLookup.MISSING) {
        missing++;
      }
    }
    int q = quorum();
    if (granted >= q) {
      return VoteResult.WON;
    }
    if (granted + missing >= q) {
      return VoteResult.PENDING;
    }
    return VoteResult.LOST;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MajorityConfig && Arrays.equals(ids, ((MajorityConfig) o).ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return Arrays.toString(ids);
  }
}
