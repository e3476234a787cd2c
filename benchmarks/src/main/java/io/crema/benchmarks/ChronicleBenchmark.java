package io.crema.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * Base of the benchmarks whose forks run Chronicle Queue (and Aeron): the JVM flags they need on
 * Java 17 in one place ({@link Fork} is inherited). Keep in step with the root pom's {@code
 * crema.jvm.flags}, which gives the same flags to tests and {@code exec:exec}.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {
      BenchSupport.GC,
      "-Xms2g",
      "-Xmx2g",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "-Dchronicle.analytics.disable=true",
      "-Dchronicle.announcer.disable=true",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public abstract class ChronicleBenchmark {}
