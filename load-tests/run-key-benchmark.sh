#!/usr/bin/env bash
# In-process key directory benchmark: the cost of authenticating a warm key with 1,000 and with
# 1,000,000 keys in the node's key cache (io.tollgate.node.auth.bench.KeyLookupBenchmark, a main
# in the node's test classes), against the lookup of the whole-registry map it replaced. Needs no
# Cassandra; fills the cache from memory. Takes about a minute; needs a 3 GB heap for a million keys.
#
#   load-tests/run-key-benchmark.sh [--rounds N] [--ops N] [--sizes 1000,1000000] [--out FILE.md] [--build]
#
#   --rounds N   measured rounds per case; the report gives the median round (default 11)
#   --ops N      lookups per round (default 1000000)
#   --sizes L    directory sizes, comma-separated (default 1000,1000000)
#   --out FILE   where the report goes (default load-tests/target/key-bench/results.md)
#   --build      run `mvn -B -q -DskipTests package` first (otherwise only `-pl node -am test-compile`
#                when the benchmark's classes are missing or older than their sources)
#
# Everything it writes (classpath, class copies, log) stays under load-tests/target/key-bench/.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline; BENCH_JAVA_OPTS adds JVM options.
set -euo pipefail
BENCH=key-bench
MAIN=io.tollgate.node.auth.bench.KeyLookupBenchmark
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

bench_options "--rounds|--ops|--sizes" "$@"
bench_build node/src/test/java/io/tollgate/node/auth/bench node/src/main/java/io/tollgate/node/auth \
  persistence/src/main/java/io/tollgate/persistence/registry -- \
  persistence/target/test-classes/io/tollgate/persistence/registry/InMemoryKeyDirectory.class
bench_classpath node/target/test-classes node/target/classes persistence/target/test-classes \
  persistence/target/classes protocol/target/classes
bench_run "running (log: $WORK/run.log)..." -Xms3g -Xmx3g
