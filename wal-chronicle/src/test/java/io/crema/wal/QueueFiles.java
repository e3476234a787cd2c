package io.crema.wal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/** Test helper: where the records of a closed log lie in its files, and how to damage them. */
final class QueueFiles {
  /** One Chronicle document: its file, byte position of the record and its length. */
  record Doc(long queueIndex, File file, long position, int length) {}

  private QueueFiles() {}

  static List<Doc> docs(Path dir) {
    List<Doc> out = new ArrayList<>();
    try (SingleChronicleQueue q =
            SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(ChronicleLogConfig.DEFAULT_ROLL_CYCLE)
                .readOnly(true)
                .build();
        ExcerptTailer t = q.createTailer()) {
      while (true) {
        try (DocumentContext dc = t.readingDocument()) {
          if (!dc.isPresent()) {
            return out;
          }
          out.add(
              new Doc(
                  dc.index(),
                  t.currentFile(),
                  dc.wire().bytes().readPosition(),
                  (int) dc.wire().bytes().readRemaining()));
        }
      }
    }
  }

  static void flip(File file, long position, int mask) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ mask);
    }
  }

  static void truncate(File file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file, "rw")) {
      f.setLength(length);
    }
  }
}
