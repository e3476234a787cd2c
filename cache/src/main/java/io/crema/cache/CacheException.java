package io.crema.cache;

/**
 * Why a cache operation failed, in terms a caller can act on. Subclasses: {@link
 * CacheTimeoutException} (may or may not have been applied), {@link NoLeaderException} (no quorum
 * or election in progress: retry later), {@link CacheOverloadedException} (back off), {@link
 * InvalidRequestException} (fix the request) and {@link CacheShutdownException}.
 */
public abstract class CacheException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CacheException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same request may succeed if retried later. */
  public abstract boolean retryable();
}
