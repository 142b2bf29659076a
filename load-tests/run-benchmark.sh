#!/usr/bin/env bash
# Gateway benchmark: starts the fake provider (zero latency, one chunk), one node (embedded
# Cassandra, demo model demo-openai on that fake) and the peers installed by
# load-tests/install-peers.sh (a plain nginx reverse proxy, the floor, and Portkey's gateway, both
# in front of the same fake), runs io.tollgate.bench.GatewayBenchmark against all of them, writes
# the markdown report and stops everything it started. The benchmark also creates,
# through the node's admin API, a tenant with (never refusing) limits and one without, and compares
# their keys at 1 and 64 connections: what admission and settlement against budgets add.
#
#   load-tests/run-benchmark.sh [--seconds S] [--out FILE.md] [--build] [--no-peers]
#
#   --seconds S   the benchmark's whole budget, warm-ups included (default 60)
#   --out FILE    where the report goes (default load-tests/target/bench/results.md)
#   --build       run `mvn -B -q -DskipTests package` first (done anyway when classes are missing);
#                 otherwise `compile`, which recompiles only what changed. Nothing goes to ~/.m2.
#   --no-peers    measure only the fake provider and the node
#   --gateway-warmup S  first warm the node alone for S s at 16 connections (default 20; not in --seconds)
#
# Pinning (on a machine with 2 or more cores; BENCH_PIN=off to leave it to the scheduler): the
# gateway under test (the node, nginx, Portkey) on core 0, everything else (the fake provider, the
# load generator, the node's Cassandra) on core 1, so each gateway gets one core of its own.
# Everything it writes (logs, classpaths, Cassandra data) stays under load-tests/target/bench/.
# Every run's table shows the CPU time the node and its Cassandra used per request during that run
# (and, as node-jit, the part of the node's that its JIT compiler threads used);
# after the run it appends their whole CPU time per audited gateway call.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline; BENCH_NODE_HEAP sets the node's heap options
# (default: the launcher's, "-Xms256m -Xmx320m"); BENCH_NODE_JAVA_OPTS adds JVM options to the
# node (e.g. -XX:StartFlightRecording=filename=load-tests/target/bench/node.jfr,settings=profile).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$ROOT/load-tests/target/bench"
BUDGET=60
OUT="$WORK/results.md"
BUILD=false
PEERS=true
GATEWAY_WARMUP=20
MVN_FLAGS=(${BENCH_MVN_FLAGS:-})

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) BUDGET="${2:?--seconds needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --build) BUILD=true; shift ;;
    --no-peers) PEERS=false; shift ;;
    --gateway-warmup) GATEWAY_WARMUP="${2:?--gateway-warmup needs a value}"; shift 2 ;;
    *) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2; exit 2 ;;
  esac
done
[[ "$OUT" = /* ]] || OUT="$PWD/$OUT"
mkdir -p "$WORK"

log() { echo "bench: $*" >&2; }
PIN_GATEWAY=""
PIN_REST=""
if [[ "${BENCH_PIN:-on}" != off ]] && command -v taskset >/dev/null 2>&1 && (( $(nproc) >= 2 )); then
  PIN_GATEWAY="taskset -c 0"
  PIN_REST="taskset -c 1"
fi
# shellcheck source=bench-peers.sh
source "$ROOT/load-tests/bench-peers.sh"
# Maven, quiet, without the colour reset codes some Maven packagings print even in batch mode.
mvn_quiet() { mvn -B -q -Dstyle.color=never "${MVN_FLAGS[@]}" "$@" 2>&1 | sed $'s/\e\\[[0-9;]*m//g'; }

# --- build and classpaths ---------------------------------------------------------------------
MODULES=(protocol persistence cluster-config node load-tests)
PHASE=compile
if $BUILD || [[ ! -f node/target/classes/io/tollgate/node/Main.class ]] \
    || [[ ! -f load-tests/target/classes/io/tollgate/bench/GatewayBenchmark.class ]]; then
  PHASE=package
fi
# Tollgate's own modules come from this checkout's target/classes, everything else from Maven. The
# build phase in the same invocation makes the reactor hand the modules to each other (their poms
# as this checkout declares them), so nothing is installed into or read from ~/.m2 for them.
log "building (mvn -B -q -DskipTests $PHASE, this checkout's reactor)..."
mvn_quiet -pl node,load-tests -am -DskipTests "$PHASE" dependency:build-classpath -DincludeScope=runtime \
  -DexcludeGroupIds=io.tollgate -Dmdep.outputFile=target/bench-deps.classpath
# The classes are copied first, so that a rebuild of the checkout during the run cannot pull them
# from under the running JVMs.
rm -rf "$WORK/classes"
for m in "${MODULES[@]}"; do
  mkdir -p "$WORK/classes/$m"
  cp -R "$m/target/classes/." "$WORK/classes/$m/"
done
for c in node/io/tollgate/node/Main.class load-tests/io/tollgate/bench/GatewayBenchmark.class; do
  [[ -f "$WORK/classes/$c" ]] || { log "missing $c: is the checkout being rebuilt? Try again with --build"; exit 1; }
done
own_classes() {
  local cp="" m
  for m in "$@"; do cp+="$WORK/classes/$m:"; done
  echo "$cp"
}
NODE_CP="$(own_classes node persistence protocol cluster-config)$(cat node/target/bench-deps.classpath)"
BENCH_CP="$(own_classes load-tests protocol)$(cat load-tests/target/bench-deps.classpath)"

# --- process bookkeeping ----------------------------------------------------------------------
FAKE_PID=""
NODE_PID=""
BENCH_PID=""
CASSANDRA_DATA="$WORK/cassandra"

# The node stops its own Cassandra; when the node died hard, its watchdog would get there within
# seconds, but we do not leave before it is gone.
stop_stray_cassandra() {
  local pidfile="$CASSANDRA_DATA/cassandra.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if grep -q CassandraDaemon "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping the node's Cassandra (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
      grep -q CassandraDaemon "/proc/$pid/cmdline" 2>/dev/null || break
      sleep 0.1
    done
    grep -q CassandraDaemon "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop_all() {
  trap - INT TERM EXIT
  local pid
  # the load first, then the gateways (the node drains), then the fake provider
  if [[ -n "$BENCH_PID" ]]; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  stop_peers
  for pid in "$NODE_PID" "$FAKE_PID"; do
    [[ -n "$pid" ]] || continue
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_stray_cassandra
  # the node's Cassandra watchdog (a small sh loop) ends within 2 s of the node
  if [[ -n "$NODE_PID" ]]; then
    for _ in $(seq 1 50); do
      pgrep -f "tollgate-cassandra-watchdog $NODE_PID " >/dev/null 2>&1 || break
      sleep 0.1
    done
  fi
  log "stopped everything it started"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# Waits up to $3 seconds for a line starting with $2 in file $1 while process $4 lives; prints the rest.
await_line() {
  local file="$1" prefix="$2" timeout="$3" pid="$4" line=""
  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    line="$(grep -m1 "^$prefix" "$file" 2>/dev/null || true)"
    if [[ -n "$line" ]]; then
      echo "${line#"$prefix"}"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# Every run starts on an empty Cassandra (journal, key registry, audit table).
stop_stray_cassandra
rm -rf "$CASSANDRA_DATA"

# --- fake provider ----------------------------------------------------------------------------
FAKE_OUT="$WORK/fake-provider.out"
NODE_OUT="$WORK/node.out"
# Emptied here, not by the redirections below: those happen in the background job, after the
# waits below may already have read a previous run's lines.
: > "$FAKE_OUT"
: > "$NODE_OUT"
$PIN_REST java -Xms256m -Xmx256m -cp "$BENCH_CP" io.tollgate.fake.FakeProviderMain \
  --port 0 --latency-ms 0 --ttft-ms 0 --chunks 1 --chunk-delay-ms 0 > "$FAKE_OUT" 2>&1 &
FAKE_PID=$!
FAKE_URL="$(await_line "$FAKE_OUT" 'FAKE_PROVIDER_URL=' 60 "$FAKE_PID")" \
  || { log "the fake provider did not start; see $FAKE_OUT"; exit 1; }
log "fake provider at $FAKE_URL (pid $FAKE_PID)"

# --- node ---------------------------------------------------------------------------------------
random_hex() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
GATEWAY_KEY="tg_bench_key_$(random_hex)"
ADMIN_TOKEN="bench-admin-$(random_hex)"
log "starting the node and its Cassandra (data in $CASSANDRA_DATA)..."
TOLLGATE_FAKE_PROVIDER_URL="$FAKE_URL" TOLLGATE_DEMO=true TOLLGATE_DEMO_KEY="$GATEWAY_KEY" \
  TOLLGATE_ADMIN_TOKEN="$ADMIN_TOKEN" \
  TOLLGATE_HTTP_PORT=0 TOLLGATE_CLUSTER_PORT=0 TOLLGATE_METRICS_PORT=0 TOLLGATE_CASSANDRA_DATA="$CASSANDRA_DATA" \
  $PIN_GATEWAY java ${BENCH_NODE_HEAP:--Xms256m -Xmx320m} ${BENCH_NODE_JAVA_OPTS:-} -cp "$NODE_CP" io.tollgate.node.Main > "$NODE_OUT" 2>&1 &
NODE_PID=$!
GATEWAY_URL="$(await_line "$NODE_OUT" 'TOLLGATE_READY url=' 300 "$NODE_PID")" \
  || { log "the node did not become ready; see $NODE_OUT"; exit 1; }
log "gateway at $GATEWAY_URL (pid $NODE_PID)"
CASSANDRA_PID="$(cat "$CASSANDRA_DATA/cassandra.pid" 2>/dev/null || echo 0)"
# The node's Cassandra inherited the node's core: it moves, all its threads, to the other one.
if [[ -n "$PIN_REST" && "$CASSANDRA_PID" != 0 ]]; then
  taskset -a -p -c 1 "$CASSANDRA_PID" > /dev/null || log "could not move Cassandra to core 1"
fi
if $PEERS; then
  start_nginx
  start_portkey
fi
log "pinning: ${PIN_GATEWAY:-none} for the gateways, ${PIN_REST:-none} for the rest"

# --- CPU accounting -----------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
# CPU time (user + system) of a process in ms, 0 when it is gone.
cpu_ms() {
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  rest="${stat##*) }"
  # after the name: state is field 3; utime and stime are fields 14 and 15 of the whole line
  read -r -a f <<< "$rest"
  echo $(( (f[11] + f[12]) * 1000 / CLK_TCK ))
}
NODE_CPU0="$(cpu_ms "$NODE_PID")"; CASS_CPU0="$(cpu_ms "$CASSANDRA_PID")"; FAKE_CPU0="$(cpu_ms "$FAKE_PID")"
AUDIT_DAY="$(date -u +%F)"

# --- benchmark ----------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
log "running the benchmark for ${BUDGET} s..."
# In the background, so that a SIGTERM to this script is handled at once (bash runs traps only
# between foreground commands).
# shellcheck disable=SC2046 # peer_args: one option or value per word
$PIN_REST java -Xms256m -Xmx512m -cp "$BENCH_CP" io.tollgate.bench.GatewayBenchmark \
  --direct "$FAKE_URL" --gateway "$GATEWAY_URL" $(peer_args) \
  --direct-key fake-provider-key --gateway-key "$GATEWAY_KEY" --admin-token "$ADMIN_TOKEN" \
  --cpu "node=$NODE_PID,node-jit=$NODE_PID,cassandra=$CASSANDRA_PID$(peer_cpu)" --clk-tck "$CLK_TCK" \
  --gateway-warmup "$GATEWAY_WARMUP" --seconds "$BUDGET" --out "$OUT" &
BENCH_PID=$!
wait "$BENCH_PID"
BENCH_PID=""

NODE_CPU=$(( $(cpu_ms "$NODE_PID") - NODE_CPU0 ))
CASS_CPU=$(( $(cpu_ms "$CASSANDRA_PID") - CASS_CPU0 ))
FAKE_CPU=$(( $(cpu_ms "$FAKE_PID") - FAKE_CPU0 ))
# Every gateway call (warm-ups included) writes one audit record: their count is the node's load.
sleep 2 # the last audit writes are asynchronous
CALLS=0
# the demo tenant (gateway vs direct) and the two tenants of the budget comparison
for tenant in demo bench-limits bench-no-limits; do
  for day in $(printf '%s\n' "$AUDIT_DAY" "$(date -u +%F)" | sort -u); do
    # the usage rollup's last "requests" is its total
    curl -sf -m 120 -o "$WORK/usage.json" -H "Authorization: Bearer $ADMIN_TOKEN" \
      "$GATEWAY_URL/admin/tenants/$tenant/usage?day=$day" || : > "$WORK/usage.json"
    n="$({ grep -o '"requests":[0-9]*' "$WORK/usage.json" || true; } | tail -1 | cut -d: -f2)"
    CALLS=$((CALLS + ${n:-0}))
  done
done
{
  echo
  echo "CPU used while the benchmark ran (warm-ups included; user + system; the load generator not counted):"
  echo
  echo "| process | CPU s | CPU ms per audited gateway call |"
  echo "|---|---:|---:|"
  per_call() { if (( CALLS > 0 )); then awk -v c="$1" -v n="$CALLS" 'BEGIN { printf "%.3f", c / n }'; else printf "n/a"; fi; }
  awk -v c="$NODE_CPU" 'BEGIN { printf "| node | %.1f | ", c / 1000 }'; per_call "$NODE_CPU"; echo " |"
  awk -v c="$CASS_CPU" 'BEGIN { printf "| Cassandra | %.1f | ", c / 1000 }'; per_call "$CASS_CPU"; echo " |"
  awk -v c="$FAKE_CPU" 'BEGIN { printf "| fake provider (direct and gateway calls) | %.1f | - |\n", c / 1000 }'
  echo
  echo "Audit records written for the gateway's calls: $CALLS."
} | tee -a "$OUT"
# The budget comparison's ledger against its audit records (settled spend = audited cost).
if curl -sf -m 120 -o "$WORK/reconcile.json" -H "Authorization: Bearer $ADMIN_TOKEN" \
    "$GATEWAY_URL/admin/tenants/bench-limits/reconcile?period=daily"; then
  field() { { grep -o "\"$1\":[^,}]*" "$WORK/reconcile.json" || true; } | head -1 | cut -d: -f2; }
  {
    echo
    echo "Ledger of \`bench-limits\` against its audit records (\`/admin/tenants/bench-limits/reconcile?period=daily\`):" \
      "ledger $(field ledger_micros) µ\$, audit $(field audit_micros) µ\$ in $(field audit_records) records," \
      "difference $(field difference_micros), held by leases $(field held_micros), consistent: $(field consistent)."
  } | tee -a "$OUT"
fi
log "report written to $OUT (node log: $NODE_OUT)"
