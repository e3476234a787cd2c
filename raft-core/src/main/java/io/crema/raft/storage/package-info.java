/** In-memory implementations of the storage SPIs, for embedding without other modules and tests. */
package io.crema.raft.storage;
