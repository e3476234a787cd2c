package io.crema.benchmarks.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temp directories for the WAL benchmarks. */
final class WalBenchmarkFiles {
  private WalBenchmarkFiles() {}

  static Path newDirectory(String prefix) throws IOException {
    String base = System.getProperty("wal.bench.dir");
    Path parent = base == null ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(base);
    Files.createDirectories(parent);
    return Files.createTempDirectory(parent, prefix);
  }
}
