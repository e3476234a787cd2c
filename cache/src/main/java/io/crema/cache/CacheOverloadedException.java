package io.crema.cache;

/** Too many requests in flight on this node: back off and retry. */
public final class CacheOverloadedException extends CacheException {
  private static final long serialVersionUID = 1L;

  public CacheOverloadedException(String message) {
    super(message, null);
  }

  public CacheOverloadedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
