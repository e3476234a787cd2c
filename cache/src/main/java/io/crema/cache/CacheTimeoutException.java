package io.crema.cache;

/**
 * No outcome within the request timeout: the write may or may not have been applied (a retry of the
 * same call is applied at most once).
 */
public final class CacheTimeoutException extends CacheException {
  private static final long serialVersionUID = 1L;

  public CacheTimeoutException(String message) {
    super(message, null);
  }

  public CacheTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
