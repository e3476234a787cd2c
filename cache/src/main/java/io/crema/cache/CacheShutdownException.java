package io.crema.cache;

/** The cache was shut down. */
public final class CacheShutdownException extends CacheException {
  private static final long serialVersionUID = 1L;

  public CacheShutdownException(String message) {
    super(message, null);
  }

  public CacheShutdownException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
