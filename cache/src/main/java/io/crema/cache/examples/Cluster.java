package io.crema.cache.examples;

import io.crema.cache.CacheConfig;
import io.crema.cache.DistributedCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Node N of a 3-node cluster on this machine: run it three times, with 1, 2 and 3, in three
 * terminals. Each node keeps its log in ./data/node-N. Type {@code put k v}, {@code get k} or
 * {@code quit}.
 *
 * <p>{@code java --add-exports=... -cp <classpath> io.crema.cache.examples.Cluster 1}
 */
public final class Cluster {
  private Cluster() {}

  public static void main(String[] args) throws Exception {
    long id = args.length > 0 ? Long.parseLong(args[0]) : 1;
    CacheConfig.Builder b =
        CacheConfig.builder()
            .nodeId(id)
            .raftAddress("127.0.0.1:" + (40100 + id))
            .storage(CacheConfig.StorageType.CHRONICLE)
            .dataDirectory(Path.of("data", "node-" + id))
            .shards(4);
    for (long peer = 1; peer <= 3; peer++) {
      if (peer != id) {
        b.seedNode(peer, "127.0.0.1:" + (40100 + peer));
      }
    }
    try (DistributedCache cache = DistributedCache.create(b.build())) {
      cache.start().join();
      System.out.println("node " + id + " up; commands: put k v | get k | quit");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("quit")) {
        String[] p = line.trim().split("\\s+");
        try {
          if (p.length == 3 && p[0].equals("put")) {
            cache.put(p[1], p[2]).get();
            System.out.println("ok");
          } else if (p.length == 2 && p[0].equals("get")) {
            System.out.println(cache.consistentGet(p[1]).get());
          } else {
            System.out.println("?");
          }
        } catch (Exception e) {
          System.out.println("failed: " + e.getMessage());
        }
      }
    }
  }
}
