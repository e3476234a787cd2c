package io.crema.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Bad settings fail at build time, naming the setting and the reason. */
class CacheConfigTest {
  private static void refused(Consumer<CacheConfig.Builder> setting, String... expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              CacheConfig.Builder b = CacheConfig.builder();
              setting.accept(b);
              b.build();
            });
    for (String part : expected) {
      assertTrue(e.getMessage().contains(part), "message: " + e.getMessage() + ", wanted " + part);
    }
  }

  @Test
  void defaultsBuild() {
    CacheConfig c = CacheConfig.builder().build();
    assertEquals(CacheConfig.DEFAULT_IDLE_MAX_PARK, c.idleMaxPark());
    assertEquals(CacheConfig.DEFAULT_REQUEST_TIMEOUT, c.requestTimeout());
    assertEquals(1, c.shards());
    assertEquals(CacheConfig.DEFAULT_TRANSPORT_MTU, c.transportMtu());
    assertEquals(8192, CacheConfig.builder().transportMtu(8192).build().transportMtu());
  }

  @Test
  void eachBadSettingNamesItselfAndTheReason() {
    refused(b -> b.nodeId(0), "CacheConfig.nodeId = 0");
    refused(b -> b.requestTimeout(Duration.ZERO), "requestTimeout", "must be positive");
    refused(b -> b.idleMaxPark(Duration.ofNanos(1_000)), "idleMaxPark", "between 10 µs and 10 ms");
    refused(b -> b.idleMaxPark(Duration.ofMillis(11)), "idleMaxPark", "between 10 µs and 10 ms");
    refused(b -> b.idleMaxPark(null), "idleMaxPark");
    refused(
        b -> b.storage(CacheConfig.StorageType.CHRONICLE),
        "dataDirectory",
        "required when storage is CHRONICLE");
    refused(b -> b.electionTick(3).heartbeatTick(3), "electionTick", "greater than heartbeatTick");
    refused(b -> b.leaseReads(true).checkQuorum(false), "leaseReads", "checkQuorum");
    refused(b -> b.shards(0), "shards");
    refused(b -> b.transportMtu(1024), "CacheConfig.transportMtu = 1024", "[1408, 65504]");
    refused(b -> b.transportMtu(8200), "transportMtu = 8200", "multiple of 32");
    refused(b -> b.transportMtu(65536), "transportMtu = 65536", "[1408, 65504]");
    refused(
        b -> b.termLengthBytes(64 << 10).transportMtu(16384),
        "transportMtu = 16384",
        "an eighth of termLengthBytes (8192 bytes)");
  }

  @Test
  void idleMaxParkAcceptsItsRange() {
    assertEquals(
        Duration.ofNanos(10_000),
        CacheConfig.builder().idleMaxPark(Duration.ofNanos(10_000)).build().idleMaxPark());
    assertEquals(
        Duration.ofMillis(10),
        CacheConfig.builder().idleMaxPark(Duration.ofMillis(10)).build().idleMaxPark());
  }

  @Test
  void chronicleWithADirectoryBuilds() {
    CacheConfig c =
        CacheConfig.builder()
            .storage(CacheConfig.StorageType.CHRONICLE)
            .dataDirectory(Path.of("build-only-not-created"))
            .build();
    assertEquals(CacheConfig.StorageType.CHRONICLE, c.storage());
  }
}
