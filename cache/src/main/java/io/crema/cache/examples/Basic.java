package io.crema.cache.examples;

import io.crema.cache.CacheConfig;
import io.crema.cache.DistributedCache;
import java.time.Duration;

/** One node with the embedded defaults: in-memory log, one shard, an embedded Aeron driver. */
public final class Basic {
  private Basic() {}

  public static void main(String[] args) throws Exception {
    try (DistributedCache cache = DistributedCache.create(CacheConfig.builder().build())) {
      cache.start().join();
      cache.put("greeting", "hello").get();
      cache.put("session", "abc", Duration.ofMinutes(5)).get();
      System.out.println("greeting = " + cache.consistentGet("greeting").get());
      System.out.println("visits   = " + cache.increment("visits", 1).get());
      System.out.println("cas      = " + cache.compareAndSet("greeting", "hello", "hi").get());
      System.out.println("local    = " + cache.get("greeting"));
    }
  }
}
