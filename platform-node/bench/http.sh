#!/usr/bin/env bash
# Node benchmarks over HTTP (needs wrk: apt-get install -y wrk).
#   1. single 100-byte POSTs, 64 connections, against four servers running side by side:
#      a do-nothing Vert.x POST endpoint on NIO and on epoll (the baseline), the node without
#      syncs (--durability none: what durability costs) and the node, durable. Each is warmed up
#      once, then they are measured in turns, round after round, so that all see the same
#      machine; the script prints every run and the medians.
#   2. the durable node, batches of 10,000 x 100 bytes as binary frames
#   3. direct reads of what was written: the engine's reader and the client's
# Each wrk run also reports where the 2 cores went: the server's CPU per request and in cores,
# wrk's cores, and how busy the whole machine was (from /proc).
# Usage: bench/http.sh [seconds per run, default 15] [seconds of warm-up, default 40] [rounds, default 3]
# (a short warm-up measures the JIT compiler more than the code: C2 took 35-40 % of the CPU
# during the first 20 s of a node under load)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
WARMUP=${2:-40}
ROUNDS=${3:-3}
mvn -B -q -f ../pom.xml -pl platform-node -am package dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test -DskipTests >/dev/null
CP="target/test-classes:target/classes:$(cat target/jmh.classpath)"
LUA=src/test/bench/post-100b.lua
DATA=$(mktemp -d "${TMPDIR:-/tmp}/dp-bench.XXXXXX")
RESULTS="$DATA/results"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DATA"' EXIT

wait_for() { for _ in $(seq 1 100); do curl -s "$1" >/dev/null && return 0; sleep 0.1; done; return 1; }

TICKS=$(getconf CLK_TCK)
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_ticks() { awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
# CPU of this script's finished children (wrk), in ticks
children_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }

# measure <name> <server pid> <port>: one wrk run; prints it and adds "name requests/s" to the results
measure() {
  local server0 wrk0 idle0 total0 server1 wrk1 idle1 total1 out requests rate
  server0=$(process_ticks "$2"); wrk0=$(children_ticks); read -r idle0 total0 < <(machine_ticks)
  out=$(wrk -t2 -c64 -d${SECONDS_PER_RUN}s --latency -s $LUA "http://127.0.0.1:$3")
  server1=$(process_ticks "$2"); wrk1=$(children_ticks); read -r idle1 total1 < <(machine_ticks)
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" | grep "Non-2xx"; fi
  awk -v name="$1" -v rate="$rate" -v p50="$(echo "$out" | awk '$1 == "50%" {print $2}')" \
      -v p99="$(echo "$out" | awk '$1 == "99%" {print $2}')" -v s=$((server1 - server0)) -v t="$TICKS" \
      -v r="$requests" -v d="$SECONDS_PER_RUN" -v w=$((wrk1 - wrk0)) -v i=$((idle1 - idle0)) \
      -v a=$((total1 - total0)) 'BEGIN {
    printf "  %-14s %7d requests/s  p50 %-8s p99 %-8s server %4.1f us/request (%.2f cores), wrk %.2f cores, machine %3.0f %% busy\n",
      name, rate, p50, p99, s / t * 1e6 / r, s / t / d, w / t / d, 100 * (1 - i / a) }'
  echo "$1 $rate" >>"$RESULTS"
}

median() { awk -v n="$1" '$1 == n {print $2}' "$RESULTS" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/Model name:[ ]*//p'), $(date -u)"
java -cp "$CP" io.dataplatform.bench.NoopServer 8090 nio >/dev/null & NOOP_NIO=$!
java -cp "$CP" io.dataplatform.bench.NoopServer 8093 native >/dev/null & NOOP_EPOLL=$!
java -jar target/platform-node.jar --store "$DATA/none" --durability none --http-port 8092 >/dev/null 2>&1 & NODE_NONE=$!
java -jar target/platform-node.jar --store "$DATA/sync" --http-port 8091 >/dev/null 2>&1 & NODE=$!
for url in http://127.0.0.1:8090/ http://127.0.0.1:8093/ http://127.0.0.1:8092/health http://127.0.0.1:8091/health; do
  wait_for $url
done
SERVERS=("no-op-nio $NOOP_NIO 8090" "no-op-epoll $NOOP_EPOLL 8093" "node-no-sync $NODE_NONE 8092" "node-durable $NODE 8091")

echo "== warm-up: ${WARMUP} s of the same load on each server"
for server in "${SERVERS[@]}"; do
  read -r _ _ port <<<"$server"
  wrk -t2 -c64 -d${WARMUP}s -s $LUA "http://127.0.0.1:$port" >/dev/null
done

echo "== single 100-byte appends, 64 connections, ${SECONDS_PER_RUN} s per run, servers in turn"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  for server in "${SERVERS[@]}"; do
    # shellcheck disable=SC2086
    measure $server
  done
done
kill $NOOP_NIO $NOOP_EPOLL
curl -s -X POST http://127.0.0.1:8092/system/shutdown >/dev/null
curl -s http://127.0.0.1:8091/metrics | grep -E '^dp_(commits|appends)_total|^dp_sync_seconds_(sum|count)'
awk -v nio="$(median no-op-nio)" -v epoll="$(median no-op-epoll)" -v none="$(median node-no-sync)" \
    -v durable="$(median node-durable)" 'BEGIN {
  printf "medians: no-op NIO %d, no-op epoll %d, node without syncs %d, node durable %d requests/s\n", nio, epoll, none, durable
  printf "node durable = %.0f %% of the no-op on NIO, %.0f %% on epoll; without syncs %.0f %% and %.0f %%\n",
    100 * durable / nio, 100 * durable / epoll, 100 * none / nio, 100 * none / epoll }'

echo "== node, durable batches of 10,000 x 100 B"
java -cp "$CP" io.dataplatform.bench.BatchLoad http://127.0.0.1:8091 batches 4 "$SECONDS_PER_RUN"
curl -s -X POST http://127.0.0.1:8091/system/shutdown >/dev/null
wait $NODE $NODE_NONE 2>/dev/null || true

echo "== direct reads: engine reader vs client"
java -cp "$CP" io.dataplatform.bench.ReadScan "$DATA/sync" batches 3
