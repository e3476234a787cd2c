package io.crema.cache;

import io.crema.transport.aeron.EmbeddedMediaDriver;

/**
 * One embedded Aeron media driver per process, shared by every cache node in it (tests and demos
 * run three nodes in one JVM); started by the first node and stopped with the last.
 */
final class SharedMediaDriver {
  private static EmbeddedMediaDriver driver;
  private static int users;

  private SharedMediaDriver() {}

  /**
   * @param maxParkNs longest park of the driver's idle threads; the first caller's value is used
   */
  static synchronized String acquire(long maxParkNs) {
    if (driver == null) {
      driver =
          EmbeddedMediaDriver.builder()
              .idleStrategy(() -> EmbeddedMediaDriver.backoff(maxParkNs))
              .build();
    }
    users++;
    return driver.aeronDirectoryName();
  }

  static synchronized void release() {
    if (users > 0 && --users == 0) {
      driver.close();
      driver = null;
    }
  }
}
