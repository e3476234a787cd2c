package io.crema.raft;

/** A log store could not write or read: the batch that saw it was not (fully) made durable. */
public class LogStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LogStoreException(String message) {
    super(message);
  }

  public LogStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
