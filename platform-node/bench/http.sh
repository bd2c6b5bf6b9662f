#!/usr/bin/env bash
# Node benchmarks over HTTP (needs wrk: apt-get install -y wrk):
#   1. a do-nothing Vert.x POST endpoint, 64 connections (the baseline), on NIO and on epoll
#   2. the node, durable single 100-byte appends, 64 connections
#   3. the node, durable batches of 10,000 x 100 bytes as binary frames
#   4. direct reads of what was written: the engine's reader and the client's
# Usage: bench/http.sh [seconds per run, default 15] [seconds of warm-up, default 40]
# (a short warm-up measures the JIT compiler more than the code: C2 took 35-40 % of the CPU
# during the first 20 s of a node under load)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
WARMUP=${2:-40}
mvn -B -q -f ../pom.xml -pl platform-node -am package dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test -DskipTests >/dev/null
CP="target/test-classes:target/classes:$(cat target/jmh.classpath)"
LUA=src/test/bench/post-100b.lua
DATA=$(mktemp -d "${TMPDIR:-/tmp}/dp-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DATA"' EXIT

wait_for() { for _ in $(seq 1 100); do curl -s "$1" >/dev/null && return 0; sleep 0.1; done; return 1; }

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/Model name:[ ]*//p'), $(date -u)"
for transport in nio native; do
  echo "== no-op endpoint, $transport transport"
  java -cp "$CP" io.dataplatform.bench.NoopServer 8090 $transport & NOOP=$!
  wait_for http://127.0.0.1:8090/
  wrk -t2 -c64 -d${WARMUP}s -s $LUA http://127.0.0.1:8090 >/dev/null
  wrk -t2 -c64 -d${SECONDS_PER_RUN}s --latency -s $LUA http://127.0.0.1:8090 | grep -E "Requests/sec|99%|50%"
  kill $NOOP; wait $NOOP 2>/dev/null || true
done

echo "== node, durable single appends"
java -jar target/platform-node.jar --store "$DATA" --http-port 8091 >/dev/null 2>&1 & NODE=$!
wait_for http://127.0.0.1:8091/health
wrk -t2 -c64 -d${WARMUP}s -s $LUA http://127.0.0.1:8091 >/dev/null
wrk -t2 -c64 -d${SECONDS_PER_RUN}s --latency -s $LUA http://127.0.0.1:8091 | grep -E "Requests/sec|99%|50%|Non-2xx"
curl -s http://127.0.0.1:8091/metrics | grep -E '^dp_(commits|appends)_total|^dp_sync_seconds_(sum|count)'

echo "== node, durable batches of 10,000 x 100 B"
java -cp "$CP" io.dataplatform.bench.BatchLoad http://127.0.0.1:8091 batches 4 "$SECONDS_PER_RUN"
curl -s -X POST http://127.0.0.1:8091/system/shutdown >/dev/null
wait $NODE 2>/dev/null || true

echo "== direct reads: engine reader vs client"
java -cp "$CP" io.dataplatform.bench.ReadScan "$DATA" batches 3
