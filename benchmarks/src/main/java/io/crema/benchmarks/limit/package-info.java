/**
 * Raw rates of components that the suite's limit row needs and no other benchmark measures (see
 * {@link io.crema.benchmarks.suite.WriteLimit}).
 */
package io.crema.benchmarks.limit;
