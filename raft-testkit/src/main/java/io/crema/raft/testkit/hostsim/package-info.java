/**
 * A deterministic simulation of real {@link io.crema.raft.node.RaftHost}s: invoker mode, a virtual
 * clock, a simulated network with delays, loss and partitions, crashes and restarts, membership
 * changes and snapshot installs, with every client operation recorded and the history checked for
 * linearizability.
 */
package io.crema.raft.testkit.hostsim;
