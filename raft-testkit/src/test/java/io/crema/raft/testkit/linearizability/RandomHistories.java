package io.crema.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generates histories of a real, linearizable register: each client issues operations one after
 * another with random gaps and durations; each operation takes effect at a random point of its
 * interval, and outputs are computed by applying the operations in that order. UNKNOWN operations
 * take effect at a random time after their invocation (possibly long after the client gave up) or
 * never. Every generated history is therefore linearizable.
 */
final class RandomHistories {

  /** Generation parameters. */
  static final class Config {
    int clients = 3;
    int opsPerClient = 20;
    List<String> keys = List.of("k");

    /** Distinct values per key; 0 means every mutation installs a fresh, unique value. */
    int alphabet = 3;

    int readWeight = 4;
    int writeWeight = 3;
    int casWeight = 2;
    int deleteWeight = 1;
    double unknownRate = 0.05;
    int maxGap = 5;
    int maxDuration = 10;

    Config clients(int n) {
      clients = n;
      return this;
    }

    Config opsPerClient(int n) {
      opsPerClient = n;
      return this;
    }

    Config keys(String... k) {
      keys = List.of(k);
      return this;
    }

    Config alphabet(int n) {
      alphabet = n;
      return this;
    }

    Config unknownRate(double r) {
      unknownRate = r;
      return this;
    }

    Config weights(int read, int write, int cas, int delete) {
      readWeight = read;
      writeWeight = write;
      casWeight = cas;
      deleteWeight = delete;
      return this;
    }

    Config timing(int gap, int duration) {
      maxGap = gap;
      maxDuration = duration;
      return this;
    }
  }

  private static final class Planned {
    final long clientId;
    final Command command;
    final long invoke;
    final long response;
    final boolean unknown;
    final long effectAt; // Long.MAX_VALUE: never takes effect
    final long tieBreak;
    String observed;
    boolean casSucceeded;

    Planned(
        long clientId,
        Command command,
        long invoke,
        long response,
        boolean unknown,
        long effectAt,
        long tieBreak) {
      this.clientId = clientId;
      this.command = command;
      this.invoke = invoke;
      this.response = response;
      this.unknown = unknown;
      this.effectAt = effectAt;
      this.tieBreak = tieBreak;
    }

    Operation toOperation() {
      if (unknown) {
        return Operation.unknown(clientId, command, invoke);
      }
      return Operation.completed(clientId, command, invoke, response, observed, casSucceeded);
    }
  }

  private RandomHistories() {}

  /** A linearizable history drawn from {@code rnd} with parameters {@code cfg}. */
  static List<Operation> linearizable(SplittableRandom rnd, Config cfg) {
    List<Planned> planned = new ArrayList<>();
    Map<String, List<String>> installed = new HashMap<>();
    int fresh = 0;
    for (int c = 0; c < cfg.clients; c++) {
      long t = rnd.nextInt(cfg.maxGap + 1);
      for (int i = 0; i < cfg.opsPerClient; i++) {
        long invoke = t + rnd.nextInt(cfg.maxGap + 1);
        long response = invoke + rnd.nextInt(cfg.maxDuration + 1);
        String key = cfg.keys.get(rnd.nextInt(cfg.keys.size()));
        List<String> seen = installed.computeIfAbsent(key, k -> new ArrayList<>());
        Command command;
        int total = cfg.readWeight + cfg.writeWeight + cfg.casWeight + cfg.deleteWeight;
        int pick = rnd.nextInt(total);
        if (pick < cfg.readWeight) {
          command = Command.read(key);
        } else if ((pick -= cfg.readWeight) < cfg.writeWeight) {
          command = Command.write(key, newValue(rnd, cfg, key, fresh++, seen));
        } else if ((pick -= cfg.writeWeight) < cfg.casWeight) {
          String expected = seen.isEmpty() || rnd.nextInt(4) == 0 ? null : pickOld(rnd, seen);
          String next = rnd.nextInt(8) == 0 ? null : newValue(rnd, cfg, key, fresh++, seen);
          command = Command.cas(key, expected, next);
        } else {
          command = Command.delete(key);
        }
        boolean unknown = rnd.nextDouble() < cfg.unknownRate;
        long effectAt;
        if (!unknown) {
          effectAt = invoke + rnd.nextLong(response - invoke + 1);
        } else if (rnd.nextBoolean()) {
          effectAt = invoke + rnd.nextInt(4 * cfg.maxDuration + 1);
        } else {
          effectAt = Long.MAX_VALUE;
        }
        planned.add(new Planned(c, command, invoke, response, unknown, effectAt, rnd.nextLong()));
        t = response + 1;
      }
    }
    applyInEffectOrder(planned);
    List<Operation> ops = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      ops.add(p.toOperation());
    }
    return ops;
  }

  private static String newValue(
      SplittableRandom rnd, Config cfg, String key, int fresh, List<String> seen) {
    String v = cfg.alphabet == 0 ? key + "-u" + fresh : "v" + rnd.nextInt(cfg.alphabet);
    seen.add(v);
    return v;
  }

  private static String pickOld(SplittableRandom rnd, List<String> seen) {
    // Mostly recent values, so that CASes succeed often enough to matter.
    int back = Math.min(seen.size(), 1 + rnd.nextInt(3));
    return seen.get(seen.size() - back);
  }

  private static void applyInEffectOrder(List<Planned> planned) {
    List<Planned> effective = new ArrayList<>();
    for (Planned p : planned) {
      if (p.effectAt != Long.MAX_VALUE) {
        effective.add(p);
      }
    }
    effective.sort(
        Comparator.<Planned>comparingLong(p -> p.effectAt).thenComparingLong(p -> p.tieBreak));
    Map<String, String> register = new HashMap<>();
    for (Planned p : effective) {
      Command c = p.command;
      String current = register.get(c.key());
      switch (c.kind()) {
        case READ:
          p.observed = current;
          break;
        case WRITE:
        case DELETE:
          set(register, c.key(), c.newValue());
          break;
        case CAS:
          p.casSucceeded = Objects.equals(current, c.expected());
          if (p.casSucceeded) {
            set(register, c.key(), c.newValue());
          }
          break;
        default:
          throw new AssertionError(c.kind());
      }
    }
  }

  private static void set(Map<String, String> register, String key, String value) {
    if (value == null) {
      register.remove(key);
    } else {
      register.put(key, value);
    }
  }
}
