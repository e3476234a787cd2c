package io.crema.cache.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random cache commands over a small key space, with a leader clock that sometimes goes back. */
final class CommandGenerator {
  private final SplittableRandom rnd;
  private final CacheCommands commands = CacheCommands.withDefaultLimits();
  private final List<byte[]> requests = new ArrayList<>();
  private final long[] clientSeq = new long[6];
  private final List<byte[]> recentValues = new ArrayList<>();
  private final long baseMs;
  private long nowMs;
  private int count;
  private int retries;
  private int expiringPuts;

  CommandGenerator(SplittableRandom rnd, long baseMs) {
    this.rnd = rnd;
    this.baseMs = baseMs;
    this.nowMs = baseMs;
  }

  CacheCommands commands() {
    return commands;
  }

  int count() {
    return count;
  }

  int retries() {
    return retries;
  }

  int expiringPuts() {
    return expiringPuts;
  }

  byte[] randomKey() {
    return Replicas.bytes((rnd.nextInt(10) == 0 ? "c" : "k") + rnd.nextInt(60));
  }

  private byte[] value() {
    if (!recentValues.isEmpty() && rnd.nextInt(3) == 0) {
      return recentValues.get(rnd.nextInt(recentValues.size()));
    }
    byte[] v = new byte[1 + rnd.nextInt(24)];
    rnd.nextBytes(v);
    recentValues.add(v);
    if (recentValues.size() > 20) {
      recentValues.remove(0);
    }
    return v;
  }

  private long ttl() {
    if (rnd.nextInt(3) == 0) {
      expiringPuts++;
      return 1 + rnd.nextInt(400);
    }
    return 0;
  }

  private RequestId request() {
    if (rnd.nextInt(3) != 0) {
      return null;
    }
    int client = 1 + rnd.nextInt(5);
    long seq = ++clientSeq[client];
    long acked = Math.max(0, seq - 1 - rnd.nextInt(6));
    return new RequestId(client, seq, acked);
  }

  /** The next command; {@code logSize} entries precede it (for plausible versions). */
  byte[] next(int logSize) {
    count++;
    nowMs += rnd.nextInt(25);
    if (rnd.nextInt(100) == 0) {
      nowMs = Math.max(baseMs, nowMs - rnd.nextInt(2_000)); // a new leader with a slower clock
    }
    if (!requests.isEmpty() && rnd.nextInt(20) == 0) {
      retries++;
      return requests.get(rnd.nextInt(requests.size()));
    }
    RequestId id = request();
    byte[] cmd = generate(id, logSize);
    if (rnd.nextInt(4) == 0) {
      CacheCommands.restamp(cmd, nowMs); // proposer's clock differed; the leader restamps
    }
    if (id != null) {
      requests.add(cmd);
      if (requests.size() > 50) {
        requests.remove(0);
      }
    }
    return cmd;
  }

  private byte[] generate(RequestId id, int logSize) {
    long proposerNow = nowMs - rnd.nextInt(50);
    int op = rnd.nextInt(100);
    byte[] key = randomKey();
    if (op < 30) {
      return commands.put(key, value(), ttl(), proposerNow, id);
    } else if (op < 40) {
      return commands.putIfAbsent(key, value(), ttl(), proposerNow, id);
    } else if (op < 48) {
      return commands.compareAndSetValue(key, value(), value(), ttl(), proposerNow, id);
    } else if (op < 56) {
      long version = rnd.nextInt(4) == 0 ? 0 : Math.max(0, logSize - rnd.nextInt(30));
      return commands.compareAndSetVersion(key, version, value(), ttl(), proposerNow, id);
    } else if (op < 66) {
      return commands.delete(key, proposerNow, id);
    } else if (op < 88) {
      byte[] counter = Replicas.bytes("c" + rnd.nextInt(8));
      return commands.increment(
          rnd.nextInt(8) == 0 ? key : counter, rnd.nextLong(-5, 6), ttl(), proposerNow, id);
    } else if (op < 90) {
      return commands.increment(key, Long.MAX_VALUE - rnd.nextInt(3), 0, proposerNow, id);
    } else if (op < 93) {
      return commands.tick(proposerNow);
    } else {
      return commands.put(key, value(), 0, proposerNow, id);
    }
  }
}
