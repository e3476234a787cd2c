/**
 * A deterministic simulator of Raft groups on virtual time: a seeded network that drops,
 * duplicates, delays, reorders and partitions; crashes that lose unsynced writes; membership
 * changes, leadership transfers, compaction and snapshot installs; and invariant checks after every
 * step. A run is a pure function of its seed.
 */
package io.crema.raft.testkit.sim;
