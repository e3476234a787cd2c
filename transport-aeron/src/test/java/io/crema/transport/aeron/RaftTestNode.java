package io.crema.transport.aeron;

import io.crema.raft.ConfChange;
import io.crema.raft.Entry;
import io.crema.raft.EntryType;
import io.crema.raft.LogBatch;
import io.crema.raft.Message;
import io.crema.raft.MessageType;
import io.crema.raft.Transport;
import io.crema.raft.core.Bootstrap;
import io.crema.raft.core.ProposalDroppedException;
import io.crema.raft.core.RaftConfig;
import io.crema.raft.core.RaftNode;
import io.crema.raft.core.Ready;
import io.crema.raft.storage.MemoryLogStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A minimal test host for one Raft node over a real transport, handling each Ready as {@code
 * LocalCluster} does: send {@code messages()} now, persist, send {@code messagesAfterPersist()},
 * apply, advance. Ticks on wall-clock time. Not thread-safe: one thread calls {@link #doWork}.
 */
final class RaftTestNode {
  static final long TICK_MS = 10;

  private final long id;
  private final long[] voters;
  private final MemoryLogStore store = new MemoryLogStore();
  private final LogBatch batch = new LogBatch();
  private final Transport.Handler onMessage = this::onMessage;

  /** Applied NORMAL entries with data, by index (re-applying after a restart overwrites). */
  private final TreeMap<Long, String> applied = new TreeMap<>();

  private RaftNode raft;
  private Transport transport;
  private long lastTickNs;

  RaftTestNode(long id, long[] voters, Transport transport) {
    this.id = id;
    this.voters = voters.clone();
    Bootstrap.bootstrap(store, 0, voters);
    start(transport);
  }

  /** (Re)starts the node over its storage and the given transport, as after a process restart. */
  void start(Transport t) {
    this.transport = t;
    this.raft =
        RaftNode.create(
            RaftConfig.builder(id)
                .electionTick(15)
                .heartbeatTick(2)
                .maxSizePerMsg(16 * 1024)
                .build(),
            store.group(0));
    this.lastTickNs = System.nanoTime();
  }

  long id() {
    return id;
  }

  RaftNode raft() {
    return raft;
  }

  Transport transport() {
    return transport;
  }

  long[] voters() {
    return voters.clone();
  }

  /** Ticks when due, polls the transport, handles a Ready, flushes. Returns work done. */
  int doWork() {
    int work = 0;
    long nowNs = System.nanoTime();
    if (nowNs - lastTickNs >= TimeUnit.MILLISECONDS.toNanos(TICK_MS)) {
      lastTickNs = nowNs;
      raft.tick();
      work++;
    }
    work += transport.poll(onMessage, 512);
    while (raft.hasReady()) {
      handleReady(raft.ready());
      work++;
    }
    transport.flush();
    return work;
  }

  private void onMessage(Message m) {
    raft.step(m);
  }

  private void handleReady(Ready rd) {
    send(rd.messages());
    batch.clear();
    rd.addTo(batch, 0);
    if (!batch.isEmpty()) {
      store.append(batch);
      store.sync();
    }
    send(rd.messagesAfterPersist());
    for (Entry e : rd.committedEntries()) {
      if (e.type() == EntryType.CONF_CHANGE) {
        raft.applyConfChange(ConfChange.decode(e.data()));
      } else if (e.data().length > 0) {
        applied.put(e.index(), new String(e.data(), StandardCharsets.UTF_8));
      }
    }
    raft.advance(rd);
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      if (!transport.send(m) && m.type() == MessageType.APPEND && raft.isLeader()) {
        raft.reportUnreachable(m.to());
      }
    }
  }

  /**
   * Proposes commands if leader.
   *
   * @return false if this node is not the leader (nothing proposed)
   */
  boolean propose(List<String> commands) {
    if (!raft.isLeader() || commands.isEmpty()) {
      return false;
    }
    List<byte[]> data = new ArrayList<>(commands.size());
    for (String c : commands) {
      data.add(c.getBytes(StandardCharsets.UTF_8));
    }
    try {
      raft.proposeBatch(data);
      return true;
    } catch (ProposalDroppedException e) {
      return false;
    }
  }

  /** The applied commands in log order. */
  List<String> appliedCommands() {
    return new ArrayList<>(applied.values());
  }

  /** The applied commands with their indexes. */
  Map<Long, String> appliedByIndex() {
    return new TreeMap<>(applied);
  }

  /** A checksum of the first {@code n} applied commands, or -1 if fewer were applied. */
  long prefixChecksum(int n) {
    if (applied.size() < n) {
      return -1;
    }
    CRC32 crc = new CRC32();
    int k = 0;
    for (Map.Entry<Long, String> e : applied.entrySet()) {
      if (k++ == n) {
        break;
      }
      crc.update(Long.toString(e.getKey()).getBytes(StandardCharsets.UTF_8));
      crc.update(e.getValue().getBytes(StandardCharsets.UTF_8));
    }
    return crc.getValue();
  }
}
