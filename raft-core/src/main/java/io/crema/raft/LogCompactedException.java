package io.crema.raft;

/** Thrown when a log position that was compacted into a snapshot is read. */
public final class LogCompactedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LogCompactedException(long index, long firstIndex) {
    super("log index " + index + " is compacted; first available index is " + firstIndex);
  }
}
