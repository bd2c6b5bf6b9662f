#!/usr/bin/env bash
# Runs the views-kv JMH benchmarks (src/test/java/io/dataplatform/views/bench), RocksDB included
# as the reference; BlobViewBench starts Azurite (tools/azurite) for the azure backend. Arguments go to JMH; default: a short but honest run.
#   views-kv/bench.sh                          # everything, -f 1 -wi 2 -i 3
#   views-kv/bench.sh ViewCommitBench -r 20s   # one benchmark, longer iterations
# Scratch data goes under $BENCH_DIR (default /tmp): put it on the disk you want to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="views-kv/target/bench.classpath"
# -am: the azurite-test harness (BlobViewBench's emulator) comes from the reactor; views-kv runs last
# and writes the class path file last
mvn -B -q -pl views-kv -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$classpath_file" -Dmdep.includeScope=test
classpath="views-kv/target/test-classes:views-kv/target/classes:azurite-test/target/classes:$(cat "$classpath_file")"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 5s -r 10s
fi
exec java -Dbench.dir="${BENCH_DIR:-/tmp}" -cp "$classpath" org.openjdk.jmh.Main "$@"
