# Shared by the in-process benchmark scripts (run-routing-benchmark.sh, run-admission-benchmark.sh),
# sourced after they set:
#   BENCH  the benchmark's name: prefix of its messages, its directory under load-tests/target/
#   MAIN   the benchmark's main class (in the node's test classes)
# It gives them the option parsing, the build, a classpath of copied classes and the run.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline; BENCH_JAVA_OPTS adds JVM options. The
# sourcing script has set -euo pipefail.
SCRIPT="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/load-tests/target/$BENCH"
OUT="$WORK/results.md"
MAIN_CLASS="node/target/test-classes/${MAIN//.//}.class"
BUILD=false
ARGS=()
MVN_FLAGS=(${BENCH_MVN_FLAGS:-})
BENCH_PID=""

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$SCRIPT" >&2; exit 2; }
log() { echo "$BENCH: $*" >&2; }
mvn_quiet() { mvn -B -q -Dstyle.color=never "${MVN_FLAGS[@]}" "$@" 2>&1 | sed $'s/\e\\[[0-9;]*m//g'; }

# bench_options "--a|--b" ARG...: the named options take a value and are passed on to the
# benchmark; --out FILE and --build are the script's own; anything else prints the usage.
bench_options() {
  local passed="|$1|"
  shift
  while [[ $# -gt 0 ]]; do
    if [[ "$passed" == *"|$1|"* ]]; then
      ARGS+=("$1" "${2:?$1 needs a value}"); shift 2
      continue
    fi
    case "$1" in
      --out) OUT="${2:?--out needs a value}"; shift 2 ;;
      --build) BUILD=true; shift ;;
      *) usage ;;
    esac
  done
  [[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
  mkdir -p "$WORK" "$(dirname "$OUT")"
}

# bench_build SOURCE_DIR... -- NEEDED_FILE...: `mvn package` (this checkout's reactor; nothing goes
# to ~/.m2) with --build or when a needed file is missing; otherwise `mvn -pl node -am test-compile`
# when MAIN is missing or older than a source.
bench_build() {
  local sources=() needed_missing=false file
  while [[ $# -gt 0 && "$1" != "--" ]]; do sources+=("$1"); shift; done
  shift
  for file in "$@"; do [[ -f "$file" ]] || needed_missing=true; done
  if $BUILD || $needed_missing; then
    log "building (mvn -B -q -DskipTests package)..."
    mvn_quiet -DskipTests package
  elif [[ ! -f "$MAIN_CLASS" ]] || [[ -n "$(find "${sources[@]}" -name '*.java' -newer "$MAIN_CLASS")" ]]; then
    log "compiling the node's test classes (mvn -pl node -am test-compile)..."
    mvn_quiet -pl node -am test-compile
  fi
}

# bench_classpath CLASS_DIR...: sets CP to copies of Tollgate's own classes from this checkout
# (copied first, so that a rebuild during the run cannot change them under the running JVM), then
# everything else of the node's test classpath from Maven.
bench_classpath() {
  # -am and a build phase: the node's dependencies as this checkout's module poms declare them, the
  # modules handed over by the reactor (test-compile recompiles only what changed), none from ~/.m2.
  mvn_quiet -pl node -am test-compile dependency:build-classpath -DincludeScope=test -DexcludeGroupIds=io.tollgate \
    -Dmdep.outputFile="target/$BENCH-deps.classpath"
  rm -rf "$WORK/classes"
  CP=""
  for dir in "$@"; do
    mkdir -p "$WORK/classes/$dir"
    cp -R "$dir/." "$WORK/classes/$dir/"
    CP+="$WORK/classes/$dir:"
  done
  [[ -f "$WORK/classes/$MAIN_CLASS" ]] \
    || { log "missing ${MAIN##*.}.class: is the checkout being rebuilt? Try again with --build"; exit 1; }
  CP+="$(cat "node/target/$BENCH-deps.classpath")"
}

stop_all() {
  trap - INT TERM EXIT
  if [[ -n "$BENCH_PID" ]]; then
    # SIGTERM runs the JVM's shutdown hooks (the admission benchmark's stop its Cassandra)
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
}

# bench_run MESSAGE JVM_OPTION...: runs MAIN in $WORK with the passed options and --out, logging
# to $WORK/run.log, then prints the report; on failure shows the log's tail and exits with its code.
bench_run() {
  local message="$1"
  shift
  trap 'stop_all; exit 130' INT
  trap 'stop_all; exit 143' TERM
  trap stop_all EXIT
  log "$message"
  cd "$WORK"
  # In the background, so that a SIGTERM to this script is handled at once.
  java "$@" ${BENCH_JAVA_OPTS:-} -cp "$CP" "$MAIN" "${ARGS[@]}" --out "$OUT" > "$WORK/run.log" 2>&1 &
  BENCH_PID=$!
  set +e
  wait "$BENCH_PID"
  local rc=$?
  set -e
  BENCH_PID=""
  if (( rc != 0 )); then
    log "the benchmark failed (exit $rc); see $WORK/run.log"
    tail -20 "$WORK/run.log" >&2
    exit "$rc"
  fi
  cat "$OUT"
  log "report written to $OUT (log: $WORK/run.log)"
}
