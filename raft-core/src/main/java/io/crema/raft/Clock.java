package io.crema.raft;

/** A monotonic time source for hosts; the Raft algorithm itself reads no clock. */
@FunctionalInterface
public interface Clock {
  /** Monotonic nanoseconds since an arbitrary origin. */
  long nanoTime();

  /** The JVM's monotonic clock. */
  static Clock system() {
    return System::nanoTime;
  }
}
