package io.crema.cache.statemachine;

/**
 * Identifies a client request for exactly-once application of retried commands.
 *
 * <p>A client picks a unique non-zero {@code clientId} and numbers its requests {@code seq = 1, 2,
 * ...}. {@code ackedSeq} tells the state machine that the client has received the results of all
 * its requests with a sequence number up to and including it, so their results may be forgotten; it
 * must be smaller than {@code seq}. A retry must carry the same {@code clientId} and {@code seq} as
 * the original. See {@link CacheStateMachine} for the guarantees and their bounds.
 *
 * @param clientId non-zero client identifier
 * @param seq positive request sequence number
 * @param ackedSeq the highest sequence number whose result the client has received, {@code 0 <=
 *     ackedSeq < seq}
 */
public record RequestId(long clientId, long seq, long ackedSeq) {
  /**
   * Validates the id.
   *
   * @throws InvalidCommandException if clientId is 0, seq not positive, or ackedSeq not in [0, seq)
   */
  public RequestId {
    if (clientId == 0) {
      throw new InvalidCommandException("request clientId must not be 0");
    }
    if (seq <= 0) {
      throw new InvalidCommandException("request seq must be > 0, was " + seq);
    }
    if (ackedSeq < 0 || ackedSeq >= seq) {
      throw new InvalidCommandException(
          "request ackedSeq must be in [0, seq=" + seq + "), was " + ackedSeq);
    }
  }
}
