/**
 * Quorum maths: majority and joint configurations, committed index and vote outcomes. Depends on
 * nothing else in the algorithm.
 */
package io.crema.raft.core.quorum;
