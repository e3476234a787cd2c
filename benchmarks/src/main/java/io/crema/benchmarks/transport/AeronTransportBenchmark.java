package io.crema.benchmarks.transport;

import io.crema.benchmarks.BenchSupport;
import io.crema.raft.Entry;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import io.crema.transport.aeron.AeronTransport;
import io.crema.transport.aeron.AeronTransportConfig;
import io.crema.transport.aeron.AeronTransportStats;
import io.crema.transport.aeron.EmbeddedMediaDriver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two nodes' {@link AeronTransport}s in one JVM over UDP loopback, one embedded media driver
 * (SHARED threading, backoff idle; see {@link #driverMaxParkUs}). The benchmark thread drives both
 * ends, as one event loop stepping two nodes would.
 *
 * <ul>
 *   <li>{@code append}: Raft APPEND messages, each with one 64-byte entry, from node 1 to node 2,
 *       sent in batches of 256 with one flush per batch (the transport packs them into frames of up
 *       to the MTU's payload). At most 8k messages (about 1.2 MB) are in flight, below the
 *       publication window: the score is messages delivered per second. The trial fails if any
 *       accepted message was not delivered.
 *   <li>{@code heartbeatRoundTrip}: one HEARTBEAT from 1 to 2 and its HEARTBEAT_RESPONSE back, each
 *       flushed at once; sample-time mode gives the p50/p99 of the round trip. Waiting uses a
 *       backoff idle strategy (spin, yield, then park), never a busy spin.
 * </ul>
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar AeronTransportBenchmark}
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      BenchSupport.GC,
      "-Xms1g",
      "-Xmx1g",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Daeron.counters.buffer.length=1048576",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class AeronTransportBenchmark {
  private static final int BATCH = 256;
  private static final long WINDOW = 8 * 1024;

  /** MTU of the publications: Aeron's default, or larger datagrams on loopback. */
  @Param({"1408", "8192"})
  public int mtu;

  /**
   * The media driver's backoff idle strategy parks up to this long when idle: 1000 is the {@link
   * EmbeddedMediaDriver} default (kind to a shared box); 100 trades idle CPU for latency.
   */
  @Param({"1000", "100"})
  public int driverMaxParkUs;

  private EmbeddedMediaDriver driver;
  private AeronTransport node1;
  private AeronTransport node2;
  private final Message[] appends = new Message[BATCH];
  private Message heartbeat;
  private Message heartbeatResponse;
  private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
  private long sent;
  private long received;
  private boolean gotHeartbeat;
  private boolean gotResponse;
  private final Transport.Handler countAtNode2 = m -> received++;
  private final Transport.Handler heartbeatAtNode2 = m -> gotHeartbeat = true;
  private final Transport.Handler responseAtNode1 = m -> gotResponse = true;

  @Setup(Level.Trial)
  public void setUp() {
    driver =
        EmbeddedMediaDriver.builder()
            .idleStrategy(
                () -> EmbeddedMediaDriver.backoff(TimeUnit.MICROSECONDS.toNanos(driverMaxParkUs)))
            .build();
    int[] ports = io.crema.cache.examples.LoopbackPorts.free(2);
    node1 = AeronTransport.start(config(1, ports));
    node2 = AeronTransport.start(config(2, ports));
    long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!node1.isConnected(2) || !node2.isConnected(1)) {
      if (System.nanoTime() > deadlineNs) {
        throw new IllegalStateException("transports did not connect");
      }
      idle.idle();
    }
    for (int i = 0; i < BATCH; i++) {
      byte[] data = new byte[64];
      data[0] = (byte) i;
      appends[i] =
          Message.builder(MessageType.APPEND)
              .groupId(1)
              .from(1)
              .to(2)
              .term(5)
              .logTerm(5)
              .index(1000 + i)
              .commit(999 + i)
              .entries(List.of(Entry.normal(1001 + i, 5, data)))
              .build();
    }
    heartbeat =
        Message.builder(MessageType.HEARTBEAT).groupId(1).from(1).to(2).term(5).commit(9).build();
    heartbeatResponse =
        Message.builder(MessageType.HEARTBEAT_RESPONSE).groupId(1).from(2).to(1).term(5).build();
  }

  private AeronTransportConfig config(long id, int[] ports) {
    return AeronTransportConfig.builder()
        .nodeId(id)
        .clusterId(1)
        .endpoint(1, "127.0.0.1:" + ports[0])
        .endpoint(2, "127.0.0.1:" + ports[1])
        .aeronDirectoryName(driver.aeronDirectoryName())
        .termLength(4 << 20)
        .mtu(mtu)
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received < sent && System.nanoTime() < deadlineNs) {
      node1.flush();
      idle.idle(node2.poll(countAtNode2, 4096));
    }
    AeronTransportStats s1 = node1.stats();
    AeronTransportStats s2 = node2.stats();
    node1.close();
    node2.close();
    driver.close();
    if (received != sent) {
      throw new IllegalStateException(
          "sent " + sent + " but node 2 received " + received + "; " + s1 + " " + s2);
    }
    if (sent > 0) {
      System.out.printf(
          "%n[append] %d messages in %d frames (%.1f per frame, %.0f bytes/frame), %d offer"
              + " stalls, %d refused sends%n",
          s1.messagesSent(),
          s1.framesSent(),
          (double) s1.messagesSent() / Math.max(1, s1.framesSent()),
          (double) s1.bytesSent() / Math.max(1, s1.framesSent()),
          s1.offerStalls(),
          s1.droppedOnSend());
    }
  }

  /** Sends one batch of APPENDs; throughput is messages delivered per second. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public long append() {
    for (Message m : appends) {
      idle.reset();
      while (!node1.send(m)) {
        node1.flush();
        idle.idle(node2.poll(countAtNode2, 4096));
      }
    }
    node1.flush();
    sent += BATCH;
    idle.reset();
    int work = node2.poll(countAtNode2, 4096);
    while (sent - received > WINDOW) {
      node1.flush();
      idle.idle(work);
      work = node2.poll(countAtNode2, 4096);
    }
    return received;
  }

  /** One heartbeat from node 1 to node 2 and the response back. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean heartbeatRoundTrip() {
    gotHeartbeat = false;
    gotResponse = false;
    if (!node1.send(heartbeat)) {
      throw new IllegalStateException("heartbeat refused: " + node1.stats());
    }
    node1.flush();
    idle.reset();
    while (!gotHeartbeat) {
      idle.idle(node2.poll(heartbeatAtNode2, 1));
    }
    if (!node2.send(heartbeatResponse)) {
      throw new IllegalStateException("response refused: " + node2.stats());
    }
    node2.flush();
    idle.reset();
    while (!gotResponse) {
      idle.idle(node1.poll(responseAtNode1, 1));
    }
    return gotResponse;
  }
}
