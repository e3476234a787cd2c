package io.crema.raft.testkit.linearizability;

import java.util.Objects;

/**
 * One client operation of a history: a {@link Command}, the interval in which it was outstanding,
 * and its outcome. Immutable.
 *
 * <p>Times are {@code long}s in any unit, as long as every operation of one history uses the same
 * monotonic time source ({@link HistoryRecorder} uses nanoseconds). Operation {@code a} precedes
 * {@code b} in real time iff {@code a.responseTime() < b.invokeTime()}; intervals that touch or
 * overlap are concurrent.
 *
 * <p>The outcome is either {@link Status#OK}, with the output the client saw (the value read, or
 * whether a CAS succeeded), or {@link Status#UNKNOWN}: the client timed out or crashed, so the
 * operation may or may not have taken effect, at any time after its invocation. An UNKNOWN
 * operation has {@link #responseTime()} {@link #UNKNOWN_RESPONSE}; an UNKNOWN read constrains
 * nothing and is ignored by the checker.
 */
public final class Operation {

  /** Whether the client learnt the operation's output. */
  public enum Status {
    /** The operation completed and its output is known. */
    OK,
    /** The operation may or may not have taken effect (timeout, crash, lost reply). */
    UNKNOWN
  }

  /** The response time of an UNKNOWN operation: it never returned. */
  public static final long UNKNOWN_RESPONSE = Long.MAX_VALUE;

  private final long clientId;
  private final Command command;
  private final long invokeTime;
  private final long responseTime;
  private final Status status;
  private final String observed;
  private final boolean casSucceeded;

  private Operation(
      long clientId,
      Command command,
      long invokeTime,
      long responseTime,
      Status status,
      String observed,
      boolean casSucceeded) {
    this.clientId = clientId;
    this.command = Objects.requireNonNull(command, "command");
    this.invokeTime = invokeTime;
    this.responseTime = responseTime;
    this.status = status;
    this.observed = observed;
    this.casSucceeded = casSucceeded;
  }

  /**
   * A completed read of {@code key} that returned {@code observed} ({@code null}: absent).
   *
   * @throws IllegalArgumentException if {@code responseTime < invokeTime} or {@code responseTime ==
   *     UNKNOWN_RESPONSE}
   */
  public static Operation read(
      long clientId, String key, String observed, long invokeTime, long responseTime) {
    return completed(clientId, Command.read(key), invokeTime, responseTime, observed, false);
  }

  /** A completed (acknowledged) write; see {@link #read} for the time checks. */
  public static Operation write(
      long clientId, String key, String value, long invokeTime, long responseTime) {
    return completed(clientId, Command.write(key, value), invokeTime, responseTime, null, false);
  }

  /** A completed (acknowledged) delete; see {@link #read} for the time checks. */
  public static Operation delete(long clientId, String key, long invokeTime, long responseTime) {
    return completed(clientId, Command.delete(key), invokeTime, responseTime, null, false);
  }

  /**
   * A completed compare-and-set that reported {@code succeeded}; see {@link #read} for the time
   * checks and {@link Command#cas} for the meaning of {@code null} values.
   */
  public static Operation cas(
      long clientId,
      String key,
      String expected,
      String newValue,
      boolean succeeded,
      long invokeTime,
      long responseTime) {
    return completed(
        clientId, Command.cas(key, expected, newValue), invokeTime, responseTime, null, succeeded);
  }

  /**
   * An operation invoked at {@code invokeTime} whose outcome is unknown: it may have taken effect
   * at any time after {@code invokeTime}, or never.
   */
  public static Operation unknown(long clientId, Command command, long invokeTime) {
    if (invokeTime == UNKNOWN_RESPONSE) {
      throw new IllegalArgumentException(
          "invokeTime must be < " + UNKNOWN_RESPONSE + ", was " + invokeTime);
    }
    return new Operation(
        clientId, command, invokeTime, UNKNOWN_RESPONSE, Status.UNKNOWN, null, false);
  }

  /** A completed operation of any kind; {@code observed} is used by reads, the flag by CAS. */
  static Operation completed(
      long clientId,
      Command command,
      long invokeTime,
      long responseTime,
      String observed,
      boolean casSucceeded) {
    if (responseTime < invokeTime) {
      throw new IllegalArgumentException(
          "responseTime "
              + responseTime
              + " is before invokeTime "
              + invokeTime
              + " of "
              + command);
    }
    if (responseTime == UNKNOWN_RESPONSE) {
      throw new IllegalArgumentException(
          "responseTime " + UNKNOWN_RESPONSE + " is reserved for UNKNOWN operations: " + command);
    }
    return new Operation(
        clientId, command, invokeTime, responseTime, Status.OK, observed, casSucceeded);
  }

  /** This operation's invocation with an UNKNOWN outcome: a weaker claim than this one. */
  Operation asUnknown() {
    return status == Status.UNKNOWN ? this : unknown(clientId, command, invokeTime);
  }

  /** The client that issued the operation; used for reporting only. */
  public long clientId() {
    return clientId;
  }

  /** What was asked. */
  public Command command() {
    return command;
  }

  /** Shorthand for {@code command().kind()}. */
  public Command.Kind kind() {
    return command.kind();
  }

  /** Shorthand for {@code command().key()}. */
  public String key() {
    return command.key();
  }

  /** When the client invoked the operation. */
  public long invokeTime() {
    return invokeTime;
  }

  /** When the client saw the response; {@link #UNKNOWN_RESPONSE} if the outcome is unknown. */
  public long responseTime() {
    return responseTime;
  }

  /** Whether the output is known. */
  public Status status() {
    return status;
  }

  /** Whether {@link #status()} is {@link Status#UNKNOWN}. */
  public boolean isUnknown() {
    return status == Status.UNKNOWN;
  }

  /**
   * The value a completed read returned ({@code null}: absent).
   *
   * @throws IllegalStateException if this is not a read with status OK
   */
  public String observed() {
    if (command.kind() != Command.Kind.READ || status != Status.OK) {
      throw new IllegalStateException("only a completed read has an observed value: " + this);
    }
    return observed;
  }

  /**
   * Whether a completed CAS reported success.
   *
   * @throws IllegalStateException if this is not a CAS with status OK
   */
  public boolean casSucceeded() {
    if (command.kind() != Command.Kind.CAS || status != Status.OK) {
      throw new IllegalStateException("only a completed CAS has a result: " + this);
    }
    return casSucceeded;
  }

  /** Whether this operation finished before {@code other} was invoked (real-time order). */
  public boolean precedes(Operation other) {
    return responseTime < other.invokeTime;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Operation)) {
      return false;
    }
    Operation p = (Operation) o;
    return clientId == p.clientId
        && invokeTime == p.invokeTime
        && responseTime == p.responseTime
        && casSucceeded == p.casSucceeded
        && status == p.status
        && command.equals(p.command)
        && Objects.equals(observed, p.observed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        clientId, command, invokeTime, responseTime, status, observed, casSucceeded);
  }

  /** For example {@code c2 cas(k, "a" -> "b") = true [10, 25]} or {@code ... = ? [10, inf)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('c').append(clientId).append(' ').append(command);
    if (status == Status.UNKNOWN) {
      return sb.append(" = ? [").append(invokeTime).append(", inf)").toString();
    }
    switch (command.kind()) {
      case READ:
        sb.append(" = ").append(Command.show(observed));
        break;
      case CAS:
        sb.append(" = ").append(casSucceeded);
        break;
      default:
        sb.append(" = ok");
        break;
    }
    return sb.append(" [")
        .append(invokeTime)
        .append(", ")
        .append(responseTime)
        .append(']')
        .toString();
  }
}
