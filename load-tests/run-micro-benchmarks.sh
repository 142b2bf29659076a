#!/usr/bin/env bash
# JMH micro-benchmarks of the per-request pieces (load-tests/micro): parse and decode a chat
# request, translate OpenAI to Anthropic (and OpenAI to OpenAI) and back, encode the answer, the
# admission arithmetic, the prompt's token count, the call's metrics and its access-log line.
# Not part of the test suite; a regression in one piece shows here without a full load run.
#
#   load-tests/run-micro-benchmarks.sh [JMH OPTIONS...]
#
# e.g. `load-tests/run-micro-benchmarks.sh ChatPath -f 1 -wi 2 -i 3` (a regex picks benchmarks;
# `-h` lists JMH's options). Builds the modules it needs from this checkout (Maven profile
# micro-benchmarks; JMH comes from Maven Central) and writes nothing outside load-tests/micro/target.
# Environment: BENCH_MVN_FLAGS=-o runs Maven offline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MVN_FLAGS=(${BENCH_MVN_FLAGS:-})
CP_FILE="$ROOT/load-tests/micro/target/micro.classpath"
# package (not install): the reactor hands the module this checkout's node, protocol and persistence
mvn -B -q -Dstyle.color=never "${MVN_FLAGS[@]}" -Pmicro-benchmarks -pl load-tests/micro -am -DskipTests \
  package dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
exec java -cp "$ROOT/load-tests/micro/target/classes:$(cat "$CP_FILE")" org.openjdk.jmh.Main "$@"
