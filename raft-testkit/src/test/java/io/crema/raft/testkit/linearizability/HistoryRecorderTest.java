package io.crema.raft.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock {
    long nowNs;

    long read() {
      return nowNs;
    }
  }

  @Test
  void recordsInvocationAndCompletionTimesAndOutputs() {
    ManualClock clock = new ManualClock();
    HistoryRecorder rec = History.recorder(clock::read);
    clock.nowNs = 10;
    HistoryRecorder.Handle write = rec.invoke(1, Command.write("k", "a"));
    clock.nowNs = 12;
    HistoryRecorder.Handle read = rec.invoke(2, Command.read("k"));
    HistoryRecorder.Handle cas = rec.invoke(3, Command.cas("k", "a", "b"));
    HistoryRecorder.Handle delete = rec.invoke(4, Command.delete("k"));
    clock.nowNs = 20;
    rec.ok(write);
    rec.okRead(read, "a");
    clock.nowNs = 25;
    rec.okCas(cas, true);
    rec.unknown(delete);

    assertEquals(10, write.invokeNs());
    assertEquals(1, write.clientId());
    assertEquals(Command.write("k", "a"), write.command());
    assertEquals(
        List.of(
            Operation.write(1, "k", "a", 10, 20),
            Operation.read(2, "k", "a", 12, 20),
            Operation.cas(3, "k", "a", "b", true, 12, 25),
            Operation.unknown(4, Command.delete("k"), 12)),
        rec.history().operations());
    assertTrue(LinearizabilityChecker.create().check(rec.history()).isLinearizable());
  }

  @Test
  void outstandingOperationsAreUnknownAndFailedOnesLeftOut() {
    ManualClock clock = new ManualClock();
    HistoryRecorder rec = History.recorder(clock::read);
    HistoryRecorder.Handle pending = rec.invoke(1, Command.write("k", "a"));
    HistoryRecorder.Handle refused = rec.invoke(2, Command.write("k", "b"));
    rec.fail(refused);
    assertEquals(
        List.of(Operation.unknown(1, Command.write("k", "a"), 0)), rec.history().operations());

    clock.nowNs = 5;
    rec.ok(pending); // recording goes on after a snapshot
    assertEquals(List.of(Operation.write(1, "k", "a", 0, 5)), rec.history().operations());
  }

  @Test
  void misuseFailsFastWithTheHandleInTheMessage() {
    ManualClock clock = new ManualClock();
    HistoryRecorder rec = History.recorder(clock::read);
    HistoryRecorder.Handle read = rec.invoke(1, Command.read("k"));
    HistoryRecorder.Handle write = rec.invoke(1, Command.write("k", "v"));
    HistoryRecorder.Handle cas = rec.invoke(1, Command.cas("k", null, "v"));

    IllegalArgumentException wrongKind =
        assertThrows(IllegalArgumentException.class, () -> rec.okRead(write, "v"));
    assertTrue(wrongKind.getMessage().contains("write(k, \"v\")"), wrongKind::getMessage);
    assertThrows(IllegalArgumentException.class, () -> rec.ok(read));
    assertThrows(IllegalArgumentException.class, () -> rec.ok(cas));
    assertThrows(IllegalArgumentException.class, () -> rec.okCas(read, true));

    rec.ok(write);
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> rec.ok(write));
    assertTrue(twice.getMessage().contains("already completed"), twice::getMessage);
    assertThrows(IllegalStateException.class, () -> rec.unknown(write));
    assertThrows(IllegalStateException.class, () -> rec.fail(write));

    HistoryRecorder other = History.recorder(clock::read);
    assertThrows(IllegalArgumentException.class, () -> other.okRead(read, null));
    assertThrows(NullPointerException.class, () -> rec.invoke(1, null));

    clock.nowNs = -1;
    IllegalStateException backwards =
        assertThrows(IllegalStateException.class, () -> rec.okRead(read, null));
    assertTrue(backwards.getMessage().contains("clock went backwards"), backwards::getMessage);
  }

  @Test
  void aBrokenNonAtomicCasIsCaught() {
    // Two clients CAS from absent; a store that checks and sets in two steps lets both win.
    ManualClock clock = new ManualClock();
    HistoryRecorder rec = History.recorder(clock::read);
    Map<String, String> store = new ConcurrentHashMap<>();
    HistoryRecorder.Handle first = rec.invoke(1, Command.cas("k", null, "x"));
    HistoryRecorder.Handle second = rec.invoke(2, Command.cas("k", null, "y"));
    clock.nowNs = 1;
    boolean firstSeesExpected = !store.containsKey("k");
    boolean secondSeesExpected = !store.containsKey("k");
    store.put("k", "x");
    store.put("k", "y");
    clock.nowNs = 2;
    rec.okCas(first, firstSeesExpected);
    rec.okCas(second, secondSeesExpected);
    HistoryRecorder.Handle read = rec.invoke(3, Command.read("k"));
    clock.nowNs = 3;
    rec.okRead(read, store.get("k"));

    Result result = LinearizabilityChecker.create().check(rec.history());
    assertEquals(Result.Verdict.NOT_LINEARIZABLE, result.verdict(), result::describe);
    // Both successes from absent already contradict each other.
    assertEquals(
        List.of(
            Operation.cas(1, "k", null, "x", true, 0, 2),
            Operation.cas(2, "k", null, "y", true, 0, 2)),
        result.violation().orElseThrow().failingSubHistory());
  }

  @Test
  void concurrentClientsOfAnAtomicStoreRecordALinearizableHistory() throws Exception {
    int clients = 8;
    int opsPerClient = 300;
    long seed = Seeds.base();
    Map<String, String> store = new ConcurrentHashMap<>();
    HistoryRecorder rec = History.recorder(System::nanoTime);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean unknownsRecorded = new AtomicBoolean();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        long client = c;
        SplittableRandom rnd = new SplittableRandom(seed + c);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < opsPerClient; i++) {
                    runOne(rec, store, client, i, rnd, unknownsRecorded);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    History history = rec.history();
    assertEquals(clients * opsPerClient, history.size());
    assertTrue(unknownsRecorded.get());
    Result result = LinearizabilityChecker.create().check(history);
    assertEquals(Result.Verdict.LINEARIZABLE, result.verdict(), () -> Seeds.replay(seed) + result);
  }

  /** One random operation on the atomic store; 1 in 20 is reported as unknown. */
  private static void runOne(
      HistoryRecorder rec,
      Map<String, String> store,
      long client,
      int i,
      SplittableRandom rnd,
      AtomicBoolean unknownsRecorded) {
    String key = "k" + rnd.nextInt(3);
    String value = "c" + client + "-" + i;
    int pick = rnd.nextInt(10);
    Command command =
        pick < 4
            ? Command.read(key)
            : pick < 7
                ? Command.write(key, value)
                : pick < 9 ? Command.cas(key, store.get(key), value) : Command.delete(key);
    HistoryRecorder.Handle h = rec.invoke(client, command);
    boolean lost = rnd.nextInt(20) == 0;
    switch (command.kind()) {
      case READ:
        String observed = store.get(key);
        if (!lost) {
          rec.okRead(h, observed);
        }
        break;
      case WRITE:
        store.put(key, value);
        break;
      case DELETE:
        store.remove(key);
        break;
      case CAS:
        String expected = command.expected();
        boolean ok =
            expected == null
                ? store.putIfAbsent(key, value) == null
                : store.replace(key, expected, value);
        if (!lost) {
          rec.okCas(h, ok);
        }
        break;
      default:
        throw new AssertionError(command);
    }
    if (lost) {
      rec.unknown(h);
      unknownsRecorded.set(true);
    } else if (command.kind() == Command.Kind.WRITE || command.kind() == Command.Kind.DELETE) {
      rec.ok(h);
    }
  }
}
