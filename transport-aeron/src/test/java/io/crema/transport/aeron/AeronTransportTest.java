package io.crema.transport.aeron;

import static io.crema.transport.aeron.AeronTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batching, large messages, back-pressure, dead and restarted peers, fault injection. */
class AeronTransportTest {
  private EmbeddedMediaDriver driver;
  private int[] ports;
  private final List<AeronTransport> transports = new ArrayList<>();

  @BeforeEach
  void setUp() {
    driver = EmbeddedMediaDriver.launch();
    ports = AeronTestSupport.freeUdpPorts(3);
  }

  @AfterEach
  void tearDown() {
    CloseHelper.closeAll(transports);
    driver.close();
  }

  private AeronTransportConfig.Builder config(long id) {
    return AeronTestSupport.config(id, ports, driver.aeronDirectoryName());
  }

  private AeronTransport start(AeronTransportConfig.Builder b) {
    AeronTransport t = AeronTransport.start(b.build());
    transports.add(t);
    return t;
  }

  private AeronTransport[] startConnectedPair(AeronTransportConfig.Builder b1) {
    AeronTransport t1 = start(b1);
    AeronTransport t2 = start(config(2));
    AeronTestSupport.awaitConnected(List.of(t1, t2), 10_000);
    return new AeronTransport[] {t1, t2};
  }

  private static Message hb(long from, long to, long context) {
    return Message.builder(MessageType.HEARTBEAT)
        .from(from)
        .to(to)
        .term(1)
        .context(context)
        .build();
  }

  private static List<Message> receive(AeronTransport t, int n, Runnable meanwhile) {
    List<Message> got = new ArrayList<>();
    await(
        10_000,
        () -> got.size() >= n,
        () -> {
          meanwhile.run();
          t.poll(got::add, n - got.size());
        },
        () -> n + " messages at node " + t.nodeId() + ", got " + got.size());
    return got;
  }

  @Test
  void manySmallMessagesTravelInFewFrames() {
    AeronTransport[] ts = startConnectedPair(config(1));
    for (int i = 0; i < 1000; i++) {
      assertTrue(ts[0].send(hb(1, 2, i + 1)));
    }
    ts[0].flush();
    List<Message> got = receive(ts[1], 1000, () -> {});
    for (int i = 0; i < 1000; i++) {
      assertEquals(i + 1, got.get(i).context());
    }
    AeronTransportStats s = ts[0].stats();
    assertEquals(1000, s.messagesSent());
    // A heartbeat record is 32 bytes; a 1376-byte frame holds 42 of them.
    assertTrue(s.framesSent() <= 1000 / 40 + 1, "frames sent: " + s.framesSent());
    assertEquals(s.framesSent(), ts[1].stats().framesReceived());
  }

  @Test
  void aSnapshotChunkLargerThanTheMtuArrivesWhole() {
    AeronTransport[] ts = startConnectedPair(config(1));
    byte[] data = new byte[100_000];
    new SplittableRandom(5).nextBytes(data);
    Message chunk =
        Message.builder(MessageType.SNAPSHOT_CHUNK)
            .from(1)
            .to(2)
            .term(3)
            .index(4096)
            .commit(1_000_000)
            .snapshot(new SnapshotMeta(10, 2, io.crema.raft.ConfState.ofVoters(1, 2, 3)))
            .payload(data)
            .build();
    assertTrue(ts[0].send(chunk));
    assertTrue(ts[0].send(hb(1, 2, 9)));
    ts[0].flush();
    List<Message> got = receive(ts[1], 2, () -> {});
    assertEquals(TestMessages.describe(chunk), TestMessages.describe(got.get(0)));
    assertArrayEquals(data, got.get(0).payload());
    assertEquals(9, got.get(1).context());
  }

  @Test
  void aMessageLargerThanAeronAllowsIsRefusedAndCounted() {
    AeronTransport[] ts = startConnectedPair(config(1).termLength(64 * 1024));
    assertEquals(64 * 1024 / 8 - WireFormat.HEADER_LENGTH, ts[0].maxMessageBytes());
    Message big =
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .entries(List.of(Entry.normal(1, 1, new byte[ts[0].maxMessageBytes()])))
            .build();
    assertFalse(ts[0].send(big));
    assertEquals(1, ts[0].stats().droppedOversize());
    assertTrue(ts[0].send(hb(1, 2, 3)));
    ts[0].flush();
    assertEquals(3, receive(ts[1], 1, () -> {}).get(0).context());
  }

  @Test
  void sendsToADeadPeerReturnFalseAtOnce() {
    AeronTransport t1 = start(config(1));
    long startNs = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      if (t1.send(hb(1, 3, i))) {
        accepted++;
      }
      if (i % 100 == 0) {
        t1.flush();
      }
    }
    t1.flush();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    assertEquals(0, accepted);
    assertEquals(100_000, t1.stats().droppedNotConnected());
    assertTrue(tookMs < 5_000, "100k sends to a dead peer took " + tookMs + " ms");
  }

  @Test
  void backPressureRefusesSendsButLosesNothingAccepted() {
    AeronTransport[] ts =
        startConnectedPair(config(1).termLength(64 * 1024).outboundBufferBytes(64 * 1024));
    AeronTransport t1 = ts[0];
    AeronTransport t2 = ts[1];
    // The receiver does not poll: Aeron's window fills, then the outbound buffer.
    long accepted = 0;
    long refused = 0;
    long next = 1;
    while (refused < 1000) {
      if (t1.send(hb(1, 2, next))) {
        accepted++;
        next++;
      } else {
        refused++;
      }
      if (next % 50 == 0) {
        t1.flush();
      }
    }
    assertTrue(t1.stats().droppedBackPressure() >= 1000, t1.stats().toString());
    assertTrue(t1.stats().offerStalls() > 0, t1.stats().toString());
    List<Message> got = new ArrayList<>();
    long want = accepted;
    await(
        10_000,
        () -> got.size() >= want,
        () -> {
          t1.flush();
          t2.poll(got::add, 1000);
        },
        () -> want + " accepted messages, got " + got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(i + 1, got.get(i).context(), "accepted messages arrive in order, none lost");
    }
    assertEquals(0, t1.stats().droppedNotConnected());
  }

  @Test
  void aPeerRestartedOnTheSamePortIsReachedAgain() {
    AeronTransport[] ts = startConnectedPair(config(1));
    AeronTransport t1 = ts[0];
    t1.send(hb(1, 2, 1));
    t1.flush();
    assertEquals(1, receive(ts[1], 1, () -> {}).get(0).context());
    ts[1].close();
    AeronTransport restarted = start(config(2));
    long[] n = {100};
    List<Message> got =
        receive(
            restarted,
            1,
            () -> {
              t1.send(hb(1, 2, n[0]++));
              t1.flush();
            });
    assertTrue(got.get(0).context() >= 100);
    List<Message> back =
        receive(
            t1,
            1,
            () -> {
              restarted.send(hb(2, 1, 7));
              restarted.flush();
            });
    assertEquals(7, back.get(0).context());
  }

  @Test
  void blockedPeersAreDroppedOnSendAndOnReceive() {
    AeronTransport[] ts = startConnectedPair(config(1));
    ts[0].blockPeer(2);
    assertFalse(ts[0].send(hb(1, 2, 1)));
    assertEquals(1, ts[0].stats().droppedFaultSend());
    ts[0].unblockPeer(2);
    ts[1].blockPeer(1); // receive side only
    for (int i = 0; i < 5; i++) {
      assertTrue(ts[0].send(hb(1, 2, 1)));
    }
    ts[0].flush();
    List<Message> none = new ArrayList<>();
    await(
        10_000,
        () -> ts[1].stats().droppedFaultReceive() == 5,
        () -> ts[1].poll(none::add, 10),
        () -> "5 messages dropped on receive: " + ts[1].stats());
    assertTrue(none.isEmpty());
    ts[1].unblockAllPeers();
    assertEquals(
        2,
        receive(
                ts[1],
                1,
                () -> {
                  ts[0].send(hb(1, 2, 2));
                  ts[0].flush();
                })
            .get(0)
            .context());
  }

  @Test
  void pollHandsOutOneFrameAcrossSeveralCallsInOrder() {
    AeronTransport[] ts = startConnectedPair(config(1));
    for (int i = 0; i < 10; i++) {
      ts[0].send(hb(1, 2, i));
    }
    ts[0].flush();
    List<Message> got = new ArrayList<>();
    await(
        10_000,
        () -> got.size() == 10,
        () -> assertTrue(ts[1].poll(got::add, 3) <= 3),
        () -> "10 messages, got " + got.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(i, got.get(i).context());
    }
  }

  @Test
  void transportsCanShareAnExternallyOwnedAeronClient() {
    io.aeron.Aeron client =
        io.aeron.Aeron.connect(
            new io.aeron.Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    try {
      AeronTransport t1 = start(AeronTestSupport.config(1, ports, null).aeron(client));
      AeronTransport t2 = start(AeronTestSupport.config(2, ports, null).aeron(client));
      AeronTestSupport.awaitConnected(List.of(t1, t2), 10_000);
      t1.send(hb(1, 2, 11));
      t1.flush();
      assertEquals(11, receive(t2, 1, () -> {}).get(0).context());
      t1.close();
      t2.close();
      assertFalse(client.isClosed(), "the transports closed a client they do not own");
    } finally {
      client.close();
    }
  }

  @Test
  void misuseIsRefusedWithAReason() {
    AeronTransport t1 = start(config(1));
    assertThrows(IllegalArgumentException.class, () -> t1.send(hb(2, 1, 0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> t1.send(Message.builder(MessageType.PROPOSE).from(1).to(2).build()));
    assertThrows(IllegalArgumentException.class, () -> t1.isConnected(9));
    assertFalse(t1.send(hb(1, 9, 0)));
    assertEquals(1, t1.stats().droppedUnknownPeer());
    t1.close();
    assertFalse(t1.send(hb(1, 2, 0)));
    assertEquals(0, t1.poll(m -> {}, 10));
    t1.close(); // idempotent
  }
}
