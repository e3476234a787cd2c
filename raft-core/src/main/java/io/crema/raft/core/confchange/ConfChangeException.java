package io.crema.raft.core.confchange;

/** A configuration change that cannot be applied to the current configuration, and why. */
public final class ConfChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfChangeException(String message) {
    super(message);
  }
}
