/**
 * JMH benchmarks of the Chronicle write-ahead log (wal-chronicle). See each class for how to run.
 */
package io.crema.benchmarks.wal;
