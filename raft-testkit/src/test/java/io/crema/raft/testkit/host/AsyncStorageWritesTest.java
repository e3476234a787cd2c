package io.crema.raft.testkit.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crema.raft.LogBatch;
import io.crema.raft.LogReader;
import io.crema.raft.LogStore;
import io.crema.raft.LogStoreException;
import io.crema.raft.node.HostConfig;
import io.crema.raft.node.RaftHost;
import io.crema.raft.node.RaftOperationException;
import io.crema.raft.storage.MemoryLogStore;
import io.crema.raft.transport.InMemoryNetwork;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.agrona.concurrent.AgentInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host's asynchronous storage writes, stepped by hand: the loop goes on while a batch syncs,
 * and nothing is answered before its sync ran.
 */
class AsyncStorageWritesTest {
  private final ArrayDeque<Runnable> disk = new ArrayDeque<>();
  private boolean holdSyncs;
  private RaftHost host;
  private AgentInvoker loop;
  private long now;

  @AfterEach
  void tearDown() {
    if (host != null) {
      host.close();
    }
  }

  private void start(LogStore log) {
    host =
        RaftHost.create(
            HostConfig.builder(1)
                .logStore(log)
                .transport(new InMemoryNetwork().join(1))
                .clock(() -> now)
                .tickIntervalMs(1)
                .snapshotExecutor(Runnable::run)
                .syncExecutor(
                    task -> {
                      if (holdSyncs) {
                        disk.add(task);
                      } else {
                        task.run();
                      }
                    })
                .build());
    loop = host.invoker();
    host.startGroup(0, new KvStateMachine(), 1);
    loop.invoke();
    for (int i = 0; i < 200 && !host.view(0).isLeader(); i++) {
      now += 1_000_000;
      loop.invoke();
    }
    assertTrue(host.view(0).isLeader(), "a one-node group elects itself");
  }

  private void cycles(int n) {
    for (int i = 0; i < n; i++) {
      loop.invoke();
    }
  }

  @Test
  void aProposalIsAnsweredOnlyAfterItsSyncRanAndTheLoopGoesOnMeanwhile() throws Exception {
    start(new MemoryLogStore(true));
    holdSyncs = true;
    CompletableFuture<Object> first = host.propose(0, KvStateMachine.put("a", "1"));
    cycles(20);
    assertEquals(1, disk.size(), "the first batch waits for its sync");
    assertFalse(first.isDone(), "answered before its write was durable");
    // The loop is not blocked: a second proposal is written and its sync queued behind the first.
    CompletableFuture<Object> second = host.propose(0, KvStateMachine.put("a", "2"));
    cycles(20);
    assertEquals(2, disk.size(), "the second batch was written while the first syncs");
    assertFalse(first.isDone() || second.isDone());
    disk.poll().run();
    cycles(5);
    assertTrue(first.isDone(), "the first is durable and committed");
    assertFalse(second.isDone(), "the second is not durable yet");
    assertEquals(null, first.get());
    disk.poll().run();
    cycles(5);
    assertEquals("1", second.get());
  }

  @Test
  void aDiskFarBehindStopsNewBatchesButLosesNothing() throws Exception {
    start(new MemoryLogStore(true));
    holdSyncs = true;
    java.util.List<CompletableFuture<Object>> puts = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      puts.add(host.propose(0, KvStateMachine.put("k" + i, "v" + i)));
      cycles(1);
    }
    cycles(10);
    int held = disk.size();
    assertTrue(held > 0 && held <= 16, "at most 16 batches wait for the disk at once, saw " + held);
    for (CompletableFuture<Object> f : puts) {
      assertFalse(f.isDone(), "nothing is answered before its sync");
    }
    // The disk catches up: every proposal is written, synced and answered, in order.
    for (int i = 0; i < 100 && !puts.get(39).isDone(); i++) {
      while (!disk.isEmpty()) {
        disk.poll().run();
      }
      cycles(3);
    }
    for (int i = 0; i < 40; i++) {
      assertEquals(null, puts.get(i).get(), "put " + i);
    }
  }

  @Test
  void aFailedSyncFailsWhatWaitsAndEveryLaterOperation() {
    FailingSyncStore log = new FailingSyncStore(new MemoryLogStore(true));
    start(log);
    log.failSyncs = true;
    CompletableFuture<Object> waiting = host.propose(0, KvStateMachine.put("a", "1"));
    cycles(10);
    RaftOperationException e = failure(waiting);
    assertEquals(RaftOperationException.Reason.INTERNAL, e.reason());
    assertTrue(e.getMessage().contains("write-ahead log of node 1 failed"), e.getMessage());
    CompletableFuture<Object> later = host.propose(0, KvStateMachine.put("b", "1"));
    cycles(2);
    assertTrue(failure(later).getMessage().contains("restart the node"));
  }

  private static RaftOperationException failure(CompletableFuture<?> f) {
    assertTrue(f.isDone(), "the operation has an outcome");
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    return assertInstanceOf(RaftOperationException.class, e.getCause());
  }

  /** A store whose sync tasks fail on demand, as a disk that stopped accepting writes. */
  private static final class FailingSyncStore implements LogStore {
    private final LogStore delegate;
    boolean failSyncs;

    FailingSyncStore(LogStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<Long> groups() {
      return delegate.groups();
    }

    @Override
    public LogReader group(long groupId) {
      return delegate.group(groupId);
    }

    @Override
    public void append(LogBatch batch) {
      delegate.append(batch);
    }

    @Override
    public void sync() {
      delegate.sync();
    }

    @Override
    public Runnable syncLater() {
      Runnable task = delegate.syncLater();
      if (!failSyncs) {
        return task;
      }
      return () -> {
        throw new LogStoreException("disk gone (test)", null);
      };
    }

    @Override
    public void compact(long groupId, long index) {
      delegate.compact(groupId, index);
    }

    @Override
    public void removeGroup(long groupId) {
      delegate.removeGroup(groupId);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
