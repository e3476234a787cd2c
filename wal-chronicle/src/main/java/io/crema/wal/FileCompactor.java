package io.crema.wal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole roll-cycle files below a cycle. Knows the files of the cycles the store has read or
 * written (cycle to file); the caller decides which cycles are safe to drop.
 */
final class FileCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(FileCompactor.class);

  private final Path directory;
  private final NavigableMap<Integer, File> cycleFiles;

  FileCompactor(Path directory, NavigableMap<Integer, File> cycleFiles) {
    this.directory = directory;
    this.cycleFiles = cycleFiles;
  }

  boolean hasFilesBefore(int cycle) {
    return !cycleFiles.isEmpty() && cycleFiles.firstKey() < cycle;
  }

  /** Deletes the files of every cycle below {@code cycle}. */
  void deleteBefore(int cycle) {
    List<String> deleted = new ArrayList<>();
    Map<Integer, File> old = cycleFiles.headMap(cycle, false);
    for (Map.Entry<Integer, File> e : List.copyOf(old.entrySet())) {
      try {
        Files.deleteIfExists(e.getValue().toPath());
        deleted.add(e.getValue().getName());
        cycleFiles.remove(e.getKey());
      } catch (IOException ex) {
        // keep it; a later compaction retries. Nothing is lost by keeping a file.
        LOG.warn("could not delete old WAL file {}: {}", e.getValue(), ex.toString());
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("WAL {}: deleted {} old file(s): {}", directory, deleted.size(), deleted);
    }
  }
}
