#!/usr/bin/env bash
# End-to-end load run through a real mosquitto on loopback (docs/benchmarks-live.md).
#
#   samples/loadtest/live-load.sh [MESSAGES] [METERS]
#
# Workload: METERS publishers (mosquitto_pub -l) send MESSAGES in total on home/<meter>/water,
# payload {"lpm": <31..60>, "ts": <int>}; the rule `lpm > 30` (each_message) publishes
# alerts/<meter>/water for every one. One mosquitto_sub counts the alerts. The baseline is the
# same publishers straight to a mosquitto_sub on home/+/water (mosquitto's own pub->sub rate).
# Second case ("threshold"): the canonical stateful rule `lpm > 30` (no each_message) on normal
# readings (lpm 2..29, one 45 L/min spike in every 1000 messages, so alerts only on excursions);
# measured until the engine has evaluated every message (its /metrics: the end time is its
# mqttrules_last_message_timestamp_seconds, so the polling interval does not count), against
# mosquitto's own pub->sub rate for the same files.
# Bounded: every subscriber gives up after 120 s. Needs mosquitto, mosquitto-clients, dotnet.
set -euo pipefail
N=${1:-40000}
METERS=${2:-8}
PORT=${LOAD_PORT:-18931}
HTTP=${LOAD_HTTP:-18932}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/mqttrules-load.XXXXXX)
chmod 755 "$WORK"
PER=$((N / METERS)); N=$((PER * METERS))
cleanup() { [[ -n "${ENGINE_PID:-}" ]] && kill "$ENGINE_PID" 2>/dev/null || true; [[ -n "${BROKER_PID:-}" ]] && kill "$BROKER_PID" 2>/dev/null || true; }
trap cleanup EXIT

echo "building Release..." >&2
dotnet build -c Release "$ROOT/src/MqttRules.Cli/MqttRules.Cli.csproj" -o "$WORK/bin" -v q -nologo >/dev/null

# shellcheck source=samples/loadtest/mosquitto.sh
source "$(dirname "$0")/mosquitto.sh"
start_mosquitto

make_files() {
  local mode=$1
  for m in $(seq "$METERS"); do
    awk -v per="$PER" -v m="$m" -v mode="$mode" 'BEGIN { for (i = 0; i < per; i++) {
        lpm = mode == "alert" ? 31 + (i % 30) : (i % 1000 == 999 ? 45 : 2 + (i % 28));
        printf "{\"lpm\": %d, \"ts\": %d}\n", lpm, 1700000000 + i * 8 + m } }' >"$WORK/m$m.jsonl"
  done
}
make_files alert

now() { date +%s.%N; }

# run_case QOS FILTER -> prints "received seconds"
run_case() {
  local qos=$1 filter=$2 out="$WORK/sub.out"
  : >"$out"
  mosquitto_sub -h 127.0.0.1 -p "$PORT" -q "$qos" -t "$filter" -C "$N" -W 120 >"$out" 2>/dev/null & local sub=$!
  sleep 1  # let the subscriber connect (not an assertion: a benchmark warm-up)
  local t0; t0=$(now)
  local pubs=()
  for m in $(seq "$METERS"); do
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -q "$qos" -t "home/m$m/water" -l <"$WORK/m$m.jsonl" & pubs+=($!)
  done
  wait "${pubs[@]}"
  local t_pub; t_pub=$(now)
  wait "$sub" || true
  local t1; t1=$(now)
  echo "$(wc -l <"$out") $(echo "$t1 - $t0" | bc -l) $(echo "$t_pub - $t0" | bc -l)"
}

start_engine() {
  local qos=$1 each=${2:-true}
  cat >"$WORK/rules.yaml" <<RULES
rules:
  - id: water-alert
    topic: home/{meter}/water
    when: lpm > 30
    each_message: $each
    actions:
      - publish: { topic: "alerts/{{meter}}/water", payload: "{{lpm}}", qos: $qos }
RULES
  MQTTRULES_SUBSCRIBE_QOS=$qos MQTTRULES_CLIENT_ID="load-$qos-$each-$$" MQTTRULES_LOG_LEVEL=warning \
    dotnet "$WORK/bin/mqttrules.dll" run --rules "$WORK/rules.yaml" --broker "mqtt://127.0.0.1:$PORT" \
    --http "127.0.0.1:$HTTP" --state "$WORK/state.db" >"$WORK/engine-$qos.log" 2>&1 & ENGINE_PID=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }

stop_engine() {
  local evaluated; evaluated=$(curl -s "http://127.0.0.1:$HTTP/metrics" | awk '/^mqttrules_messages_total /{print $2}')
  local cpu; cpu=$(cpu_seconds "$ENGINE_PID")
  kill -TERM "$ENGINE_PID"; wait "$ENGINE_PID" || true; ENGINE_PID=
  echo "$evaluated $cpu"
}

printf "%-26s %4s %9s %9s %10s %s\n" "case" "qos" "messages" "received" "seconds" "msg/s"
for qos in 0 1; do
  read -r got secs pubsecs < <(run_case "$qos" "home/+/water")
  printf "%-26s %4s %9d %9d %10.2f %8.0f\n" "mosquitto pub->sub" "$qos" "$N" "$got" "$secs" "$(echo "$got / $secs" | bc -l)"
  start_engine "$qos"
  idle_cpu=$(cpu_seconds "$ENGINE_PID")
  read -r got secs pubsecs < <(run_case "$qos" "alerts/+/water")
  read -r evaluated cpu < <(stop_engine)
  printf "%-26s %4s %9d %9d %10.2f %8.0f   (engine evaluated %s; engine CPU %.2f s = %.0f us/message)\n" "pub->mqttrules->sub" "$qos" "$N" "$got" "$secs" \
    "$(echo "$got / $secs" | bc -l)" "$evaluated" "$(echo "$cpu - $idle_cpu" | bc -l)" "$(echo "($cpu - $idle_cpu) * 1000000 / $N" | bc -l)"
done

# The canonical threshold rule on normal readings: time until the engine has evaluated all N.
evaluated_total() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk '/^mqttrules_messages_total /{print $2}'; }
last_evaluated() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk '/^mqttrules_last_message_timestamp_seconds /{print $2}'; }
run_threshold() {
  local qos=$1
  local t0; t0=$(now)
  local pubs=()
  for m in $(seq "$METERS"); do
    mosquitto_pub -h 127.0.0.1 -p "$PORT" -q "$qos" -t "home/m$m/water" -l <"$WORK/m$m.jsonl" & pubs+=($!)
  done
  local deadline=$(( $(date +%s) + 120 )) seen=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    seen=$(evaluated_total); [ "${seen:-0}" -ge "$N" ] && break; sleep 0.1
  done
  local t1; t1=$(last_evaluated)
  wait "${pubs[@]}"
  echo "$seen $(echo "$t1 - $t0" | bc -l)"
}

make_files threshold
for qos in 0 1; do
  read -r got secs pubsecs < <(run_case "$qos" "home/+/water")
  printf "%-26s %4s %9d %9d %10.2f %8.0f\n" "threshold: mosquitto" "$qos" "$N" "$got" "$secs" "$(echo "$got / $secs" | bc -l)"
  start_engine "$qos" false
  idle_cpu=$(cpu_seconds "$ENGINE_PID")
  read -r got secs < <(run_threshold "$qos")
  read -r evaluated cpu < <(stop_engine)
  printf "%-26s %4s %9d %9d %10.2f %8.0f   (engine CPU %.2f s = %.0f us/message)\n" "threshold: mqttrules" "$qos" "$N" "$got" "$secs" \
    "$(echo "$got / $secs" | bc -l)" "$(echo "$cpu - $idle_cpu" | bc -l)" "$(echo "($cpu - $idle_cpu) * 1000000 / $N" | bc -l)"
done
