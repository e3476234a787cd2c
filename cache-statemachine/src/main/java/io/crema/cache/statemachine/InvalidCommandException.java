package io.crema.cache.statemachine;

/**
 * A command was rejected before it reached the log: a size or TTL limit was exceeded, an argument
 * is malformed, or (best effort, see {@link CacheStateMachine#precheck}) it cannot succeed against
 * the current state. The message names the offending value and the limit.
 */
public final class InvalidCommandException extends IllegalArgumentException {
  /** Creates the exception with a message naming the offending value and the limit. */
  public InvalidCommandException(String message) {
    super(message);
  }
}
