package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Round trips of every wire message kind, and every header rejection. */
class FrameCodecTest {
  private static final long CLUSTER = 42;
  private final FrameDecoder decoder = new FrameDecoder(CLUSTER, id -> id >= 1 && id <= 3);

  private List<Message> decode(byte[] frame, FrameStatus expected) {
    List<Message> out = new ArrayList<>();
    FrameStatus status = decoder.decode(new UnsafeBuffer(frame), 0, frame.length, out);
    assertEquals(expected, status);
    return out;
  }

  @Test
  void everyWireKindRoundTripsWithRandomFields() {
    long seed = Long.getLong("codec.seed", System.nanoTime());
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      List<Message> sent = new ArrayList<>();
      for (MessageType type : TestMessages.wireTypes()) {
        sent.add(TestMessages.random(rnd, type, 1, 2));
      }
      List<Message> got = decode(TestMessages.frame(CLUSTER, 1, sent), FrameStatus.OK);
      assertEquals(sent.size(), got.size(), "seed " + seed);
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(
            TestMessages.describe(sent.get(i)),
            TestMessages.describe(got.get(i)),
            "seed " + seed + " (rerun with -Dcodec.seed=" + seed + ")");
      }
    }
  }

  @Test
  void zeroFieldsCostNoBytes() {
    Message hb = Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(3).commit(4).build();
    // fixed 8 + three present longs (to, term, commit)
    assertEquals(8 + 3 * 8, MessageEncoder.recordLength(hb));
  }

  private static byte[] validFrame() {
    return TestMessages.frame(
        CLUSTER,
        1,
        List.of(
            Message.builder(MessageType.APPEND)
                .from(1)
                .to(2)
                .term(2)
                .entries(List.of(Entry.normal(5, 2, new byte[] {1})))
                .build()));
  }

  @Test
  void wrongMagicIsRejected() {
    byte[] f = validFrame();
    f[0] ^= 1;
    assertTrue(decode(f, FrameStatus.BAD_MAGIC).isEmpty());
  }

  @Test
  void unknownVersionIsRejected() {
    byte[] f = validFrame();
    f[WireFormat.VERSION_OFFSET] = 2;
    assertTrue(decode(f, FrameStatus.UNSUPPORTED_VERSION).isEmpty());
  }

  @Test
  void otherClusterIsRejected() {
    byte[] f = TestMessages.frame(CLUSTER + 1, 1, List.of(hb()));
    assertTrue(decode(f, FrameStatus.OTHER_CLUSTER).isEmpty());
  }

  @Test
  void unknownSenderIsRejected() {
    byte[] f = TestMessages.frame(CLUSTER, 9, List.of(hb()));
    assertTrue(decode(f, FrameStatus.UNKNOWN_SENDER).isEmpty());
  }

  @Test
  void shortOrMismeasuredFramesAreRejected() {
    byte[] f = validFrame();
    List<Message> out = new ArrayList<>();
    assertEquals(FrameStatus.BAD_LENGTH, decoder.decode(new UnsafeBuffer(f), 0, f.length - 1, out));
    assertEquals(FrameStatus.BAD_LENGTH, decoder.decode(new UnsafeBuffer(f), 0, 10, out));
    assertTrue(out.isEmpty());
  }

  @Test
  void aBadRecordDropsTheWholeFrame() {
    byte[] f = TestMessages.frame(CLUSTER, 1, List.of(hb(), hb(), hb()));
    int third = WireFormat.HEADER_LENGTH + 2 * MessageEncoder.recordLength(hb());
    f[third + WireFormat.RECORD_TYPE_OFFSET] = (byte) MessageType.HUP.ordinal(); // local kind
    assertTrue(decode(f, FrameStatus.MALFORMED).isEmpty());
  }

  @Test
  void aCountThatDisagreesWithTheRecordsIsMalformed() {
    byte[] f = TestMessages.frame(CLUSTER, 1, List.of(hb(), hb()));
    new UnsafeBuffer(f).putShort(WireFormat.COUNT_OFFSET, (short) 1, ByteOrder.LITTLE_ENDIAN);
    assertTrue(decode(f, FrameStatus.MALFORMED).isEmpty());
    new UnsafeBuffer(f).putShort(WireFormat.COUNT_OFFSET, (short) 3, ByteOrder.LITTLE_ENDIAN);
    assertTrue(decode(f, FrameStatus.MALFORMED).isEmpty());
  }

  @Test
  void aHugeEntryCountAllocatesNothingAndIsMalformed() {
    Message m =
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .entries(List.of(new Entry(1, 1, EntryType.NORMAL, new byte[0])))
            .build();
    byte[] f = TestMessages.frame(CLUSTER, 1, List.of(m));
    int countAt = WireFormat.HEADER_LENGTH + WireFormat.RECORD_FIXED_LENGTH + 8; // after "to"
    new UnsafeBuffer(f).putInt(countAt, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN);
    assertTrue(decode(f, FrameStatus.MALFORMED).isEmpty());
  }

  private static Message hb() {
    return Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(7).commit(3).build();
  }

  @Test
  void steadyStateEncodingAllocatesNothing() {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Message append =
        Message.builder(MessageType.APPEND)
            .from(1)
            .to(2)
            .term(3)
            .index(10)
            .logTerm(3)
            .commit(9)
            .entries(List.of(Entry.normal(11, 3, new byte[64])))
            .build();
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
    int sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm up
      sink += encodeBatch(buffer, append);
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 20_000; i++) {
      sink += encodeBatch(buffer, append);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(sink > 0);
    // 20,000 frames of 100 messages: anything per message would be megabytes.
    assertTrue(allocated < 64 * 1024, "encoding allocated " + allocated + " bytes");
  }

  private static int encodeBatch(UnsafeBuffer buffer, Message m) {
    int p = WireFormat.HEADER_LENGTH;
    for (int i = 0; i < 100; i++) {
      if (p + MessageEncoder.recordLength(m) > buffer.capacity()) {
        throw new IllegalStateException("buffer too small");
      }
      p += MessageEncoder.encodeRecord(buffer, p, m);
    }
    MessageEncoder.writeHeader(buffer, 0, CLUSTER, 1, 100, p);
    return p;
  }
}
