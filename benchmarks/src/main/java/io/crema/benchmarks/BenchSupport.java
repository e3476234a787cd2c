package io.crema.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What several benchmarks share: their keys and the removal of their temp directories. */
public final class BenchSupport {
  private BenchSupport() {}

  /**
   * The collector of every benchmark fork, ours, the components' and the peers' alike (each
   * {@code @Fork} lists it first). The parallel collector, not the default G1: on these 2 cores
   * G1's concurrent refinement (re-scanning cards dirtied by reference stores into long-lived
   * objects: cache nodes, logs, maps) took 10-12% of the cache benchmark's CPU in async-profiler
   * samples; with this flag the JVM spends 15-20% less CPU per put (A/B in benchmarks/README.md).
   * Young pauses stay in the low milliseconds at the 2 GiB heaps used here.
   */
  public static final String GC = "-XX:+UseParallelGC";

  /** Key {@code i} of the cache and peer benchmarks: {@code key-%012d}, 16 ASCII bytes. */
  public static byte[] key(int i) {
    return String.format("key-%012d", i).getBytes(StandardCharsets.US_ASCII);
  }

  /** Deletes {@code dir} and everything under it (nothing if it is null or gone). */
  public static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
