/** An in-memory {@link io.crema.raft.Transport} with fault injection, for tests and one-JVM use. */
package io.crema.raft.transport;
