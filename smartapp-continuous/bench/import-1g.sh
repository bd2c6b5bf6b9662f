#!/bin/bash
# The import benchmark of docs/benchmarks.md (Samples): a generated ~1 GB dump imported into a
# fresh node over HTTP, with the load average before and after and the node's CPU time.
# Run from the repository root after
#   mvn -B -q -pl platform-node,smartapp-continuous -am package -DskipTests
# Usage: smartapp-continuous/bench/import-1g.sh [WORKDIR] [import options...]   (WORKDIR default /tmp/dp-import-1g)
set -euo pipefail
WORK=${1:-/tmp/dp-import-1g}
shift || true
CJ=smartapp-continuous/target/smartapp-continuous.jar
NJ=platform-node/target/platform-node.jar
PORT=${PORT:-18090}
mkdir -p "$WORK"
if [ ! -f "$WORK/dump/Comments.xml" ]; then
  java -jar "$CJ" generate --out "$WORK/dump" --posts 820000 --seed 1     # 1,001.5 MB
fi
rm -rf "$WORK/node"
java -jar "$NJ" --http-port "$PORT" --store "$WORK/node" > "$WORK/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$CJ" import --dump "$WORK/dump" --node "http://127.0.0.1:$PORT" --location "$WORK/node" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r -a STAT < "/proc/$NODE/stat"
TICKS=$(getconf CLK_TCK)
echo "node CPU (its whole life, start included): user $((STAT[13] / TICKS)).$(( (STAT[13] % TICKS) * 100 / TICKS )) s, system $((STAT[14] / TICKS)).$(( (STAT[14] % TICKS) * 100 / TICKS )) s"
