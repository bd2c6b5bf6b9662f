#!/bin/sh
# The web UI's benchmark (FirstPaintBench): the page over 10,000 tags and 100,000 users in headless
# Chromium. Figures in docs/benchmarks.md. Run from the repository root.
set -eu
mvn -q -B -pl smartapp-webui -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/webui-bench.classpath -Dmdep.includeScope=test
cd smartapp-webui
java -cp "target/test-classes:target/classes:$(cat target/webui-bench.classpath)" \
    io.dataplatform.samples.webui.FirstPaintBench
