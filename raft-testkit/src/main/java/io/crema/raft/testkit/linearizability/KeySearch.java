package io.crema.raft.testkit.linearizability;

import java.util.Arrays;

/**
 * The Wing–Gong search with Lowe's memoization over one key's history.
 *
 * <p>The history is a doubly linked list of call and return entries in time order (calls before
 * returns at equal times, so touching intervals count as concurrent). The search walks the list
 * from its head: at a call entry it tries to linearize that operation next (the model must accept
 * its output); on success it <em>lifts</em> the call and its return out of the list and restarts
 * from the head; at a return entry nothing more can be linearized before that operation, so it
 * backtracks, <em>unlifting</em> the last linearized operation and trying the next candidate.
 * Configurations (set of linearized operations, register value) already explored are skipped.
 *
 * <p>Ids follow response time, so OK operations come first and UNKNOWN ones (which return at
 * +infinity, and sit in a list of their own) last. The set of linearized OK operations is stored in
 * the memo table as (value, b, ids above b), where b is the lowest id not linearized: everything
 * linearized above b was invoked before b's response, so with low concurrency the key is short.
 *
 * <p>UNKNOWN operations are optional and precede nothing in real time, which allows pruning that
 * keeps at least one linearization whenever there is one:
 *
 * <ul>
 *   <li>the search succeeds once every OK operation is linearized: the remaining UNKNOWN ones can
 *       take effect last, which is the same as never;
 *   <li>a configuration is skipped if one with the same OK set and value, and a subset of its
 *       linearized UNKNOWN operations, was explored (see {@link StateCache});
 *   <li>an UNKNOWN operation that would not change the value is not linearized, nor one immediately
 *       followed by a blind write (WRITE or DELETE), which would hide it: right after an UNKNOWN
 *       operation only reads and CASes are tried (the memo key records whether the last operation
 *       was UNKNOWN);
 *   <li>UNKNOWN operations with the same effect are linearized in invocation order (see {@link
 *       KeyHistory#previousTwin});
 *   <li>UNKNOWN operations are tried only after the OK candidates, so that configurations with
 *       fewer of them tend to be explored, and memoized, first.
 * </ul>
 */
final class KeySearch {

  /** The verdict of one key's search. */
  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    BUDGET_EXHAUSTED
  }

  /** The outcome of one search. */
  static final class Outcome {
    final Verdict verdict;
    final long steps;

    /**
     * Operation ids of the longest linearized prefix found (not linearizable, budget exhausted), or
     * a witness (linearizable).
     */
    final int[] linearization;

    /** The OK operation that could not be linearized after the prefix, or -1 if linearizable. */
    final int blocked;

    Outcome(Verdict verdict, long steps, int[] linearization, int blocked) {
      this.verdict = verdict;
      this.steps = steps;
      this.linearization = linearization;
      this.blocked = blocked;
    }
  }

  private static final int DEADLINE_CHECK_MASK = 1023;
  private static final int LINEARIZED = 1;
  private static final int SKIPPED = 0;
  private static final int OUT_OF_BUDGET = -1;

  private final KeyHistory h;
  private final int n;
  private final int head; // main list (OK ops' calls and returns): head, tail = head + 1
  private final int[] next;
  private final int[] prev;
  private final int unknownHead; // list of UNKNOWN ops' calls: unknownHead, tail = unknownHead + 1
  private final int[] unknownNext;
  private final int[] unknownPrev;
  private final long[] linearized;
  private final int[] scratch;
  private final int[] unknownScratch;
  private final int[] usedOfClass; // linearized UNKNOWN ops per twin class
  private final long[] classesUsed; // twin classes with linearized ops
  private final StateCache cache = new StateCache();
  private final int[] stackOp;
  private final int[] stackState;
  private final int[] stackMaxOk;
  private final long[] stackBound;
  private int depth;
  private int state; // the register value after the linearized ops
  private long steps;
  private int base; // lowest op id not linearized
  private int maxSetOk = -1; // highest OK op id linearized, or -1
  private int unknownLinearized; // how many UNKNOWN ops are linearized

  private KeySearch(KeyHistory h) {
    this.h = h;
    this.n = h.size();
    this.head = 2 * h.okCount;
    this.next = new int[head + 2];
    this.prev = new int[head + 2];
    this.unknownHead = n;
    this.unknownNext = new int[n + 2];
    this.unknownPrev = new int[n + 2];
    this.linearized = new long[(n + 63) >>> 6];
    this.scratch = new int[h.okCount + 2];
    this.unknownScratch = new int[2 * h.twinClasses];
    this.usedOfClass = new int[h.twinClasses];
    this.classesUsed = new long[(h.twinClasses + 63) >>> 6];
    this.stackOp = new int[n];
    this.stackState = new int[n];
    this.stackMaxOk = new int[n];
    this.stackBound = new long[n];
    link();
  }

  /**
   * Searches for a linearization of {@code h}, giving up (BUDGET_EXHAUSTED) after {@code maxSteps}
   * model steps, once the deadline passed, or when the memo table is full.
   */
  static Outcome run(KeyHistory h, long maxSteps, Deadline deadline) {
    if (h.okCount == 0) {
      return new Outcome(Verdict.LINEARIZABLE, 0, new int[0], -1);
    }
    int impossible = h.impossibleObservation();
    if (impossible >= 0) {
      return new Outcome(Verdict.NOT_LINEARIZABLE, 0, new int[0], impossible);
    }
    return new KeySearch(h).search(maxSteps, deadline);
  }

  /**
   * Links the main list, where entry {@code 2i} is the call of OK op i and {@code 2i+1} its return,
   * and the list of UNKNOWN ops (ids {@code okCount..n-1}, already in invocation order).
   */
  private void link() {
    Integer[] entries = new Integer[head];
    for (int e = 0; e < head; e++) {
      entries[e] = e;
    }
    Arrays.sort(
        entries,
        (a, b) -> {
          int byTime = Long.compare(time(a), time(b));
          return byTime != 0 ? byTime : Integer.compare(a & 1, b & 1);
        });
    int last = head;
    for (int e : entries) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
    next[last] = head + 1;
    prev[head + 1] = last;
    last = unknownHead;
    for (int op = h.okCount; op < n; op++) {
      unknownNext[last] = op;
      unknownPrev[op] = last;
      last = op;
    }
    unknownNext[last] = unknownHead + 1;
    unknownPrev[unknownHead + 1] = last;
  }

  private long time(int entry) {
    int op = entry >>> 1;
    return (entry & 1) == 0 ? h.invokeTime[op] : h.responseTime[op];
  }

  /**
   * The search proper. Candidates are tried in two phases: first the OK ops whose calls precede the
   * first pending return, then the UNKNOWN ops invoked by then ({@code bound}). Trying OK ops first
   * means configurations with fewer UNKNOWN ops are explored first, so the memo table's subset
   * check prunes the ones with more.
   */
  private Outcome search(long maxSteps, Deadline deadline) {
    int remainingOk = h.okCount;
    int[] longest = new int[0];
    int entry = next[head];
    boolean unknownPhase = false;
    int unknownCursor = -1;
    long bound = 0;
    while (remainingOk > 0) {
      int op;
      if (!unknownPhase) {
        if (entry >= head || (entry & 1) == 1) {
          unknownPhase = true;
          bound = entry < head ? time(entry) : Long.MAX_VALUE;
          unknownCursor = unknownNext[unknownHead];
          continue;
        }
        op = entry >>> 1;
      } else if (unknownCursor < n && h.invokeTime[unknownCursor] <= bound) {
        op = unknownCursor;
      } else {
        if (depth > longest.length) {
          longest = Arrays.copyOf(stackOp, depth);
        }
        if (depth == 0) {
          return new Outcome(Verdict.NOT_LINEARIZABLE, steps, longest, firstOkOutside(longest));
        }
        op = pop();
        if (h.unknown[op]) {
          unknownNext[unknownPrev[op]] = op;
          unknownPrev[unknownNext[op]] = op;
          unknownCursor = unknownNext[op];
          bound = stackBound[depth];
        } else {
          remainingOk++;
          unlift(2 * op);
          entry = next[2 * op];
          unknownPhase = false;
        }
        continue;
      }
      int attempt = attempt(op, maxSteps, deadline);
      if (attempt == OUT_OF_BUDGET) {
        int[] reached = longestSoFar(longest);
        return new Outcome(Verdict.BUDGET_EXHAUSTED, steps, reached, firstOkOutside(reached));
      }
      if (attempt == LINEARIZED) {
        if (h.unknown[op]) {
          stackBound[depth - 1] = bound;
          unknownNext[unknownPrev[op]] = unknownNext[op];
          unknownPrev[unknownNext[op]] = unknownPrev[op];
        } else {
          remainingOk--;
          lift(2 * op);
        }
        entry = next[head];
        unknownPhase = false;
      } else if (unknownPhase) {
        unknownCursor = unknownNext[op];
      } else {
        entry = next[entry];
      }
    }
    return new Outcome(Verdict.LINEARIZABLE, steps, Arrays.copyOf(stackOp, depth), -1);
  }

  /** Tries to linearize {@code op} next; pushes it and returns LINEARIZED if new and possible. */
  private int attempt(int op, long maxSteps, Deadline deadline) {
    if (h.unknown[op]) {
      int twin = h.previousTwin[op];
      if (twin >= 0 && (linearized[twin >>> 6] & (1L << twin)) == 0) {
        return SKIPPED; // its earlier twin goes first
      }
      if (h.kind[op] == KeyHistory.WRITE ? h.arg[op] == state : h.arg[op] != state) {
        return SKIPPED; // it would not change the value (a CAS whose expected value is not there)
      }
    }
    if (h.kind[op] == KeyHistory.WRITE && depth > 0 && h.unknown[stackOp[depth - 1]]) {
      return SKIPPED; // it would hide the UNKNOWN op just linearized, which is then pointless
    }
    if (steps == maxSteps || ((++steps & DEADLINE_CHECK_MASK) == 0 && deadline.passed())) {
      return OUT_OF_BUDGET;
    }
    int newState = h.step(op, state);
    if (newState < 0 || (h.unknown[op] && newState == state)) {
      return SKIPPED;
    }
    int oldMaxOk = maxSetOk;
    set(op);
    int added = cache.add(scratch, cacheKey(newState, h.unknown[op]), unknownScratch, unknownKey());
    if (added == StateCache.FULL) {
      return OUT_OF_BUDGET;
    }
    if (added == StateCache.COVERED) {
      clear(op, oldMaxOk);
      return SKIPPED;
    }
    stackOp[depth] = op;
    stackState[depth] = state;
    stackMaxOk[depth] = oldMaxOk;
    depth++;
    state = newState;
    return LINEARIZED;
  }

  /** Undoes the last linearization but for the list links; returns its op. */
  private int pop() {
    depth--;
    int op = stackOp[depth];
    state = stackState[depth];
    clear(op, stackMaxOk[depth]);
    return op;
  }

  /** The longer of {@code longest} and the current stack. */
  private int[] longestSoFar(int[] longest) {
    return depth > longest.length ? Arrays.copyOf(stackOp, depth) : longest;
  }

  /** The OK operation with the earliest response that is not in {@code prefix}. */
  private int firstOkOutside(int[] prefix) {
    boolean[] in = new boolean[n];
    for (int op : prefix) {
      in[op] = true;
    }
    for (int op = 0; op < n; op++) {
      if (!in[op] && !h.unknown[op]) {
        return op;
      }
    }
    return -1;
  }

  private void set(int op) {
    linearized[op >>> 6] |= 1L << op;
    if (h.unknown[op]) {
      unknownLinearized++;
      int c = h.twinClass[op];
      if (usedOfClass[c]++ == 0) {
        classesUsed[c >>> 6] |= 1L << c;
      }
    } else {
      maxSetOk = Math.max(maxSetOk, op);
    }
    if (op == base) {
      base = nextClear(op + 1);
    }
  }

  private void clear(int op, int previousMaxOk) {
    linearized[op >>> 6] &= ~(1L << op);
    if (h.unknown[op]) {
      unknownLinearized--;
      int c = h.twinClass[op];
      if (--usedOfClass[c] == 0) {
        classesUsed[c >>> 6] &= ~(1L << c);
      }
    }
    maxSetOk = previousMaxOk;
    base = Math.min(base, op);
  }

  private int nextClear(int from) {
    int w = from >>> 6;
    if (w >= linearized.length) {
      return from;
    }
    long word = ~linearized[w] & (-1L << from);
    while (word == 0) {
      if (++w == linearized.length) {
        return w << 6;
      }
      word = ~linearized[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(word);
  }

  /** Writes value, last-op flag and linearized OK ops into {@link #scratch}; returns the length. */
  private int cacheKey(int state, boolean lastUnknown) {
    int len = 0;
    scratch[len++] = 2 * state + (lastUnknown ? 1 : 0);
    scratch[len++] = Math.min(base, h.okCount);
    if (maxSetOk > base) {
      len = collect(base + 1, maxSetOk + 1, scratch, len);
    }
    return len;
  }

  /**
   * Writes the linearized UNKNOWN ops into {@link #unknownScratch} as (twin class, count) pairs by
   * class; returns the number of ints written. Twins are linearized in order, so the count of a
   * class says which of its ops are linearized.
   */
  private int unknownKey() {
    if (unknownLinearized == 0) {
      return 0;
    }
    int len = 0;
    for (int w = 0; w < classesUsed.length; w++) {
      for (long word = classesUsed[w]; word != 0; word &= word - 1) {
        int c = (w << 6) + Long.numberOfTrailingZeros(word);
        unknownScratch[len++] = c;
        unknownScratch[len++] = usedOfClass[c];
      }
    }
    return len;
  }

  /** Appends the linearized ids in [from, to) to {@code out} from {@code len}; the new length. */
  private int collect(int from, int to, int[] out, int len) {
    for (int w = from >>> 6; w <= (to - 1) >>> 6; w++) {
      long word = linearized[w];
      if (w == from >>> 6) {
        word &= -1L << from;
      }
      if (w == (to - 1) >>> 6 && (to & 63) != 0) {
        word &= (1L << to) - 1;
      }
      while (word != 0) {
        out[len++] = (w << 6) + Long.numberOfTrailingZeros(word);
        word &= word - 1;
      }
    }
    return len;
  }

  private void lift(int call) {
    int ret = call + 1;
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call];
    next[prev[ret]] = next[ret];
    prev[next[ret]] = prev[ret];
  }

  private void unlift(int call) {
    int ret = call + 1;
    prev[next[ret]] = ret;
    next[prev[ret]] = ret;
    prev[next[call]] = call;
    next[prev[call]] = call;
  }
}
