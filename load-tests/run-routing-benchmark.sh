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
#   --build            run `mvn -B -q -DskipTests install` first (otherwise only `-pl node test-compile`
#                      when the benchmark's or the router's classes are missing or older than their sources)
#
# Everything it writes (classpath, class copies, log) stays under load-tests/target/routing-bench/.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline; BENCH_JAVA_OPTS adds JVM options.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/load-tests/target/routing-bench"
OUT="$WORK/results.md"
BUILD=false
ARGS=()
MVN_FLAGS=(${BENCH_MVN_FLAGS:-})

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds|--ops|--warmup-rounds) ARGS+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --build) BUILD=true; shift ;;
    *) usage ;;
  esac
done
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
mkdir -p "$WORK" "$(dirname "$OUT")"

log() { echo "routing-bench: $*" >&2; }
mvn_quiet() { mvn -B -q -Dstyle.color=never "${MVN_FLAGS[@]}" "$@" 2>&1 | sed $'s/\e\\[[0-9;]*m//g'; }

# --- build and classpath ------------------------------------------------------------------------
SRC=(node/src/test/java/io/tollgate/node/routing/bench node/src/main/java/io/tollgate/node/routing)
CLS=node/target/test-classes/io/tollgate/node/routing/bench
if $BUILD || [[ ! -f protocol/target/classes/io/tollgate/protocol/Json.class ]] \
    || [[ ! -f persistence/target/classes/io/tollgate/persistence/circuit/CircuitPhase.class ]]; then
  log "building (mvn -B -q -DskipTests install)..."
  mvn_quiet -DskipTests install
elif [[ ! -f "$CLS/RoutingBenchmark.class" ]] || [[ -n "$(find "${SRC[@]}" -name '*.java' -newer "$CLS/RoutingBenchmark.class")" ]]; then
  log "compiling the node's test classes (mvn -pl node test-compile)..."
  mvn_quiet -pl node test-compile
fi
# Everything but Tollgate's own modules from Maven.
mvn_quiet -pl node dependency:build-classpath -DincludeScope=test -DexcludeGroupIds=io.tollgate \
  -Dmdep.outputFile=target/routing-bench-deps.classpath
# Tollgate's own classes from this checkout, copied first, so that a rebuild during the run
# cannot change them under the running JVM.
rm -rf "$WORK/classes"
CP=""
for dir in node/target/test-classes node/target/classes persistence/target/classes protocol/target/classes; do
  mkdir -p "$WORK/classes/$dir"
  cp -R "$dir/." "$WORK/classes/$dir/"
  CP+="$WORK/classes/$dir:"
done
[[ -f "$WORK/classes/$CLS/RoutingBenchmark.class" ]] \
  || { log "missing RoutingBenchmark.class: is the checkout being rebuilt? Try again with --build"; exit 1; }
CP+="$(cat node/target/routing-bench-deps.classpath)"

# --- run ------------------------------------------------------------------------------------------
BENCH_PID=""
stop_all() {
  trap - INT TERM EXIT
  if [[ -n "$BENCH_PID" ]]; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

log "running (log: $WORK/run.log)..."
cd "$WORK"
# In the background, so that a SIGTERM to this script is handled at once.
java -Xms256m -Xmx256m ${BENCH_JAVA_OPTS:-} -cp "$CP" io.tollgate.node.routing.bench.RoutingBenchmark \
  "${ARGS[@]}" --out "$OUT" > "$WORK/run.log" 2>&1 &
BENCH_PID=$!
set +e
wait "$BENCH_PID"
RC=$?
set -e
BENCH_PID=""
if (( RC != 0 )); then
  log "the benchmark failed (exit $RC); see $WORK/run.log"
  tail -20 "$WORK/run.log" >&2
  exit "$RC"
fi
cat "$OUT"
log "report written to $OUT (log: $WORK/run.log)"
