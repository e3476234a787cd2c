package io.crema.transport.aeron;

import static io.crema.transport.aeron.AeronTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad frames sent over the wire to a running node (through a raw Aeron publication to its endpoint)
 * are dropped and counted, and the node goes on receiving good ones.
 */
class AeronTransportWireSafetyTest {
  private static final long CLUSTER = AeronTestSupport.CLUSTER_ID;

  private EmbeddedMediaDriver driver;
  private Aeron rawClient;
  private AeronTransport node1;
  private AeronTransport node2;

  @BeforeEach
  void setUp() {
    driver = EmbeddedMediaDriver.launch();
    int[] ports = AeronTestSupport.freeUdpPorts(3);
    node1 =
        AeronTransport.start(
            AeronTestSupport.config(1, ports, driver.aeronDirectoryName()).build());
    node2 =
        AeronTransport.start(
            AeronTestSupport.config(2, ports, driver.aeronDirectoryName()).build());
    rawClient = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
  }

  @AfterEach
  void tearDown() {
    CloseHelper.closeAll(node1, node2, rawClient);
    driver.close();
  }

  private static Message hb(long from, long to, long context) {
    return Message.builder(MessageType.HEARTBEAT)
        .from(from)
        .to(to)
        .term(1)
        .context(context)
        .build();
  }

  @Test
  void badFramesAreCountedAndDroppedAndGoodOnesStillArrive() {
    ExclusivePublication raw =
        rawClient.addExclusivePublication(
            "aeron:udp?endpoint=" + node1.config().endpoint() + "|term-length=65536",
            AeronTransportConfig.DEFAULT_STREAM_ID);
    await(5_000, raw::isConnected, () -> {}, () -> "raw publication to connect");

    byte[] garbage = new byte[100];
    Arrays.fill(garbage, (byte) 0x55);
    byte[] newerVersion = TestMessages.frame(CLUSTER, 2, List.of(hb(2, 1, 1)));
    newerVersion[WireFormat.VERSION_OFFSET] = 2;
    byte[] malformed = TestMessages.frame(CLUSTER, 2, List.of(hb(2, 1, 1)));
    malformed[WireFormat.HEADER_LENGTH + WireFormat.RECORD_FLAGS_OFFSET] = (byte) 0x80;
    List<byte[]> frames =
        List.of(
            garbage,
            new byte[10],
            newerVersion,
            TestMessages.frame(CLUSTER + 1, 2, List.of(hb(2, 1, 1))),
            TestMessages.frame(CLUSTER, 9, List.of(hb(9, 1, 1))),
            malformed,
            TestMessages.frame(CLUSTER, 2, List.of(hb(2, 3, 1))),
            TestMessages.frame(CLUSTER, 2, List.of(hb(2, 1, 42))));
    for (byte[] f : frames) {
      await(
          5_000,
          () -> raw.offer(new UnsafeBuffer(f)) > 0,
          () -> {},
          () -> "raw offer to be accepted");
    }

    List<Message> got = new ArrayList<>();
    await(
        10_000,
        () -> got.size() == 1 && node1.stats().droppedMisrouted() == 1,
        () -> node1.poll(got::add, 10),
        () -> "the one good frame; stats " + node1.stats());
    assertEquals(42, got.get(0).context());
    assertEquals(2, got.get(0).from());
    AeronTransportStats s = node1.stats();
    assertEquals(1, s.rejectedBadMagic(), s.toString());
    assertEquals(1, s.rejectedBadLength(), s.toString());
    assertEquals(1, s.rejectedVersion(), s.toString());
    assertEquals(1, s.rejectedOtherCluster(), s.toString());
    assertEquals(1, s.rejectedUnknownSender(), s.toString());
    assertEquals(1, s.rejectedMalformed(), s.toString());
    assertEquals(6, s.framesRejected());

    AeronTestSupport.awaitConnected(List.of(node1, node2), 10_000);
    List<Message> fromNode2 = new ArrayList<>();
    await(
        10_000,
        () -> !fromNode2.isEmpty(),
        () -> {
          node2.send(hb(2, 1, 77));
          node2.flush();
          node1.poll(fromNode2::add, 1);
        },
        () -> "a message from node 2 after the bad frames");
    assertEquals(77, fromNode2.get(0).context());
  }
}
