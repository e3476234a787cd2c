package io.crema.benchmarks.cache;

import io.crema.benchmarks.BenchSupport;
import io.crema.cache.statemachine.CacheCommands;
import io.crema.cache.statemachine.CacheStateMachine;
import io.crema.cache.statemachine.CacheStateMachineConfig;
import io.crema.raft.Entry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commands applied per second by one {@link CacheStateMachine} on one thread: PUTs of 16-byte keys
 * and 16-byte values, applied in batches of {@value #BATCH} entries as the Raft host does.
 *
 * <ul>
 *   <li>{@code capacity=below}: 100,000 keys overwritten at random, far below the entry bound.
 *   <li>{@code capacity=at}: 1,000,000 distinct keys into a cache bounded at 100,000 entries; the
 *       machine is leader, proposes EVICT commands, and those are applied in the following batch
 *       (their apply time is included, but only the PUTs are counted as operations).
 * </ul>
 *
 * Target on the project's 2-core machine: at least 1,500,000 commands/s. Run:
 *
 * <pre>
 * mvn -B -o -pl cache-statemachine install -DskipTests
 * mvn -B -o -pl benchmarks package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar StateMachineApplyBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {BenchSupport.GC, "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class StateMachineApplyBenchmark {
  static final int BATCH = 256;
  private static final long NOW = 1_700_000_000_000L;
  private static final int COMMANDS = 1 << 18;

  @Param({"below", "at"})
  public String capacity;

  private CacheStateMachine machine;
  private byte[][] commands;
  private final ArrayDeque<byte[]> proposed = new ArrayDeque<>();
  private final List<Entry> batch = new ArrayList<>(BATCH * 2);
  private final Object[] results = new Object[BATCH * 64];
  private long index;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    boolean at = capacity.equals("at");
    int keys = at ? 1_000_000 : 100_000;
    CacheStateMachineConfig.Builder config =
        CacheStateMachineConfig.builder().maximumWeightBytes(1L << 30);
    if (at) {
      config.maximumEntries(100_000).evictionProposer(proposed::add);
    }
    machine = CacheStateMachine.create(config.build());
    machine.onRoleChange(at, 1);
    CacheCommands encoder = CacheCommands.withDefaultLimits();
    SplittableRandom rnd = new SplittableRandom(42);
    byte[][] keySpace = new byte[keys][];
    for (int i = 0; i < keys; i++) {
      keySpace[i] = new byte[16];
      rnd.nextBytes(keySpace[i]);
    }
    commands = new byte[COMMANDS][];
    for (int i = 0; i < COMMANDS; i++) {
      byte[] value = new byte[16];
      rnd.nextBytes(value);
      byte[] key = at ? keySpace[i % keys] : keySpace[rnd.nextInt(keys)];
      commands[i] = encoder.put(key, value, 0, NOW + i / 1000, null);
    }
    if (!at) {
      for (int i = 0; i < keys; i++) { // preload the working set
        applyBatch(encoder.put(keySpace[i], keySpace[i], 0, NOW, null));
      }
    }
  }

  private void applyBatch(byte[] single) {
    batch.clear();
    batch.add(Entry.normal(++index, 1, single));
    machine.apply(batch, results);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object applyPuts() {
    batch.clear();
    while (!proposed.isEmpty() && batch.size() < results.length - BATCH) {
      batch.add(Entry.normal(++index, 1, proposed.poll()));
    }
    for (int i = 0; i < BATCH; i++) {
      batch.add(Entry.normal(++index, 1, commands[next]));
      next = (next + 1) & (COMMANDS - 1);
    }
    machine.apply(batch, results);
    return results[0];
  }
}
