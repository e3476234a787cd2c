package io.crema.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The operations of one key, encoded for {@link KeySearch}: values interned to ints (0 is absent),
 * operations numbered by response time, and operations that cannot matter removed.
 *
 * <p>Some operations are removed, without changing whether the history is linearizable: UNKNOWN
 * reads and UNKNOWN CASes whose new value is the expected one (they constrain and change nothing),
 * and the largest set D of UNKNOWN mutations such that each was invoked after every failed CAS
 * returned and no operation outside D observes a value an operation of D installs (no completed
 * read returns it, no CAS outside D expects it). Take a linearization and a stretch where the value
 * was last installed by an operation of D: the operations outside D in it cannot be reads or
 * successful CASes (they would observe the value), nor completed failed CASes (they returned before
 * the D operation was invoked), so they are UNKNOWN CASes that fail, which can move to the end.
 * Removing D and moving those leaves every other operation seeing the same value. (A failed CAS is
 * excluded because a mutation could explain why it found something other than its expected value.)
 */
final class KeyHistory {
  static final byte READ = 0;
  static final byte WRITE = 1;
  static final byte CAS = 2;

  /** Output code of a CAS whose result is unknown. */
  static final int CAS_UNKNOWN = -1;

  final String key;

  /** The retained operations; the index is the operation id, ordered by response time. */
  final List<Operation> ops;

  final byte[] kind;

  /** WRITE (and DELETE): value installed; CAS: expected value. */
  final int[] arg;

  /** CAS: new value. */
  final int[] arg2;

  /** READ: value read; CAS: 1 succeeded, 0 failed, {@link #CAS_UNKNOWN}. */
  final int[] out;

  /**
   * For an UNKNOWN operation, the previous UNKNOWN operation (by invocation) with the same effect,
   * or -1. Such twins are interchangeable once both are invoked, so the search linearizes them in
   * invocation order only: if a linearization uses some twins, the same positions can take the
   * earliest-invoked ones instead (the i-th of those has no more real-time predecessors than one of
   * the first i used).
   */
  final int[] previousTwin;

  /**
   * For an UNKNOWN operation, its class of twins, numbered from 0; -1 for OK operations. Since
   * twins are linearized in order, the linearized ones of a class are identified by their count.
   */
  final int[] twinClass;

  /** The number of twin classes. */
  int twinClasses;

  final boolean[] unknown;
  final long[] invokeTime;
  final long[] responseTime;
  final int okCount;

  private KeyHistory(String key, List<Operation> ops) {
    this.key = key;
    this.ops = ops;
    int n = ops.size();
    kind = new byte[n];
    arg = new int[n];
    arg2 = new int[n];
    out = new int[n];
    previousTwin = new int[n];
    twinClass = new int[n];
    unknown = new boolean[n];
    invokeTime = new long[n];
    responseTime = new long[n];
    Map<String, Integer> ids = new HashMap<>();
    ids.put(null, 0);
    int ok = 0;
    for (int i = 0; i < n; i++) {
      Operation op = ops.get(i);
      Command c = op.command();
      unknown[i] = op.isUnknown();
      invokeTime[i] = op.invokeTime();
      responseTime[i] = op.responseTime();
      ok += unknown[i] ? 0 : 1;
      switch (c.kind()) {
        case READ:
          kind[i] = READ;
          out[i] = intern(ids, op.observed());
          break;
        case WRITE:
        case DELETE:
          kind[i] = WRITE;
          arg[i] = intern(ids, c.newValue());
          break;
        case CAS:
          kind[i] = CAS;
          arg[i] = intern(ids, c.expected());
          arg2[i] = intern(ids, c.newValue());
          out[i] = unknown[i] ? CAS_UNKNOWN : (op.casSucceeded() ? 1 : 0);
          break;
        default:
          throw new AssertionError(c.kind());
      }
    }
    okCount = ok;
    mergeUnobservedValues(ids.size());
    linkTwins();
  }

  /**
   * Values that no read returns and no CAS expects are indistinguishable by every operation, so
   * they become one value: configurations that differ only in which of them is current merge.
   */
  private void mergeUnobservedValues(int valueCount) {
    boolean[] observed = new boolean[valueCount];
    for (int i = 0; i < kind.length; i++) {
      if (kind[i] == READ) {
        observed[out[i]] = true;
      } else if (kind[i] == CAS) {
        observed[arg[i]] = true;
      }
    }
    int merged = -1;
    int[] canonical = new int[valueCount];
    for (int v = 0; v < valueCount; v++) {
      if (observed[v]) {
        canonical[v] = v;
      } else {
        merged = merged < 0 ? v : merged;
        canonical[v] = merged;
      }
    }
    for (int i = 0; i < kind.length; i++) {
      if (kind[i] == WRITE) {
        arg[i] = canonical[arg[i]];
      } else if (kind[i] == CAS) {
        arg2[i] = canonical[arg2[i]];
      }
    }
    // The initial value, absent, is 0 and stays 0: if unobserved it is the merged value itself.
  }

  private void linkTwins() {
    Map<List<Integer>, Integer> lastWithEffect = new HashMap<>();
    Map<List<Integer>, Integer> classes = new HashMap<>();
    for (int i = 0; i < kind.length; i++) {
      previousTwin[i] = -1;
      twinClass[i] = -1;
      if (unknown[i]) {
        // UNKNOWN ops have the largest ids, in invocation order.
        List<Integer> effect = List.of((int) kind[i], arg[i], arg2[i]);
        Integer previous = lastWithEffect.put(effect, i);
        previousTwin[i] = previous == null ? -1 : previous;
        twinClass[i] = classes.computeIfAbsent(effect, e -> classes.size());
      }
    }
    twinClasses = classes.size();
  }

  /** Encodes the operations of {@code key}, all of which must be on that key. */
  static KeyHistory of(String key, List<Operation> keyOps) {
    List<Operation> kept = new ArrayList<>(keyOps.size());
    long lastFailedCasResponse = Long.MIN_VALUE;
    for (Operation op : keyOps) {
      if (!op.key().equals(key)) {
        throw new IllegalArgumentException("operation " + op + " is not on key " + key);
      }
      if (op.isUnknown() && (op.kind() == Command.Kind.READ || isNoOpCas(op.command()))) {
        continue; // it constrains nothing and changes nothing
      }
      if (op.kind() == Command.Kind.CAS && !op.isUnknown() && !op.casSucceeded()) {
        lastFailedCasResponse = Math.max(lastFailedCasResponse, op.responseTime());
      }
      kept.add(op);
    }
    dropUnobservedUnknownMutations(kept, lastFailedCasResponse);
    List<Integer> order = new ArrayList<>(kept.size());
    for (int i = 0; i < kept.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.<Integer>comparingLong(i -> kept.get(i).responseTime())
            .thenComparingLong(i -> kept.get(i).invokeTime())
            .thenComparingInt(i -> i));
    List<Operation> sorted = new ArrayList<>(kept.size());
    for (int i : order) {
      sorted.add(kept.get(i));
    }
    return new KeyHistory(key, List.copyOf(sorted));
  }

  private static boolean isNoOpCas(Command c) {
    return c.kind() == Command.Kind.CAS && Objects.equals(c.expected(), c.newValue());
  }

  /** Removes the set D of the class comment: the greatest fixpoint, by a worklist. */
  private static void dropUnobservedUnknownMutations(
      List<Operation> kept, long lastFailedCasResponse) {
    boolean[] inD = new boolean[kept.size()];
    Map<String, List<Integer>> installersInD = new HashMap<>();
    for (int i = 0; i < kept.size(); i++) {
      Operation op = kept.get(i);
      if (op.isUnknown() && op.command().isMutation() && op.invokeTime() > lastFailedCasResponse) {
        inD[i] = true;
        installersInD.computeIfAbsent(op.command().newValue(), v -> new ArrayList<>()).add(i);
      }
    }
    Set<String> observedOutside = new HashSet<>();
    List<String> newlyObserved = new ArrayList<>(); // a worklist; may hold null (absent)
    for (int i = 0; i < kept.size(); i++) {
      if (!inD[i]) {
        observeOutside(kept.get(i), observedOutside, newlyObserved);
      }
    }
    for (int next = 0; next < newlyObserved.size(); next++) {
      List<Integer> installers = installersInD.remove(newlyObserved.get(next));
      for (int i : installers == null ? List.<Integer>of() : installers) {
        inD[i] = false;
        observeOutside(kept.get(i), observedOutside, newlyObserved);
      }
    }
    int w = 0;
    for (int i = 0; i < kept.size(); i++) {
      if (!inD[i]) {
        kept.set(w++, kept.get(i));
      }
    }
    kept.subList(w, kept.size()).clear();
  }

  private static void observeOutside(Operation op, Set<String> observed, List<String> fresh) {
    String value;
    if (op.kind() == Command.Kind.READ) {
      value = op.observed();
    } else if (op.kind() == Command.Kind.CAS) {
      value = op.command().expected();
    } else {
      return;
    }
    if (observed.add(value)) {
      fresh.add(value);
    }
  }

  private static int intern(Map<String, Integer> ids, String value) {
    Integer id = ids.get(value);
    if (id == null) {
      id = ids.size();
      ids.put(value, id);
    }
    return id;
  }

  int size() {
    return ops.size();
  }

  /** The register value after linearizing {@code prefix} ({@code null}: absent). */
  String valueAfter(int[] prefix) {
    String value = null;
    int state = 0;
    for (int op : prefix) {
      int next = step(op, state);
      if (kind[op] == WRITE || (kind[op] == CAS && state == arg[op])) {
        value = ops.get(op).command().newValue();
      }
      state = next;
    }
    return value;
  }

  /**
   * Applies operation {@code op} to register state {@code state}: the new state, or -1 if the
   * operation's known output is impossible in that state. An UNKNOWN CAS takes effect iff it can.
   */
  int step(int op, int state) {
    switch (kind[op]) {
      case READ:
        return out[op] == state ? state : -1;
      case WRITE:
        return arg[op];
      case CAS:
        if (out[op] == CAS_UNKNOWN) {
          return state == arg[op] ? arg2[op] : state;
        }
        if (out[op] == 1) {
          return state == arg[op] ? arg2[op] : -1;
        }
        return state != arg[op] ? state : -1;
      default:
        throw new AssertionError(kind[op]);
    }
  }

  /**
   * A completed operation that observes a value no operation of the key ever installs (a read of
   * it, or a successful CAS expecting it): the earliest-returning one's id, or -1 if none.
   */
  int impossibleObservation() {
    boolean[] installed = new boolean[kind.length * 2 + 1];
    installed[0] = true;
    for (int i = 0; i < size(); i++) {
      if (kind[i] == WRITE) {
        installed[arg[i]] = true;
      } else if (kind[i] == CAS) {
        installed[arg2[i]] = true;
      }
    }
    for (int i = 0; i < size(); i++) {
      if (kind[i] == READ && !unknown[i] && !installed[out[i]]) {
        return i;
      }
      if (kind[i] == CAS && out[i] == 1 && !installed[arg[i]]) {
        return i;
      }
    }
    return -1;
  }
}
