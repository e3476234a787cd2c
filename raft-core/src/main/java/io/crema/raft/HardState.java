package io.crema.raft;

/**
 * The state a Raft group must persist before it sends the messages that depend on it: the current
 * term, the vote cast in that term (0 = none) and the commit index.
 */
public record HardState(long term, long vote, long commit) {
  /** The state of a group that has never run. */
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public HardState {
    if (term < 0 || vote < 0 || commit < 0) {
      throw new IllegalArgumentException(
          "hard state fields must be >= 0: term=" + term + " vote=" + vote + " commit=" + commit);
    }
  }

  public boolean isEmpty() {
    return term == 0 && vote == 0 && commit == 0;
  }
}
