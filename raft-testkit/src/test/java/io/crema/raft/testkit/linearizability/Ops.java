package io.crema.raft.testkit.linearizability;

/** Short factories for hand-written single-key histories on key {@code "k"}. */
final class Ops {
  static final String K = "k";

  private Ops() {}

  static Operation w(long client, String value, long invoke, long response) {
    return Operation.write(client, K, value, invoke, response);
  }

  static Operation r(long client, String observed, long invoke, long response) {
    return Operation.read(client, K, observed, invoke, response);
  }

  static Operation del(long client, long invoke, long response) {
    return Operation.delete(client, K, invoke, response);
  }

  static Operation cas(
      long client, String expected, String newValue, boolean ok, long invoke, long response) {
    return Operation.cas(client, K, expected, newValue, ok, invoke, response);
  }

  static Operation wUnknown(long client, String value, long invoke) {
    return Operation.unknown(client, Command.write(K, value), invoke);
  }

  static Operation casUnknown(long client, String expected, String newValue, long invoke) {
    return Operation.unknown(client, Command.cas(K, expected, newValue), invoke);
  }
}
