package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config builder names what is wrong. */
class AeronTransportConfigTest {
  private static AeronTransportConfig.Builder valid() {
    return AeronTransportConfig.builder()
        .nodeId(1)
        .clusterId(5)
        .aeronDirectoryName("/tmp/x")
        .endpoints(Map.of(1L, "127.0.0.1:4001", 2L, "127.0.0.1:4002"));
  }

  private static void assertMessage(Class<? extends Throwable> type, String part, Runnable r) {
    Throwable t = assertThrows(type, r::run);
    assertTrue(t.getMessage().contains(part), "message '" + t.getMessage() + "' lacks " + part);
  }

  @Test
  void defaultsAreSmallAndBatchToOneDatagram() {
    AeronTransportConfig c = valid().build();
    assertEquals(AeronTransportConfig.DEFAULT_TERM_LENGTH, c.termLength());
    assertEquals(AeronTransportConfig.DEFAULT_MTU - 32, c.maxBatchBytes());
    assertEquals(new Endpoint("127.0.0.1", 4001), c.endpoint());
    assertEquals(2, c.endpoints().size());
  }

  @Test
  void badValuesAreNamed() {
    assertMessage(
        IllegalArgumentException.class, "nodeId", () -> AeronTransportConfig.builder().nodeId(0));
    assertMessage(
        IllegalArgumentException.class,
        "termLength",
        () -> AeronTransportConfig.builder().termLength(100_000));
    assertMessage(
        IllegalArgumentException.class, "mtu", () -> AeronTransportConfig.builder().mtu(1000));
    assertMessage(
        IllegalArgumentException.class,
        "offerRetries",
        () -> AeronTransportConfig.builder().offerRetries(-1));
    assertMessage(
        IllegalArgumentException.class,
        "port",
        () -> AeronTransportConfig.builder().endpoint(3, "127.0.0.1:70000"));
    assertMessage(
        IllegalArgumentException.class,
        "host:port",
        () -> AeronTransportConfig.builder().endpoint(3, "localhost"));
    assertMessage(
        IllegalArgumentException.class,
        "brackets",
        () -> AeronTransportConfig.builder().endpoint(3, "::1:4000"));
    assertEquals(new Endpoint("[::1]", 4000), Endpoint.parse("[::1]:4000"));
  }

  @Test
  void repeatedAndMissingSettingsFailFast() {
    assertMessage(IllegalStateException.class, "already set", () -> valid().clusterId(6));
    assertMessage(
        IllegalStateException.class, "already set", () -> valid().endpoint(2, "127.0.0.1:4009"));
    assertMessage(
        IllegalStateException.class,
        "clusterId",
        () -> AeronTransportConfig.builder().nodeId(1).endpoint(1, "h:1").build());
    assertMessage(
        IllegalStateException.class,
        "no endpoint for this node 3",
        () ->
            AeronTransportConfig.builder()
                .nodeId(3)
                .clusterId(1)
                .endpoint(1, "127.0.0.1:1")
                .build());
    assertMessage(
        IllegalStateException.class,
        "share an endpoint",
        () -> valid().endpoint(3, "127.0.0.1:4002").build());
    assertMessage(
        IllegalStateException.class,
        "maxBatchBytes",
        () -> valid().termLength(64 * 1024).maxBatchBytes(16 * 1024).build());
  }
}
