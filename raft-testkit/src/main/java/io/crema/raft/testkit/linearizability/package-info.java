/**
 * A linearizability checker for key-value registers with compare-and-set, in the style of Wing–Gong
 * with Lowe's memoization (as in Knossos and Porcupine).
 *
 * <p>Record a history with {@link io.crema.raft.testkit.linearizability.History#recorder} (or build
 * {@link io.crema.raft.testkit.linearizability.Operation}s by hand) and pass it to {@link
 * io.crema.raft.testkit.linearizability.LinearizabilityChecker#check}. Keys are checked
 * independently (each key is its own register, so a history is linearizable iff every key's
 * sub-history is). Keys and values are {@code String}s; a {@code null} value means "absent".
 */
package io.crema.raft.testkit.linearizability;
