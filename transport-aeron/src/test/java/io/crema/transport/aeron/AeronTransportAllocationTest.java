package io.crema.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

/**
 * In steady state, send and flush allocate nothing, and poll allocates only the decoded messages
 * (measured with the JVM's per-thread allocation counter).
 */
class AeronTransportAllocationTest {
  private static final int BATCH = 100;

  private final ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private long sendBytes;
  private long pollBytes;
  private long received;
  private final Transport.Handler count = m -> received++;

  @Test
  void sendAllocatesNothingAndPollOnlyTheMessages() {
    EmbeddedMediaDriver driver = EmbeddedMediaDriver.launch();
    int[] ports = AeronTestSupport.freeUdpPorts(2);
    AeronTransport t1 =
        AeronTransport.start(
            AeronTestSupport.config(1, ports, driver.aeronDirectoryName()).build());
    AeronTransport t2 =
        AeronTransport.start(
            AeronTestSupport.config(2, ports, driver.aeronDirectoryName()).build());
    try {
      AeronTestSupport.awaitConnected(List.of(t1, t2), 10_000);
      Message append =
          Message.builder(MessageType.APPEND)
              .groupId(3)
              .from(1)
              .to(2)
              .term(5)
              .logTerm(5)
              .index(100)
              .commit(99)
              .entries(List.of(Entry.normal(101, 5, new byte[64])))
              .build();
      run(t1, t2, append, 200); // warm up
      sendBytes = 0;
      pollBytes = 0;
      received = 0;
      run(t1, t2, append, 500);
      long messages = 500L * BATCH;
      assertEquals(messages, received);
      System.out.printf(
          "allocation over %d messages: send+flush %d bytes total, poll %d bytes per message%n",
          messages, sendBytes, pollBytes / messages);
      assertTrue(sendBytes < 64 * 1024, "send+flush allocated " + sendBytes + " bytes");
      // Message, Entry, its 64-byte array and the entry list: about 200 bytes.
      assertTrue(
          pollBytes / messages < 400,
          "poll allocated " + pollBytes / messages + " bytes per message");
    } finally {
      CloseHelper.closeAll(t1, t2);
      driver.close();
    }
  }

  private void run(AeronTransport t1, AeronTransport t2, Message m, int batches) {
    long tid = Thread.currentThread().getId();
    IdleStrategy idle = AeronTestSupport.idle();
    long expected = received;
    for (int b = 0; b < batches; b++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < BATCH; i++) {
        if (!t1.send(m)) {
          throw new AssertionError("send refused: " + t1.stats());
        }
      }
      t1.flush();
      sendBytes += mx.getThreadAllocatedBytes(tid) - before;
      expected += BATCH;
      long deadlineNs = System.nanoTime() + 10_000_000_000L;
      while (received < expected) {
        if (System.nanoTime() > deadlineNs) {
          throw new AssertionError("messages did not arrive: " + t2.stats());
        }
        long beforePoll = mx.getThreadAllocatedBytes(tid);
        int n = t2.poll(count, 1000);
        pollBytes += mx.getThreadAllocatedBytes(tid) - beforePoll;
        idle.idle(n);
      }
    }
  }
}
