/** Public types and SPIs of Crema's Raft: messages, log entries, states and storage seams. */
package io.crema.raft;
