package io.crema.cache;

/** The key's shard has no leader that can be reached (election in progress or no quorum). */
public final class NoLeaderException extends CacheException {
  private static final long serialVersionUID = 1L;

  public NoLeaderException(String message) {
    super(message, null);
  }

  public NoLeaderException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
