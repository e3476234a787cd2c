/** Per-peer replication progress, in-flight windows and the tracker of a group's configuration. */
package io.crema.raft.core.tracker;
