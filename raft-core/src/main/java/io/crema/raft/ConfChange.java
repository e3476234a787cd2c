package io.crema.raft;

import java.util.List;

/**
 * A membership change: one or more single-node changes applied together. One change that adds or
 * removes at most one voter is applied directly ("simple"); anything else goes through joint
 * consensus. Immutable. Encoded into a {@link EntryType#CONF_CHANGE} entry with {@link #encode()}.
 *
 * @param transition how a joint configuration is left
 * @param changes the changes; empty with {@link Transition#AUTO} means "leave joint"
 */
public record ConfChange(Transition transition, List<Change> changes) {
  private static final byte VERSION = 1;

  /** What a single change does to a node. */
  public enum Type {
    ADD_VOTER,
    ADD_LEARNER,
    REMOVE_NODE
  }

  /** How the joint configuration entered by a change is left. */
  public enum Transition {
    /** Simple change if possible, else joint with automatic leave. */
    AUTO,
    /** Joint consensus, left automatically once the joint configuration is applied. */
    JOINT_IMPLICIT,
    /** Joint consensus, left only by an explicit empty change proposed by the user. */
    JOINT_EXPLICIT
  }

  /** One change to one node. */
  public record Change(Type type, long nodeId) {
    public Change {
      if (type == null) {
        throw new IllegalArgumentException("change type must not be null");
      }
      if (nodeId <= 0) {
        throw new IllegalArgumentException("node id must be > 0, was " + nodeId);
      }
    }
  }

  public ConfChange {
    if (transition == null) {
      throw new IllegalArgumentException("transition must not be null");
    }
    changes = List.copyOf(changes);
  }

  public static ConfChange addVoter(long nodeId) {
    return new ConfChange(Transition.AUTO, List.of(new Change(Type.ADD_VOTER, nodeId)));
  }

  public static ConfChange addLearner(long nodeId) {
    return new ConfChange(Transition.AUTO, List.of(new Change(Type.ADD_LEARNER, nodeId)));
  }

  public static ConfChange removeNode(long nodeId) {
    return new ConfChange(Transition.AUTO, List.of(new Change(Type.REMOVE_NODE, nodeId)));
  }

  /** The empty change that leaves a joint configuration. */
  public static ConfChange leaveJoint() {
    return new ConfChange(Transition.AUTO, List.of());
  }

  /** Whether this change leaves a joint configuration (no changes). */
  public boolean isLeaveJoint() {
    return changes.isEmpty();
  }

  /**
   * Whether this change enters a joint configuration, and whether it leaves it automatically. A
   * change is "simple" (no joint) only with transition AUTO and at most one change.
   */
  public boolean entersJoint() {
    return transition != Transition.AUTO || changes.size() > 1;
  }

  /** Whether the leader leaves the joint state on its own after this change is applied. */
  public boolean autoLeave() {
    return transition != Transition.JOINT_EXPLICIT;
  }

  /** Encodes as: version, transition, count, then (type, nodeId) pairs. */
  public byte[] encode() {
    byte[] out = new byte[3 + changes.size() * 9];
    out[0] = VERSION;
    out[1] = (byte) transition.ordinal();
    out[2] = (byte) changes.size();
    int p = 3;
    for (Change c : changes) {
      out[p++] = (byte) c.type().ordinal();
      long v = c.nodeId();
      for (int i = 7; i >= 0; i--) {
        out[p++] = (byte) (v >>> (i * 8));
      }
    }
    return out;
  }

  /**
   * Decodes {@link #encode()} output.
   *
   * @throws IllegalArgumentException if the bytes are not a valid encoding
   */
  public static ConfChange decode(byte[] in) {
    if (in.length < 3 || in[0] != VERSION) {
      throw new IllegalArgumentException(
          "not a conf change encoding (length "
              + in.length
              + ", version byte "
              + (in.length > 0 ? in[0] : -1)
              + ")");
    }
    Transition[] transitions = Transition.values();
    Type[] types = Type.values();
    int t = in[1];
    int n = in[2] & 0xFF;
    if (t < 0 || t >= transitions.length || in.length != 3 + n * 9) {
      throw new IllegalArgumentException(
          "corrupt conf change: transition " + t + ", " + n + " changes, length " + in.length);
    }
    Change[] out = new Change[n];
    int p = 3;
    for (int i = 0; i < n; i++) {
      int type = in[p++];
      if (type < 0 || type >= types.length) {
        throw new IllegalArgumentException("corrupt conf change: change type " + type);
      }
      long v = 0;
      for (int k = 0; k < 8; k++) {
        v = (v << 8) | (in[p++] & 0xFF);
      }
      out[i] = new Change(types[type], v);
    }
    return new ConfChange(transitions[t], List.of(out));
  }
}
