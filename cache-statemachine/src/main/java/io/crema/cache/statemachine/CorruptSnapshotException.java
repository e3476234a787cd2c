package io.crema.cache.statemachine;

import java.io.IOException;

/**
 * A snapshot's data failed a check (magic, checksum, length, structure, truncation). The snapshot
 * must not be used; fall back to an older one or fetch one from a peer.
 */
public final class CorruptSnapshotException extends IOException {
  /** Creates the exception with a message saying what failed and where. */
  public CorruptSnapshotException(String message) {
    super(message);
  }
}
