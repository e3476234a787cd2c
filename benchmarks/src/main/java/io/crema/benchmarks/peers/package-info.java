/**
 * Peer baselines: other Raft systems (Apache Ratis, MicroRaft) measured with the same JMH harness
 * as the cache benchmarks, on the same machine. See each class for its exact configuration.
 */
package io.crema.benchmarks.peers;
