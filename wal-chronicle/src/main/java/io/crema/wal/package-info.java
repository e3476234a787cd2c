/**
 * A durable, group-committed Raft write-ahead log on Chronicle Queue: one log per node, shared by
 * all of its Raft groups. Entry point: {@link io.crema.wal.ChronicleLogStore#open}.
 */
package io.crema.wal;
