package io.crema.benchmarks;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;

/** Several hosts' event loops composed on one thread, as one CPU-bound node would run them. */
public final class SharedLoop {
  private SharedLoop() {}

  /** Starts the agents on one thread with a backoff idle strategy (parks up to 100 µs). */
  public static AgentRunner start(Agent... agents) {
    AgentRunner runner =
        new AgentRunner(
            new BackoffIdleStrategy(10, 20, 1_000, 100_000),
            Throwable::printStackTrace,
            null,
            new CompositeAgent(agents));
    AgentRunner.startOnThread(runner);
    return runner;
  }
}
