package io.crema.multiraft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the value: superclass fields are laid out first. */
abstract class CounterLeftPad {
  long p01, p02, p03, p04, p05, p06, p07, p08;
}

/** The value, between the two paddings. */
abstract class CounterValue extends CounterLeftPad {
  volatile long value;
}

/**
 * A count that host threads add to on every completed operation, alone on its cache line: next to
 * fields that callers' threads read on every operation (as a {@code LongAdder}'s base was,
 * allocated with the coordinator's other state) each increment invalidated their line, which cost
 * 7% of the CPU of {@code MultiRaftThroughputBenchmark} in async-profiler samples. Thread-safe.
 */
final class Counter extends CounterValue {
  long p11, p12, p13, p14, p15, p16, p17, p18;

  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(CounterValue.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  void increment() {
    VALUE.getAndAdd(this, 1L);
  }

  long get() {
    return value;
  }
}
