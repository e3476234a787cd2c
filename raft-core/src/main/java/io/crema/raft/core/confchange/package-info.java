/**
 * Configuration changes: simple (one voter at a time) and joint consensus. A change returns a new
 * configuration and progress map; it never mutates the old ones.
 */
package io.crema.raft.core.confchange;
