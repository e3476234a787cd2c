package io.crema.raft.testkit.linearizability;

import java.util.Objects;

/**
 * What a client asked the register of one key to do: the invocation half of an {@link Operation}.
 *
 * <p>Keys are non-null {@code String}s. Values are {@code String}s where {@code null} means
 * "absent" (the key holds no value); every register starts absent. Instances are immutable.
 */
public final class Command {

  /** The kinds of command a register understands. */
  public enum Kind {
    /** Returns the current value, or absent. */
    READ,
    /** Sets the value. */
    WRITE,
    /** Sets the value to absent (a write of absent). */
    DELETE,
    /** Sets a new value iff the current value equals the expected one; reports which happened. */
    CAS
  }

  private final Kind kind;
  private final String key;
  private final String expected;
  private final String newValue;

  private Command(Kind kind, String key, String expected, String newValue) {
    this.kind = kind;
    this.key = Objects.requireNonNull(key, "key");
    this.expected = expected;
    this.newValue = newValue;
  }

  /** A read of {@code key}. */
  public static Command read(String key) {
    return new Command(Kind.READ, key, null, null);
  }

  /**
   * A write of a non-null {@code value} to {@code key}.
   *
   * @throws NullPointerException if {@code value} is null (use {@link #delete} to write absent)
   */
  public static Command write(String key, String value) {
    Objects.requireNonNull(value, "write value must not be null; use Command.delete for absent");
    return new Command(Kind.WRITE, key, null, value);
  }

  /** A delete of {@code key}: afterwards reads return absent. */
  public static Command delete(String key) {
    return new Command(Kind.DELETE, key, null, null);
  }

  /**
   * A compare-and-set of {@code key}: if the current value equals {@code expected} ({@code null}:
   * the key is absent) it becomes {@code newValue} ({@code null}: absent) and the CAS succeeds;
   * otherwise nothing changes and the CAS fails.
   */
  public static Command cas(String key, String expected, String newValue) {
    return new Command(Kind.CAS, key, expected, newValue);
  }

  /** The kind of command. */
  public Kind kind() {
    return kind;
  }

  /** The key (register) the command addresses; never null. */
  public String key() {
    return key;
  }

  /**
   * The value this command installs when it takes effect: the written value for {@link Kind#WRITE},
   * the new value for {@link Kind#CAS}, {@code null} (absent) for {@link Kind#DELETE}.
   *
   * @throws IllegalStateException for a {@link Kind#READ}, which installs nothing
   */
  public String newValue() {
    if (kind == Kind.READ) {
      throw new IllegalStateException("a read installs no value: " + this);
    }
    return newValue;
  }

  /**
   * The value a {@link Kind#CAS} compares against ({@code null}: expects absent).
   *
   * @throws IllegalStateException if this is not a CAS
   */
  public String expected() {
    if (kind != Kind.CAS) {
      throw new IllegalStateException("only a CAS has an expected value: " + this);
    }
    return expected;
  }

  /** Whether this command can change the register (everything but {@link Kind#READ}). */
  public boolean isMutation() {
    return kind != Kind.READ;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Command)) {
      return false;
    }
    Command c = (Command) o;
    return kind == c.kind
        && key.equals(c.key)
        && Objects.equals(expected, c.expected)
        && Objects.equals(newValue, c.newValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, key, expected, newValue);
  }

  @Override
  public String toString() {
    switch (kind) {
      case READ:
        return "read(" + key + ")";
      case WRITE:
        return "write(" + key + ", " + show(newValue) + ")";
      case DELETE:
        return "delete(" + key + ")";
      case CAS:
        return "cas(" + key + ", " + show(expected) + " -> " + show(newValue) + ")";
      default:
        throw new AssertionError(kind);
    }
  }

  /** Renders a value, with {@code null} as {@code <absent>}. */
  static String show(String value) {
    return value == null ? "<absent>" : '"' + value + '"';
  }
}
