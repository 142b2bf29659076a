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
#   --build         run `mvn -B -q -DskipTests install` first (otherwise only `-pl node test-compile`
#                   when the benchmark's classes are missing or older than its sources)
#
# Everything it writes (classpath, class copies, Cassandra data, log) stays under
# load-tests/target/admission-bench/. Environment: BENCH_MVN_FLAGS=-o runs Maven offline;
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=/tmp/admission.jfr);
# TOLLGATE_CASSANDRA=host:port uses a running Cassandra instead of starting one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/load-tests/target/admission-bench"
OUT="$WORK/results.md"
BUILD=false
ARGS=()
MVN_FLAGS=(${BENCH_MVN_FLAGS:-})

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --iterations|--warmup|--callers) ARGS+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --build) BUILD=true; shift ;;
    *) usage ;;
  esac
done
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
mkdir -p "$WORK" "$(dirname "$OUT")"

log() { echo "admission-bench: $*" >&2; }
mvn_quiet() { mvn -B -q -Dstyle.color=never "${MVN_FLAGS[@]}" "$@" 2>&1 | sed $'s/\e\\[[0-9;]*m//g'; }

# --- build and classpath ------------------------------------------------------------------------
SRC=node/src/test/java/io/tollgate/node/budget/bench
CLS=node/target/test-classes/io/tollgate/node/budget/bench
if $BUILD || [[ ! -f node/target/classes/io/tollgate/node/budget/LeaseBook.class ]] \
    || [[ ! -f persistence/target/test-classes/io/tollgate/persistence/testing/TestCassandra.class ]]; then
  log "building (mvn -B -q -DskipTests install)..."
  mvn_quiet -DskipTests install
elif [[ ! -f "$CLS/AdmissionBenchmark.class" ]] || [[ -n "$(find "$SRC" -name '*.java' -newer "$CLS/AdmissionBenchmark.class")" ]]; then
  log "compiling the node's test classes (mvn -pl node test-compile)..."
  mvn_quiet -pl node test-compile
fi
# Everything but Tollgate's own modules from Maven (test scope: the test kit, Awaitility, ...).
mvn_quiet -pl node dependency:build-classpath -DincludeScope=test -DexcludeGroupIds=io.tollgate \
  -Dmdep.outputFile=target/admission-bench-deps.classpath
# Tollgate's own classes from this checkout, copied first, so that a rebuild during the run
# cannot change them under the running JVM.
rm -rf "$WORK/classes"
CP=""
for dir in node/target/test-classes node/target/classes persistence/target/test-classes persistence/target/classes \
    cluster-config/target/classes protocol/target/classes; do
  mkdir -p "$WORK/classes/$dir"
  cp -R "$dir/." "$WORK/classes/$dir/"
  CP+="$WORK/classes/$dir:"
done
[[ -f "$WORK/classes/$CLS/AdmissionBenchmark.class" ]] \
  || { log "missing AdmissionBenchmark.class: is the checkout being rebuilt? Try again with --build"; exit 1; }
CP+="$(cat node/target/admission-bench-deps.classpath)"

# --- run ------------------------------------------------------------------------------------------
BENCH_PID=""
stop_all() {
  trap - INT TERM EXIT
  if [[ -n "$BENCH_PID" ]]; then
    # SIGTERM runs the JVM's shutdown hooks: they stop its Cassandra (a watchdog does it otherwise)
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

log "running (Cassandra data and log under $WORK)..."
cd "$WORK"
# In the background, so that a SIGTERM to this script is handled at once.
java -Xms512m -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" io.tollgate.node.budget.bench.AdmissionBenchmark \
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
