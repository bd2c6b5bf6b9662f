#!/usr/bin/env bash
# Runs the engine's JMH benchmarks: bench/jmh.sh [JMH options] [benchmark regex]
# e.g. bench/jmh.sh GroupCommit    or    bench/jmh.sh -p size=100 Scan
# Data goes to platform-node/target/jmh-data (on the same disk as the project).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -f ../pom.xml -pl platform-node -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test -DskipTests >/dev/null
exec java -Xmx2g -Djmh.ignoreLock=true -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
