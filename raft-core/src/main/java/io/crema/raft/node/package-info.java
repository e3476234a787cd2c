/**
 * The host: runs one or many Raft groups of a node on one event loop (an Agrona {@code Agent}),
 * batching every group's writes into one log sync, and exposes proposals, linearizable reads,
 * membership changes, leadership transfer and snapshots to the embedding application.
 */
package io.crema.raft.node;
