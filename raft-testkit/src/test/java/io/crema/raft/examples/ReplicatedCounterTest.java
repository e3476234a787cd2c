package io.crema.raft.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's embedding example runs and every replica agrees. */
class ReplicatedCounterTest {
  @Test
  void exampleRunsAndReplicasAgree() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    boolean ok = ReplicatedCounter.run(20_000, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(ok, out);
    assertTrue(out.contains("now leads"), out);
  }
}
