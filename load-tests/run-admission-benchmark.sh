#!/usr/bin/env bash
# In-process admission benchmark: times the node's LeaseBook.admit + settle (no HTTP) for a key of a
# tenant with limits against a key of a tenant without, at 1 and 64 concurrent callers, on a
# single-node cluster with the real TenantBudget entity on Cassandra
# (io.tollgate.node.budget.bench.AdmissionBenchmark, a main in the node's test classes). Writes a
# markdown report and stops everything it started (the JVM stops its embedded Cassandra on exit).
#
#   load-tests/run-admission-benchmark.sh [--iterations N] [--warmup N] [--callers 1,64] [--out FILE.md] [--build]
#
#   --iterations N  calls measured per tenant and callers count (default 400000)
#   --warmup N      warm-up calls per tenant and callers count (default 200000)
#   --callers L     comma-separated numbers of concurrent callers (default 1,64)
#   --out FILE      where the report goes (default load-tests/target/admission-bench/results.md)
#   --build         run `mvn -B -q -DskipTests package` first (otherwise only `-pl node -am test-compile`
#                   when the benchmark's classes are missing or older than its sources)
#
# Everything it writes (classpath, class copies, Cassandra data, log) stays under
# load-tests/target/admission-bench/. Environment: BENCH_MVN_FLAGS=-o runs Maven offline;
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=/tmp/admission.jfr);
# TOLLGATE_CASSANDRA=host:port uses a running Cassandra instead of starting one.
set -euo pipefail
BENCH=admission-bench
MAIN=io.tollgate.node.budget.bench.AdmissionBenchmark
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

bench_options "--iterations|--warmup|--callers" "$@"
bench_build node/src/test/java/io/tollgate/node/budget/bench -- \
  node/target/classes/io/tollgate/node/budget/LeaseBook.class \
  persistence/target/test-classes/io/tollgate/persistence/testing/TestCassandra.class
bench_classpath node/target/test-classes node/target/classes persistence/target/test-classes \
  persistence/target/classes cluster-config/target/classes protocol/target/classes
bench_run "running (Cassandra data and log under $WORK)..." -Xms512m -Xmx1g
