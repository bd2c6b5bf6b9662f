#!/usr/bin/env bash
# Runs the views-kv JMH benchmarks (src/test/java/io/dataplatform/views/bench), RocksDB included
# as the reference. Arguments go to JMH; default: a short but honest run.
#   views-kv/bench.sh                          # everything, -f 1 -wi 2 -i 3
#   views-kv/bench.sh ViewCommitBench -r 20s   # one benchmark, longer iterations
# Scratch data goes under $BENCH_DIR (default /tmp): put it on the disk you want to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="views-kv/target/bench.classpath"
mvn -B -q -pl views-kv test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test
classpath="views-kv/target/test-classes:views-kv/target/classes:$(cat "$classpath_file")"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 5s -r 10s
fi
exec java -Dbench.dir="${BENCH_DIR:-/tmp}" -cp "$classpath" org.openjdk.jmh.Main "$@"
