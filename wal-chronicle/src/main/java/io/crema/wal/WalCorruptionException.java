package io.crema.wal;

import io.crema.raft.LogStoreException;
import java.io.File;

/**
 * The log is damaged before its tail (or in a way recovery cannot step past): opening fails rather
 * than return wrong or incomplete data. Names the file and byte position of the first bad record.
 * Recovery needs an operator: restore the node from its peers (wipe the directory and rejoin) or
 * from a backup.
 */
public final class WalCorruptionException extends LogStoreException {
  private static final long serialVersionUID = 1L;

  private final transient File file;
  private final long position;

  WalCorruptionException(String message, File file, long position) {
    super(message + " [file " + file + ", position " + position + "]");
    this.file = file;
    this.position = position;
  }

  WalCorruptionException(String message, File file, long position, Throwable cause) {
    super(message + " [file " + file + ", position " + position + "]", cause);
    this.file = file;
    this.position = position;
  }

  /** The queue file holding the bad record (null if unknown). */
  public File file() {
    return file;
  }

  /** Byte position of the bad record in {@link #file()} (-1 if unknown). */
  public long position() {
    return position;
  }
}
