#!/usr/bin/env bash
# Paddock benchmark: builds node.jar and the benchmark classes, then runs dev.paddock.bench.Bench.
#
#   bench/run.sh [--no-build] [bench options] scenario...
#   scenarios: typed-standalone typed-ensemble wire-standalone wire-ensemble latency cas memory
#              transport (one message between two JVMs: Artery against plain TCP; not in all)
#              tree (applying txns to one tree in the benchmark's JVM, Paddock only; not in all)
#              all (every one of them)
#   bench options: --seconds=10 --warmup=5 --clients=4 --outstanding=200 --size=100
#                  --failovers=3 --quiet-wait=0 --heap=1g --products=paddock,zookeeper
#                  --typed-api=ask|facade --ops=create,setData,getData
#                  --node-arg=-Dkey=value (repeatable, Paddock nodes only) --jfr=DIR --keep
#                  --tls (wire scenarios: Paddock alone, over its TLS client port)
#                  --znodes=500000 (memory) --cas-seconds=30 --paused-seconds=65 (cas)
#
# TRANSPORT_OPTS="-XX:+UseParallelGC ..." adds JVM options to both JVMs of the transport scenario.
# Tables go to stdout, progress to stderr: bench/run.sh all > results.txt
# Extra Maven flags (e.g. offline): BENCH_MVN_FLAGS=-o bench/run.sh all
# See docs/benchmarks.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MVN=(mvn -q ${BENCH_MVN_FLAGS:-})
CP_FILE=target/bench.classpath
BENCH_CLASSES=target/test-classes

build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; else args+=("$a"); fi
done
if [[ ${#args[@]} -eq 0 ]]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

if [[ $build -eq 1 ]]; then
  echo "[bench] building: mvn -q -DskipTests package test-compile" >&2
  if ! "${MVN[@]}" -DskipTests package test-compile >&2; then
    # Other work in progress may keep some test sources from compiling. The benchmark needs
    # only the main code (node.jar) and its own sources, so build just those.
    echo "[bench] the full test build failed; building node.jar and only the benchmark sources" >&2
    "${MVN[@]}" -Dmaven.test.skip=true package >&2 || {
      echo "[bench] the main code does not compile; cannot build target/node.jar" >&2
      exit 1
    }
    BENCH_CLASSES=target/bench-classes
  fi
  echo "[bench] resolving the test classpath" >&2
  "${MVN[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2
  if [[ "$BENCH_CLASSES" == target/bench-classes ]]; then
    rm -rf target/bench-classes && mkdir -p target/bench-classes
    javac -nowarn -d target/bench-classes -cp "target/classes:$(cat "$CP_FILE")" \
      src/test/java/dev/paddock/bench/*.java
  fi
else
  # The newer of a full test build and a benchmark-only build (see above).
  if [[ -e target/bench-classes/dev/paddock/bench/Bench.class && ( \
      ! -e target/test-classes/dev/paddock/bench/Bench.class || \
      target/bench-classes/dev/paddock/bench/Bench.class -nt \
      target/test-classes/dev/paddock/bench/Bench.class ) ]]; then
    BENCH_CLASSES=target/bench-classes
  fi
fi

for f in target/node.jar "$CP_FILE" "$BENCH_CLASSES/dev/paddock/bench/Bench.class"; do
  [[ -e "$f" ]] || { echo "[bench] $f is missing (run without --no-build)" >&2; exit 1; }
done

# Run from a private copy of node.jar and the classes: other builds in this working tree may
# rewrite target/ while the benchmark runs (and restarts servers from node.jar).
SNAP=$(mktemp -d "${TMPDIR:-/tmp}/paddock-bench-build-XXXXXX")
trap 'rm -rf "$SNAP"' EXIT
cp target/node.jar "$SNAP/node.jar"
cp -r target/classes "$SNAP/classes"
mkdir -p "$SNAP/bench-classes/dev/paddock"
cp -r "$BENCH_CLASSES/dev/paddock/bench" "$SNAP/bench-classes/dev/paddock/"
cp "$CP_FILE" "$SNAP/bench.classpath"

java -Xms512m -Xmx1g \
  -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -Dbench.nodeJar="$SNAP/node.jar" \
  -cp "$SNAP/bench-classes:$SNAP/classes:$(cat "$SNAP/bench.classpath")" \
  dev.paddock.bench.Bench "${args[@]}" &
BENCH_PID=$!
# Ctrl-C or kill: the benchmark's shutdown hook stops its servers and deletes its directories.
trap 'kill -TERM "$BENCH_PID" 2>/dev/null' INT TERM
while true; do
  status=0
  wait "$BENCH_PID" || status=$?
  kill -0 "$BENCH_PID" 2>/dev/null || break
done
exit $status
