#!/usr/bin/env bash
# Memory soak of the live engine through a real mosquitto on loopback (docs/soak.md).
#
#   samples/loadtest/soak.sh [MINUTES] [RATE] [SERIES] [CSV]
#
# Defaults: 60 minutes, 2000 msg/s, 1000 series, CSV to ./soak-<date>.csv. Workload: the
# canonical threshold rule `lpm > 30` (stateful) on home/{meter}/water, publishing
# alerts/{meter}/water when it fires; one steady publisher (steady-pub.py, QoS $SOAK_QOS, default
# 1) round-robin over home/m0000/water .. home/m0999/water with normal readings and one spike in
# every 100 readings of a series. Every SOAK_INTERVAL seconds (default 60) one CSV row: elapsed
# seconds, engine VmRSS and its parts RssAnon / RssFile (mapped assemblies) / RssShmem (the JIT's
# double-mapped code) from /proc/PID/status, GC heap after the last collection and GC committed
# memory (from /metrics), GC counts per generation, messages evaluated so far.
# Environment variables set for this script reach the engine (e.g. DOTNET_GCgen0size,
# DOTNET_GCConserveMemory, DOTNET_gcServer) to compare GC settings.
# Bounded: the publisher stops after MINUTES; the script waits at most 60 s more for the
# engine to evaluate everything. Needs mosquitto, dotnet, python3, curl.
set -euo pipefail
MINUTES=${1:-60}
RATE=${2:-2000}
SERIES=${3:-1000}
CSV=${4:-$PWD/soak-$(date -u +%Y%m%dT%H%M).csv}
QOS=${SOAK_QOS:-1}
INTERVAL=${SOAK_INTERVAL:-60}
PORT=${SOAK_PORT:-18941}
HTTP=${SOAK_HTTP:-18942}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/mqttrules-soak.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  [[ -n "${PUB_PID:-}" ]] && kill "$PUB_PID" 2>/dev/null || true
  [[ -n "${ENGINE_PID:-}" ]] && kill "$ENGINE_PID" 2>/dev/null || true
  [[ -n "${BROKER_PID:-}" ]] && kill "$BROKER_PID" 2>/dev/null || true
}
trap cleanup EXIT

if [[ -z "${SOAK_BIN:-}" ]]; then
  echo "building Release..." >&2
  dotnet build -c Release "$ROOT/src/MqttRules.Cli/MqttRules.Cli.csproj" -o "$WORK/bin" -v q -nologo >/dev/null
  SOAK_BIN=$WORK/bin
fi

for p in "$PORT" "$HTTP"; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is in use (another soak?): set SOAK_PORT / SOAK_HTTP" >&2; exit 1; fi
done
cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 100000
max_inflight_messages 100
CONF
chmod 644 "$WORK/mosquitto.conf"
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 & BROKER_PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done

cat >"$WORK/rules.yaml" <<RULES
rules:
  - id: water-alert
    topic: home/{meter}/water
    when: lpm > 30
    actions:
      - publish: { topic: "alerts/{{meter}}/water", payload: "{{lpm}}", qos: $QOS }
RULES
MQTTRULES_SUBSCRIBE_QOS=$QOS MQTTRULES_CLIENT_ID="soak-$$" MQTTRULES_LOG_LEVEL=warning \
  dotnet "$SOAK_BIN/mqttrules.dll" run --rules "$WORK/rules.yaml" --broker "mqtt://127.0.0.1:$PORT" \
  --http "127.0.0.1:$HTTP" --state "$WORK/state.db" >"$WORK/engine.log" 2>&1 & ENGINE_PID=$!
for _ in $(seq 400); do curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

metric() { awk -v n="$1" '$1 == n { print $2 }' "$WORK/metrics.txt"; }
sample() {
  local elapsed=$1
  curl -s "http://127.0.0.1:$HTTP/metrics" >"$WORK/metrics.txt" || : >"$WORK/metrics.txt"
  local rss; rss=$(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 } END { print r "," a "," f "," s }' "/proc/$ENGINE_PID/status")
  echo "$elapsed,$rss,$(metric dotnet_gc_heap_bytes),$(metric dotnet_gc_committed_bytes),$(metric 'dotnet_gc_collections_total{generation="0"}'),$(metric 'dotnet_gc_collections_total{generation="1"}'),$(metric 'dotnet_gc_collections_total{generation="2"}'),$(metric mqttrules_messages_total)" >>"$CSV"
}

echo "elapsed_s,rss_kb,anon_kb,file_kb,shmem_kb,gc_heap_bytes,gc_committed_bytes,gen0,gen1,gen2,evaluated" >"$CSV"
echo "engine pid $ENGINE_PID, work dir $WORK, csv $CSV" >&2
T0=$(date +%s)
sample 0
python3 "$ROOT/samples/loadtest/steady-pub.py" 127.0.0.1 "$PORT" "$RATE" "$((MINUTES * 60))" "$SERIES" "$QOS" >"$WORK/pub.out" & PUB_PID=$!
next=$INTERVAL
while kill -0 "$PUB_PID" 2>/dev/null; do
  now=$(( $(date +%s) - T0 ))
  if [ "$now" -ge "$next" ]; then sample "$now"; next=$((next + INTERVAL)); fi
  sleep 1
done
wait "$PUB_PID" || true; PUB_PID=
if ! read -r _ published _ acked <"$WORK/pub.out"; then echo "publisher failed (see above); engine log: $WORK/engine.log" >&2; exit 1; fi
deadline=$(( $(date +%s) + 60 ))
evaluated=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  evaluated=$(curl -s "http://127.0.0.1:$HTTP/metrics" | awk '$1 == "mqttrules_messages_total" { print $2 }')
  [ "${evaluated:-0}" -ge "$published" ] && break
  sleep 1
done
sample "$(( $(date +%s) - T0 ))"
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$ENGINE_PID/stat")
kill -TERM "$ENGINE_PID"; wait "$ENGINE_PID" || true; ENGINE_PID=
echo "published $published acked $acked evaluated $evaluated engine_cpu_s $cpu minutes $MINUTES rate $RATE series $SERIES qos $QOS"
