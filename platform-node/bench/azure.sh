#!/usr/bin/env bash
# Stores on Azure blobs beside stores on files, in the same run: Azurite (the Azure Storage
# emulator, tools/azurite, on this same machine) and two nodes, one per backend, measured in turns
# with the test client:
#   1. durable single appends: write-flood, 64 threads, 100-byte events
#   2. batch appends: batch-flood, atomic batches of 10,000 x 100 bytes
#   3. direct scans: enumerate --location of the batch store (files read from disk, blobs by range)
#   4. client copy of the batch store: files to blobs, blobs to files
# Prints the load average before each figure: Azurite is an emulator sharing the machine's cores
# with the node and the client, so its figures say what the code does against an HTTP blob
# service on localhost, not what Azure itself would serve.
# Usage: bench/azure.sh [single appends, default 100000] [batches, default 100] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
SINGLE=${1:-100000}
BATCHES=${2:-100}
ROUNDS=${3:-2}
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f target/platform-node.jar ]; then
  mvn -B -q -f ../pom.xml -pl platform-node -am package -DskipTests >/dev/null
fi
../tools/azurite/install.sh >/dev/null
JAR=target/platform-node.jar
DATA=$(mktemp -d "${TMPDIR:-/tmp}/dp-azure-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

AZ_PORT=$(free_port)
mkdir -p "$DATA/azurite" "$DATA/files"
../tools/azurite/node_modules/.bin/azurite-blob --blobHost 127.0.0.1 --blobPort "$AZ_PORT" \
  --location "$DATA/azurite" --disableTelemetry --skipApiVersionCheck --silent >/dev/null 2>&1 &
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;"
BLOBS="$CONN|bench"
FILES="$DATA/files"
wait_for "http://127.0.0.1:$AZ_PORT/devstoreaccount1?comp=list"

FILE_PORT=$(free_port)
AZURE_PORT=$(free_port)
java -jar $JAR node --store "$FILES" --http-port "$FILE_PORT" >"$DATA/node-files.log" 2>&1 &
java -jar $JAR node --store "$BLOBS" --http-port "$AZURE_PORT" >"$DATA/node-azure.log" 2>&1 &
wait_for "http://127.0.0.1:$FILE_PORT/health"
wait_for "http://127.0.0.1:$AZURE_PORT/health"

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/Model name:[ ]*//p'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== Azurite $(../tools/azurite/node_modules/.bin/azurite-blob --version 2>/dev/null || echo '?') on port $AZ_PORT (same machine), nodes: files :$FILE_PORT, azure :$AZURE_PORT"
# the result line only (the fat jar logs the backends' lifecycle on stdout)
client() { java -jar $JAR client "$@" --quiet | grep -E '^(write-flood|batch-flood|enumerate|copy):' || true; }
for round in $(seq 1 "$ROUNDS"); do
  for backend in files azure; do
    if [ $backend = files ]; then port=$FILE_PORT; location=$FILES; else port=$AZURE_PORT; location=$BLOBS; fi
    node="http://127.0.0.1:$port"
    echo "-- round $round, $backend"
    echo "   load $(load)"
    echo "   $(client write-flood --node "$node" --store "single-$round" --threads 64 --count "$SINGLE" --size 100)"
    echo "   load $(load)"
    echo "   $(client batch-flood --node "$node" --store "batch-$round" --threads 2 --batches "$BATCHES" --batch-size 10000 --size 100)"
    echo "   load $(load)"
    echo "   $(client enumerate --location "$location" --store "batch-$round" --batch 10000)"
  done
  echo "-- round $round, copy of the batch store"
  echo "   load $(load)"
  echo "   files to blobs: $(client copy --from "$FILES" --to "$BLOBS" --store "batch-$round" --to-store "copy-$round")"
  echo "   load $(load)"
  echo "   blobs to files: $(client copy --from "$BLOBS" --to "$FILES" --store "batch-$round" --to-store "copy-$round")"
done
echo "== done $(date -u '+%H:%M UTC'), load $(load)"
