package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.crema.raft.Message;
import io.crema.raft.MessageType;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Feeds the frame decoder random and mutated frames: it must never throw, must accept only frames
 * that re-encode to themselves, and must keep decoding valid frames afterwards. Seeded: the seed is
 * printed, and {@code -Dfuzz.seed=S} replays a run; {@code -Dfuzz.frames=N} sets the size (default
 * 100,000).
 */
class FrameDecoderFuzzTest {
  private static final long CLUSTER = 7;
  private static final int FRAMES = Integer.getInteger("fuzz.frames", 100_000);
  private static final long[] EXTREMES = {
    0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF, 255
  };

  private final FrameDecoder decoder = new FrameDecoder(CLUSTER, id -> id >= 1 && id <= 3);
  private final Map<FrameStatus, Integer> verdicts = new EnumMap<>(FrameStatus.class);

  @Test
  void randomAndMutatedFramesNeverCrashOrWedgeTheDecoder() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("FrameDecoderFuzzTest seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    int i = 0;
    byte[] frame = null;
    try {
      for (i = 0; i < FRAMES; i++) {
        frame = nextFrame(rnd);
        check(frame);
        if (i % 1000 == 0) {
          assertValidFrameStillDecodes(rnd);
        }
      }
    } catch (Throwable t) {
      fail(
          "seed "
              + seed
              + " frame #"
              + i
              + " (replay: -Dfuzz.seed="
              + seed
              + "): "
              + t
              + "\nframe: "
              + Arrays.toString(frame),
          t);
    }
    System.out.println("FrameDecoderFuzzTest verdicts over " + FRAMES + " frames: " + verdicts);
    if (FRAMES >= 10_000) {
      for (FrameStatus s : FrameStatus.values()) {
        assertTrue(verdicts.getOrDefault(s, 0) > 0, "no frame got verdict " + s + ": " + verdicts);
      }
    }
  }

  private void check(byte[] frame) {
    List<Message> out = new ArrayList<>();
    FrameStatus status = decoder.decode(new UnsafeBuffer(frame), 0, frame.length, out);
    verdicts.merge(status, 1, Integer::sum);
    if (status != FrameStatus.OK) {
      assertTrue(out.isEmpty(), "a rejected frame delivered messages");
      return;
    }
    assertTrue(!out.isEmpty(), "an accepted frame has no messages");
    // Whatever is accepted is a well-formed frame: re-encoding gives back the same messages.
    byte[] again = TestMessages.frame(CLUSTER, out.get(0).from(), out);
    List<Message> back = new ArrayList<>();
    assertEquals(FrameStatus.OK, decoder.decode(new UnsafeBuffer(again), 0, again.length, back));
    assertEquals(out.size(), back.size());
    for (int k = 0; k < out.size(); k++) {
      assertEquals(TestMessages.describe(out.get(k)), TestMessages.describe(back.get(k)));
    }
  }

  private void assertValidFrameStillDecodes(SplittableRandom rnd) {
    List<Message> sent = validMessages(rnd);
    byte[] f = TestMessages.frame(CLUSTER, 2, sent);
    List<Message> got = new ArrayList<>();
    assertEquals(FrameStatus.OK, decoder.decode(new UnsafeBuffer(f), 0, f.length, got));
    assertEquals(sent.size(), got.size());
    for (int k = 0; k < sent.size(); k++) {
      assertEquals(TestMessages.describe(sent.get(k)), TestMessages.describe(got.get(k)));
    }
  }

  private static List<Message> validMessages(SplittableRandom rnd) {
    List<MessageType> types = TestMessages.wireTypes();
    int n = 1 + rnd.nextInt(4);
    List<Message> ms = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      ms.add(TestMessages.random(rnd, types.get(rnd.nextInt(types.size())), 2, 1));
    }
    return ms;
  }

  private byte[] nextFrame(SplittableRandom rnd) {
    switch (rnd.nextInt(6)) {
      case 0:
        return randomBytes(rnd, rnd.nextInt(600));
      case 1:
        return validHeaderRandomBody(rnd);
      case 2:
        return flipBytes(rnd, TestMessages.frame(CLUSTER, 2, validMessages(rnd)));
      case 3:
        return overwriteWithExtreme(rnd, TestMessages.frame(CLUSTER, 2, validMessages(rnd)));
      case 4:
        return resize(rnd, TestMessages.frame(CLUSTER, 2, validMessages(rnd)));
      default:
        return headerMutation(rnd, TestMessages.frame(CLUSTER, 2, validMessages(rnd)));
    }
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static byte[] validHeaderRandomBody(SplittableRandom rnd) {
    byte[] b = randomBytes(rnd, WireFormat.HEADER_LENGTH + rnd.nextInt(400));
    MessageEncoder.writeHeader(new UnsafeBuffer(b), 0, CLUSTER, 1, 1 + rnd.nextInt(4), b.length);
    if (b.length >= WireFormat.HEADER_LENGTH + 8 && rnd.nextBoolean()) {
      // A plausible record length and type, so that decoding gets deeper.
      UnsafeBuffer u = new UnsafeBuffer(b);
      u.putInt(
          WireFormat.HEADER_LENGTH, b.length - WireFormat.HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN);
      u.putByte(WireFormat.HEADER_LENGTH + 4, (byte) (6 + rnd.nextInt(18)));
      u.putByte(WireFormat.HEADER_LENGTH + 5, (byte) rnd.nextInt(32));
      u.putByte(WireFormat.HEADER_LENGTH + 7, (byte) 0);
    }
    return b;
  }

  private static byte[] flipBytes(SplittableRandom rnd, byte[] f) {
    int n = 1 + rnd.nextInt(4);
    for (int k = 0; k < n; k++) {
      int at = WireFormat.HEADER_LENGTH + rnd.nextInt(f.length - WireFormat.HEADER_LENGTH);
      f[at] = rnd.nextBoolean() ? (byte) (f[at] ^ (1 << rnd.nextInt(8))) : (byte) rnd.nextInt();
    }
    return f;
  }

  private static byte[] overwriteWithExtreme(SplittableRandom rnd, byte[] f) {
    UnsafeBuffer u = new UnsafeBuffer(f);
    long v = EXTREMES[rnd.nextInt(EXTREMES.length)];
    int body = f.length - WireFormat.HEADER_LENGTH;
    if (rnd.nextBoolean() && body >= 4) {
      u.putInt(WireFormat.HEADER_LENGTH + rnd.nextInt(body - 3), (int) v, ByteOrder.LITTLE_ENDIAN);
    } else if (body >= 8) {
      u.putLong(WireFormat.HEADER_LENGTH + rnd.nextInt(body - 7), v, ByteOrder.LITTLE_ENDIAN);
    }
    return f;
  }

  private static byte[] resize(SplittableRandom rnd, byte[] f) {
    int newLength =
        rnd.nextBoolean()
            ? rnd.nextInt(f.length)
            : f.length + 1 + rnd.nextInt(64); // truncated, or garbage appended
    byte[] g = Arrays.copyOf(f, newLength);
    for (int k = f.length; k < g.length; k++) {
      g[k] = (byte) rnd.nextInt();
    }
    if (g.length >= WireFormat.HEADER_LENGTH && rnd.nextBoolean()) {
      // Keep the header's length consistent so that the records themselves are tested.
      new UnsafeBuffer(g).putInt(WireFormat.LENGTH_OFFSET, g.length, ByteOrder.LITTLE_ENDIAN);
    }
    return g;
  }

  private static byte[] headerMutation(SplittableRandom rnd, byte[] f) {
    UnsafeBuffer u = new UnsafeBuffer(f);
    switch (rnd.nextInt(6)) {
      case 0:
        u.putInt(WireFormat.MAGIC_OFFSET, rnd.nextInt(), ByteOrder.LITTLE_ENDIAN);
        break;
      case 1:
        u.putByte(WireFormat.VERSION_OFFSET, (byte) (2 + rnd.nextInt(250)));
        break;
      case 2:
        u.putLong(WireFormat.CLUSTER_OFFSET, CLUSTER + 1 + rnd.nextInt(5), ByteOrder.LITTLE_ENDIAN);
        break;
      case 3:
        u.putLong(WireFormat.SENDER_OFFSET, rnd.nextLong(), ByteOrder.LITTLE_ENDIAN);
        break;
      case 4:
        u.putShort(WireFormat.COUNT_OFFSET, (short) rnd.nextInt(), ByteOrder.LITTLE_ENDIAN);
        break;
      default:
        break; // left valid
    }
    return f;
  }
}
