package io.crema.cache.process;

import io.crema.cache.CacheConfig;
import io.crema.cache.DistributedCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cache node in its own JVM for the multi-process test: {@code id port1 port2 port3 dataDir seed
 * incarnation}. Runs a client that writes and reads a few keys and prints {@code INV client seq
 * kind key value invokeNs} before and {@code RES client seq outcome responseNs result} after each
 * operation (a write with no RES line had an unknown outcome). Stops the client when stdin says
 * {@code stop} (or closes), prints {@code DONE} and exits; may be killed at any time.
 */
public final class CacheNodeProcess {
  private CacheNodeProcess() {}

  public static void main(String[] args) throws Exception {
    int id = Integer.parseInt(args[0]);
    int[] ports = {Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3])};
    Path dir = Path.of(args[4]);
    long seed = Long.parseLong(args[5]);
    long client = id * 1000L + Long.parseLong(args[6]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    CacheConfig.Builder b =
        CacheConfig.builder()
            .nodeId(id)
            .raftAddress("127.0.0.1:" + ports[id - 1])
            .storage(CacheConfig.StorageType.CHRONICLE)
            .dataDirectory(dir)
            .tickIntervalMs(10)
            .electionTick(20)
            .requestTimeout(Duration.ofSeconds(3))
            .shards(2);
    for (int j = 1; j <= 3; j++) {
      if (j != id) {
        b.seedNode(j, "127.0.0.1:" + ports[j - 1]);
      }
    }
    DistributedCache cache = DistributedCache.create(b.build());
    cache.start().get(60, TimeUnit.SECONDS);
    out.println("READY " + id);
    AtomicBoolean stop = new AtomicBoolean();
    Thread worker = new Thread(() -> clientLoop(cache, client, seed, stop, out), "client-" + id);
    worker.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      // wait for the parent
    }
    stop.set(true);
    worker.join(30_000);
    out.println("DONE " + id);
    out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void clientLoop(
      DistributedCache cache, long client, long seed, AtomicBoolean stop, PrintStream out) {
    SplittableRandom rnd = new SplittableRandom(seed * 31 + client);
    String[] keys = {"a", "b", "c"};
    long seq = 0;
    while (!stop.get()) {
      String key = keys[rnd.nextInt(keys.length)];
      boolean write = rnd.nextInt(10) < 6;
      seq++;
      String value = "c" + client + "-" + seq;
      out.println(
          "INV "
              + client
              + " "
              + seq
              + " "
              + (write ? "W" : "R")
              + " "
              + key
              + " "
              + (write ? value : "-")
              + " "
              + System.nanoTime());
      String outcome;
      String result = "-";
      try {
        if (write) {
          cache.put(key, value).get(10, TimeUnit.SECONDS);
        } else {
          String v = cache.consistentGet(key).get(10, TimeUnit.SECONDS);
          result = v == null ? "null" : v;
        }
        outcome = "ok";
      } catch (Exception e) {
        // A failed write may or may not have been applied; a failed read had no effect.
        outcome = write ? "unknown" : "fail";
      }
      out.println(
          "RES " + client + " " + seq + " " + outcome + " " + System.nanoTime() + " " + result);
    }
    // Final linearizable reads: a lost acknowledged write would show here.
    for (String key : keys) {
      seq++;
      out.println("INV " + client + " " + seq + " R " + key + " - " + System.nanoTime());
      String outcome = "fail";
      String result = "-";
      try {
        String v = cache.consistentGet(key).get(10, TimeUnit.SECONDS);
        result = v == null ? "null" : v;
        outcome = "ok";
      } catch (Exception e) {
        // no effect
      }
      out.println(
          "RES " + client + " " + seq + " " + outcome + " " + System.nanoTime() + " " + result);
    }
  }
}
