#!/usr/bin/env bash
# Builds Crema and the benchmarks jar, then runs the benchmark suite.
#
#   benchmarks/run-suite.sh [quick|full] [extra args]
#
# quick (the default): every benchmark, short, well under 15 minutes on 2 cores; full: 2 forks and
# longer iterations, for publishing. Extra args go to the suite, e.g. --include 'cache\.' to run a
# subset, --dry-run to print the plan and its estimated time, --from-json FILE to only rewrite the
# Markdown report of an earlier run. Results: benchmarks/results/<profile>-<yyyyMMdd-HHmmss>.json
# and .md. Run it from anywhere; it works from the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile=quick
if [[ $# -gt 0 && "$1" != -* ]]; then
  profile="$1"
  shift
fi

mvn -B -q -DskipTests install
mvn -B -q -pl benchmarks package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar io.crema.benchmarks.suite.Suite "$profile" "$@"
