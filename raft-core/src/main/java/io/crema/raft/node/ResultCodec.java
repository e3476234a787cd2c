package io.crema.raft.node;

/**
 * Turns state machine results into bytes and back, so that a proposal forwarded from a follower to
 * the leader ({@link RaftHost#proposeViaLeader}) can return the leader's result. The default passes
 * {@code byte[]} and null through and refuses anything else.
 */
public interface ResultCodec {
  /** The default: results are byte arrays or null. */
  ResultCodec BYTES =
      new ResultCodec() {
        @Override
        public byte[] encode(Object result) {
          if (result == null) {
            return null;
          }
          if (result instanceof byte[]) {
            return (byte[]) result;
          }
          throw new IllegalArgumentException(
              "result of type "
                  + result.getClass().getName()
                  + " cannot be forwarded: configure a ResultCodec on the host");
        }

        @Override
        public Object decode(byte[] bytes) {
          return bytes;
        }
      };

  /** Encodes a result (on the leader's host thread); may return null for a null result. */
  byte[] encode(Object result);

  /** Decodes a result (on the forwarding node's host thread); null encodes as an empty array. */
  Object decode(byte[] bytes);
}
