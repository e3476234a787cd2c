package io.crema.cache;

/**
 * The request itself is invalid (the message names the value and the limit); retrying will not
 * help.
 */
public final class InvalidRequestException extends CacheException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message, null);
  }

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
