#!/usr/bin/env bash
# In-process routing benchmark: times the node's Router.route (one routing decision, no HTTP, no
# cluster) per strategy for a one-deployment group and a six-deployment group over two regions,
# each against a baseline measured in the same run (the catalogue's map lookup and a copy of the
# deployment list), so the result reads as a ratio
# (io.tollgate.node.routing.bench.RoutingBenchmark, a main in the node's test classes). Writes a
# markdown report. Needs no Cassandra; takes a few seconds with the defaults.
#
#   load-tests/run-routing-benchmark.sh [--rounds N] [--ops N] [--warmup-rounds N] [--out FILE.md] [--build]
#
#   --rounds N         measured rounds per case; the report gives the median round (default 15)
#   --ops N            calls per round (default 200000)
#   --warmup-rounds N  warm-up rounds of every case before measuring (default 5)
#   --out FILE         where the report goes (default load-tests/target/routing-bench/results.md)
#   --build            run `mvn -B -q -DskipTests package` first (otherwise only `-pl node -am test-compile`
#                      when the benchmark's or the router's classes are missing or older than their sources)
#
# Everything it writes (classpath, class copies, log) stays under load-tests/target/routing-bench/.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline; BENCH_JAVA_OPTS adds JVM options.
set -euo pipefail
BENCH=routing-bench
MAIN=io.tollgate.node.routing.bench.RoutingBenchmark
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

bench_options "--rounds|--ops|--warmup-rounds" "$@"
bench_build node/src/test/java/io/tollgate/node/routing/bench node/src/main/java/io/tollgate/node/routing -- \
  protocol/target/classes/io/tollgate/protocol/Json.class \
  persistence/target/classes/io/tollgate/persistence/circuit/CircuitPhase.class
bench_classpath node/target/test-classes node/target/classes persistence/target/classes protocol/target/classes
bench_run "running (log: $WORK/run.log)..." -Xms256m -Xmx256m
