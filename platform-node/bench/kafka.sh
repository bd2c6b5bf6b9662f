#!/usr/bin/env bash
# The client library side by side with Kafka 4.4.0 on this machine, in one run:
#   1. appends of 100-byte events: the node (durable: each event synced before its acknowledgement)
#      through `client write-flood --threads 64` (one append at a time per thread, and with appends
#      in flight through appendAsync), vs Kafka's producer perf tool (acks=1: the leader's page
#      cache, no sync), both with p99 latency;
#   2. remote scans of 100 B and 1 KiB events from the page cache: `client enumerate` over HTTP vs
#      Kafka's consumer perf tool.
# Kafka runs as a single KRaft node (broker + controller) from the Maven Central jars (kafka_2.13,
# kafka-tools), resolved with `mvn dependency:build-classpath` on bench/kafka-pom.xml copied into
# target/kafka. Each figure is printed with the load average at its time (the machine is shared),
# and with the CPU time per event of the server (the node or the Kafka broker, from /proc) and of the
# client process (the test client or Kafka's perf tool, JVM start included): on a loaded machine the
# rates swing, the CPU spent per event much less.
# Usage: bench/kafka.sh [events per append run, default 5000000] [events per scan, default 5000000]
set -euo pipefail
cd "$(dirname "$0")/.."
APPENDS=${1:-5000000}
SCAN=${2:-5000000}
KAFKA_PORT=${KAFKA_PORT:-19092}
NODE_PORT=${NODE_PORT:-18480}
WORK=target/kafka
mkdir -p "$WORK"
cp bench/kafka-pom.xml "$WORK/pom.xml"
(cd "$WORK" && mvn -B -q dependency:build-classpath -Dmdep.outputFile=classpath.txt >/dev/null)
KCP=$(cat "$WORK/classpath.txt")
[ -f target/platform-node.jar ] || mvn -B -q -f ../pom.xml -pl platform-node -am package -DskipTests >/dev/null
JAR=target/platform-node.jar
DATA=$(mktemp -d "${TMPDIR:-/tmp}/dp-kafka-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process, in clock ticks
HZ=$(getconf CLK_TCK)
# measured <server pid> <events> <command...>: runs the command, prints its last line, then the
# server's and the client process's CPU per event (microseconds)
measured() {
  local server=$1 events=$2; shift 2
  local before out after
  before=$(ticks "$server")
  out=$(bash -c '"$@" | tail -1; read -r -a s < /proc/$$/stat; echo "$(( s[15] + s[16] ))"' _ "$@")
  after=$(ticks "$server")
  echo "$out" | head -1
  awk -v s=$((after - before)) -v c="$(echo "$out" | tail -1)" -v n="$events" -v hz="$HZ" \
      'BEGIN { printf "    CPU per event: server %.2f us, client process %.2f us\n", s * 1e6 / hz / n, c * 1e6 / hz / n }'
}
wait_for() { for _ in $(seq 1 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "timed out: $*" >&2; return 1; }

echo "== $(nproc) cores, $(lscpu | sed -n 's/Model name:[ ]*//p'), $(java -version 2>&1 | head -1), $(date -u)"

# --- Kafka: one KRaft node, logs in $DATA/kafka
cat >"$DATA/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA/kafka
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
CLUSTER=$(java -cp "$KCP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
java -cp "$KCP" kafka.tools.StorageTool format --standalone -t "$CLUSTER" -c "$DATA/server.properties" >/dev/null 2>&1
java -Xms1g -Xmx1g -cp "$KCP" kafka.Kafka "$DATA/server.properties" >"$DATA/kafka.log" 2>&1 &
KAFKA=$!
BOOT=127.0.0.1:$KAFKA_PORT
wait_for java -cp "$KCP" org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --list
for topic in bench-100 bench-1k; do
  java -cp "$KCP" org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOT --create --topic $topic \
      --partitions 1 --replication-factor 1 >/dev/null 2>&1
done

# --- the node, durable, on its own directory
java -jar $JAR --store "$DATA/node" --http-port $NODE_PORT >"$DATA/node.log" 2>&1 &
NODE=$!
N=http://127.0.0.1:$NODE_PORT
wait_for curl -sf $N/health

kafka_produce() { # <topic> <size> <records>
  java -cp "$KCP" org.apache.kafka.tools.ProducerPerformance --topic "$1" --num-records "$3" --record-size "$2" \
      --throughput -1 --producer-props bootstrap.servers=$BOOT acks=1 2>/dev/null | tail -1
}
kafka_consume() { # <topic> <records>
  java -cp "$KCP" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server $BOOT --topic "$1" \
      --num-records "$2" --group "g-$RANDOM$RANDOM" --timeout 60000 2>/dev/null | tail -1
}
export -f kafka_produce kafka_consume
export KCP BOOT

echo
echo "== appends of 100-byte events (load average before each run)"
echo -n "[load $(load)] kafka producer acks=1: "; measured $KAFKA "$APPENDS" kafka_produce bench-100 100 "$APPENDS"
echo -n "[load $(load)] "; measured $NODE $((APPENDS / 10)) java -jar $JAR client write-flood --node $N --store wf-64 --threads 64 --count $((APPENDS / 10)) -q
echo -n "[load $(load)] "; measured $NODE "$APPENDS" java -jar $JAR client write-flood --node $N --store wf-64-async --threads 64 --in-flight 256 --count "$APPENDS" -q

echo
echo "== remote scans from the page cache (the 1 KiB topic/store is written first; each scan runs twice, the second counts)"
kafka_produce bench-1k 1024 "$((SCAN / 4))" >/dev/null
# the stores hold whole batches of 10,000: their event counts, for the CPU per event of the scans
STORE_100=$((SCAN / 10000 * 10000))
STORE_1K=$((SCAN / 4 / 10000 * 10000))
java -jar $JAR client batch-flood --node $N --store scan-100 --threads 2 --batches $((SCAN / 10000)) --batch-size 10000 --size 100 -q >/dev/null
java -jar $JAR client batch-flood --node $N --store scan-1k --threads 2 --batches $((SCAN / 4 / 10000)) --batch-size 10000 --size 1024 -q >/dev/null
kafka_consume bench-100 "$SCAN" >/dev/null
echo "kafka consumer columns: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
echo -n "[load $(load)] kafka consumer 100 B: "; measured $KAFKA "$SCAN" kafka_consume bench-100 "$SCAN"
java -jar $JAR client enumerate --node $N --store scan-100 -q >/dev/null
echo -n "[load $(load)] "; measured $NODE "$STORE_100" java -jar $JAR client enumerate --node $N --store scan-100 -q
kafka_consume bench-1k "$((SCAN / 4))" >/dev/null
echo -n "[load $(load)] kafka consumer 1 KiB: "; measured $KAFKA "$((SCAN / 4))" kafka_consume bench-1k "$((SCAN / 4))"
java -jar $JAR client enumerate --node $N --store scan-1k -q >/dev/null
echo -n "[load $(load)] "; measured $NODE "$STORE_1K" java -jar $JAR client enumerate --node $N --store scan-1k -q
