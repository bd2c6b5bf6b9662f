#!/usr/bin/env bash
# Runs the projection benchmarks (src/test/java/io/dataplatform/projections/bench/ProjectionBench):
#   projections/bench.sh            # catchup (1 GiB store), views (1,000 views a batch), live (latency)
#   projections/bench.sh keys       # 1,000 views a batch, keys of 1,000,000, file and rocksdb backends
#   projections/bench.sh live       # one of them
# Options as system properties in JAVA_OPTS: -Dbench.storeBytes=..., -Dbench.events=..., -Dbench.appends=...
# Scratch data goes under $BENCH_DIR (default /tmp): put it on the disk you want to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="projections/target/bench.classpath"
mvn -B -q -pl projections -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test
classpath="projections/target/test-classes:projections/target/classes:platform-node/target/classes:views-kv/target/classes:$(cat "$classpath_file")"
exec java ${JAVA_OPTS:-} -Dbench.dir="${BENCH_DIR:-/tmp}" -cp "$classpath" \
  io.dataplatform.projections.bench.ProjectionBench "${1:-all}"
