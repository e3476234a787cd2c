package io.crema.raft.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.ConfState;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.SnapshotMeta;
import io.crema.raft.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} must have. Extend it in the implementation's tests and
 * provide a {@link Fixture}: the same suite runs against every transport.
 */
public abstract class TransportContractTest {
  /** Creates connected transports and injects faults for one test. */
  public interface Fixture extends AutoCloseable {
    /** A transport for a node of the fixture's cluster (ids 1..3 at least). */
    Transport transport(long nodeId) throws Exception;

    /** Drops messages between a and b, both ways, until healed. */
    void partition(long a, long b);

    /** Removes all partitions. */
    void heal();

    @Override
    void close() throws java.io.IOException;
  }

  protected abstract Fixture newFixture() throws Exception;

  /** How long a test waits for messages that must arrive. */
  protected long awaitMillis() {
    return 10_000;
  }

  private Fixture fixture;
  private Transport t1;
  private Transport t2;

  @BeforeEach
  void setUp() throws Exception {
    fixture = newFixture();
    t1 = fixture.transport(1);
    t2 = fixture.transport(2);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  /** Polls until n messages arrived or the deadline passed (sending heartbeats meanwhile). */
  protected List<Message> receive(Transport t, int n, Runnable meanwhile) {
    List<Message> got = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(awaitMillis());
    while (got.size() < n && System.nanoTime() < deadline) {
      if (meanwhile != null) {
        meanwhile.run();
      }
      if (t.poll(got::add, n - got.size()) == 0) {
        Thread.onSpinWait();
        Thread.yield();
      }
    }
    return got;
  }

  private static Message full(long from, long to) {
    ConfState cs =
        new ConfState(new long[] {1, 2, 3}, new long[] {4}, new long[0], new long[0], false);
    return Message.builder(MessageType.APPEND)
        .groupId(7)
        .from(from)
        .to(to)
        .term(5)
        .logTerm(4)
        .index(99)
        .commit(98)
        .reject(true)
        .rejectHint(97)
        .context(1234)
        .snapshot(new SnapshotMeta(50, 3, cs))
        .entries(
            List.of(
                new Entry(100, 5, EntryType.NORMAL, new byte[] {1, 2, 3}),
                new Entry(101, 5, EntryType.CONF_CHANGE, new byte[0])))
        .payload(new byte[] {9, 8, 7})
        .build();
  }

  @Test
  void deliversEveryField() {
    Message sent = full(1, 2);
    List<Message> got =
        receive(
            t2,
            1,
            () -> {
              if (t1.send(sent)) {
                t1.flush();
              }
            });
    assertFalse(got.isEmpty(), "nothing arrived");
    Message m = got.get(0);
    assertEquals(sent.type(), m.type());
    assertEquals(7, m.groupId());
    assertEquals(1, m.from());
    assertEquals(2, m.to());
    assertEquals(5, m.term());
    assertEquals(4, m.logTerm());
    assertEquals(99, m.index());
    assertEquals(98, m.commit());
    assertTrue(m.reject());
    assertEquals(97, m.rejectHint());
    assertEquals(1234, m.context());
    assertEquals(sent.snapshot(), m.snapshot());
    assertEquals(sent.entries(), m.entries());
    assertArrayEquals(sent.payload(), m.payload());
  }

  @Test
  void keepsOrderFromOneSender() {
    int n = 2_000;
    int[] next = {0};
    List<Message> got =
        receive(
            t2,
            n,
            () -> {
              while (next[0] < n) {
                Message m =
                    Message.builder(MessageType.HEARTBEAT)
                        .from(1)
                        .to(2)
                        .term(1)
                        .context(next[0])
                        .build();
                if (!t1.send(m)) {
                  break;
                }
                next[0]++;
              }
              t1.flush();
            });
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, got.get(i).context(), "message " + i + " out of order");
    }
  }

  @Test
  void pollRespectsLimit() {
    for (int i = 0; i < 10; i++) {
      assertTrue(t1.send(Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).build()));
    }
    t1.flush();
    List<Message> all = receive(t2, 10, null);
    assertEquals(10, all.size());
    for (int i = 0; i < 5; i++) {
      t1.send(Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).build());
    }
    t1.flush();
    receive(t2, 0, null);
    List<Message> some = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(awaitMillis());
    while (some.isEmpty() && System.nanoTime() < deadline) {
      t2.poll(some::add, 2);
    }
    assertTrue(some.size() <= 2, "poll delivered " + some.size() + " with limit 2");
  }

  @Test
  void partitionDropsAndHealRestores() {
    fixture.partition(1, 2);
    for (int i = 0; i < 20; i++) {
      t1.send(Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).context(i).build());
    }
    t1.flush();
    List<Message> none = new ArrayList<>();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    while (System.nanoTime() < until) {
      t2.poll(none::add, 100);
    }
    assertTrue(none.isEmpty(), none.size() + " messages crossed a partition");
    fixture.heal();
    List<Message> got =
        receive(
            t2,
            1,
            () -> {
              t1.send(
                  Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).context(77).build());
              t1.flush();
            });
    assertFalse(got.isEmpty(), "nothing arrived after heal");
    assertEquals(77, got.get(0).context());
  }

  @Test
  void unknownPeerNeitherThrowsNorWedges() {
    t1.send(Message.builder(MessageType.HEARTBEAT).from(1).to(99).term(1).build());
    t1.flush();
    List<Message> got =
        receive(
            t2,
            1,
            () -> {
              t1.send(
                  Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).context(5).build());
              t1.flush();
            });
    assertFalse(got.isEmpty(), "a send to an unknown peer wedged the transport");
    assertEquals(5, got.get(0).context());
  }

  @Test
  void closedTransportRefusesSends() throws Exception {
    t1.close();
    assertFalse(t1.send(Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(1).build()));
  }
}
