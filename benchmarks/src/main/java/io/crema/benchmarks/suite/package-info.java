/**
 * The benchmark suite: {@link io.crema.benchmarks.suite.Suite} runs every benchmark of a profile
 * through JMH's API and writes the JSON results and a Markdown report ({@link
 * io.crema.benchmarks.suite.SuiteReport}), including the limit model of {@link
 * io.crema.benchmarks.suite.WriteLimit}. Run {@code benchmarks/run-suite.sh quick} from the
 * repository root.
 */
package io.crema.benchmarks.suite;
