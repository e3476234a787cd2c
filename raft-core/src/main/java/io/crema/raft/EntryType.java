package io.crema.raft;

/** What a log entry carries. */
public enum EntryType {
  /** A command for the state machine (possibly empty: the leader's no-op on election). */
  NORMAL,
  /**
   * An encoded {@link ConfChange}; applied by the host through the Raft group, not the state
   * machine.
   */
  CONF_CHANGE;

  private static final EntryType[] VALUES = values();

  /** Returns the type with the given ordinal, as written by storage and codecs. */
  public static EntryType fromOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException(
          "unknown entry type ordinal " + ordinal + " (known: 0.." + (VALUES.length - 1) + ")");
    }
    return VALUES[ordinal];
  }
}
