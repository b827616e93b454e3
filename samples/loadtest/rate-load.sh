#!/usr/bin/env bash
# Steady-rate and flood runs of the live engine through a real mosquitto on loopback, with
# latency, CPU per message and RSS (docs/benchmarks-live.md, "Steady rates").
#
#   samples/loadtest/rate-load.sh [SECONDS] [CASES...]
#
# A case is RATE:RULES:QOS (RATE 0 = flood of SECONDS x 10,000 messages); default cases:
#   100:1:0 2000:1:0 2000:100:0 2000:1:1 2000:100:1 20000:1:0 0:1:0 0:100:0
# Workload (the canonical one): 100 series home/m0000/water .. home/m0099/water, round-robin;
# in each series lpm alternates 20 / 45, so `lpm > 30` fires on every other message and resolves
# on the next. RULES=1: one rule on home/{meter}/water; RULES=N > 1: one rule per series, each with
# a threshold of its own (lpm > 30.<k>); with N > 100 there are N series (RULES=10000: the in-process
# benchmark's distinct-threshold rule set, 10,000 meters home/m0000/water .. home/m9999/water). Every firing publishes alerts/<meter>/water with the
# message's seq as payload, at QOS. rate-pub.py writes each message when it is due and measures
# publish -> alert arrival.
# For every case, first mosquitto alone (the same publisher straight to a subscriber on
# home/+/water: its pub->sub latency and mosquitto's CPU per message), then the engine: started
# fresh, warmed up with WARMUP seconds (LOAD_WARMUP, default 3) of the same load (at least 2,000 msg/s), then measured
# for SECONDS (default 20). Engine CPU = utime+stime over the measured run / messages; voluntary
# and involuntary context switches likewise; peak RSS = VmHWM at the end. `uptime` load is
# printed with every line (the machine may be shared).
# LOAD_BIN: a built CLI folder (default: build Release). Environment variables given to the
# script reach the engine (DOTNET_* knobs). LOAD_ENGINE_CMD overrides how the engine is started
# (e.g. a native AOT binary: LOAD_ENGINE_CMD=/path/mqttrules; or the minimal C engine that is this machine's
# floor: cc -O2 -o /tmp/c-engine samples/loadtest/c-engine.c -lpthread; LOAD_ENGINE_CMD=/tmp/c-engine).
# mosquitto runs with its default configuration (Nagle on); LOAD_MOSQUITTO_EXTRA adds lines to it.
# Idle: `rate-load.sh idle` runs the engine with its embedded broker, no traffic, and reports
# CPU and RSS over 60 s (LOAD_IDLE seconds), from 30 s after the start (LOAD_IDLE_SETTLE).
# LOAD_THREADS=1: also, per engine thread (by name), CPU µs and context switches per message.
set -euo pipefail
SECONDS_RUN=${1:-20}
shift || true
CASES=("$@")
[[ ${#CASES[@]} -eq 0 ]] && CASES=(100:1:0 2000:1:0 2000:100:0 2000:1:1 2000:100:1 20000:1:0 0:1:0 0:100:0)
PORT=${LOAD_PORT:-18951}
HTTP=${LOAD_HTTP:-18952}
WARMUP=${LOAD_WARMUP:-3}
SERIES=100 # per case: max(100, RULES)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/mqttrules-rate.XXXXXX)
chmod 755 "$WORK"
cleanup() { [[ -n "${ENGINE_PID:-}" ]] && kill "$ENGINE_PID" 2>/dev/null || true; [[ -n "${BROKER_PID:-}" ]] && kill "$BROKER_PID" 2>/dev/null || true; }
trap cleanup EXIT

if [[ -z "${LOAD_BIN:-}" && -z "${LOAD_ENGINE_CMD:-}" ]]; then
  echo "building Release..." >&2
  dotnet build -c Release "$ROOT/src/MqttRules.Cli/MqttRules.Cli.csproj" -o "$WORK/bin" -v q -nologo >/dev/null
  LOAD_BIN=$WORK/bin
fi
engine_cmd() { if [[ -n "${LOAD_ENGINE_CMD:-}" ]]; then echo "$LOAD_ENGINE_CMD"; else echo "dotnet $LOAD_BIN/mqttrules.dll"; fi; }
for p in "$PORT" "$HTTP"; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is in use: set LOAD_PORT / LOAD_HTTP" >&2; exit 1; fi
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# summed over the process's threads (threads that ended are not counted)
ctx() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print v + 0, n + 0 }'; }
# per thread: "tid name cpu_ticks voluntary involuntary"
threads() { for t in /proc/"$1"/task/*; do
  printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{ print $12 + $13 }')" \
    "$(awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 } END { print v + 0, n + 0 }' "$t/status" 2>/dev/null)"
done; }
kb() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
HZ=$(getconf CLK_TCK)

start_engine() {
  local broker=$1 rules=$2 qos=$3
  rm -f "$WORK"/state.db*
  : >"$WORK/rules.yaml"
  if [[ "$rules" == 1 ]]; then
    printf 'rules:\n  - id: water-alert\n    topic: home/{meter}/water\n    when: lpm > 30\n    actions:\n      - publish: { topic: "alerts/{{meter}}/water", payload: "{{seq}}", qos: %s }\n' "$qos" >"$WORK/rules.yaml"
  else
    { echo "rules:"
      for k in $(seq 0 $((rules - 1))); do
        printf '  - id: water-alert-%04d\n    topic: home/m%04d/water\n    when: lpm > 30.%04d\n    actions:\n      - publish: { topic: "alerts/m%04d/water", payload: "{{seq}}", qos: %s }\n' "$k" "$k" "$k" "$k" "$qos"
      done; } >"$WORK/rules.yaml"
  fi
  MQTTRULES_SUBSCRIBE_QOS=$qos MQTTRULES_CLIENT_ID="rate-$qos-$rules-$$-$RANDOM" MQTTRULES_LOG_LEVEL=warning \
    $(engine_cmd) run --rules "$WORK/rules.yaml" --broker "$broker" \
    --http "127.0.0.1:$HTTP" --state "$WORK/state.db" >"$WORK/engine.log" 2>&1 & ENGINE_PID=$!
  for _ in $(seq 400); do curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}

stop_engine() { kill -TERM "$ENGINE_PID"; wait "$ENGINE_PID" || true; ENGINE_PID=; }

if [[ "${CASES[0]}" == idle ]]; then
  IDLE=${LOAD_IDLE:-60}
  MQTTRULES_EMBEDDED_LISTEN=127.0.0.1:$PORT start_engine embedded 1 0
  sleep "${LOAD_IDLE_SETTLE:-30}"  # start-up work (the JIT tiering start-up code up) is over
  c0=$(cpu_ticks "$ENGINE_PID"); read -r v0 n0 < <(ctx "$ENGINE_PID")
  [[ -n "${LOAD_THREADS:-}" ]] && threads "$ENGINE_PID" >"$WORK/threads0"
  sleep "$IDLE"
  c1=$(cpu_ticks "$ENGINE_PID"); read -r v1 n1 < <(ctx "$ENGINE_PID")
  if [[ -n "${LOAD_THREADS:-}" ]]; then
    threads "$ENGINE_PID" >"$WORK/threads1"
    awk -v s="$IDLE" 'NR == FNR { v[$1] = $4 + $5; next } { d = $4 + $5 - v[$1]; if (d > 0) printf "  thread %-7s %-16s wake-ups/s=%.2f\n", $1, $2, d / s }' \
      "$WORK/threads0" "$WORK/threads1" | sort -t= -k2 -g -r
  fi
  echo "idle ${IDLE}s (embedded broker, no traffic): cpu $(echo "($c1 - $c0) * 100 / $HZ / $IDLE" | bc -l | xargs printf '%.3f')% of a core," \
    "wake-ups $(( (v1 - v0 + n1 - n0) / IDLE ))/s, RSS $(( $(kb "$ENGINE_PID" VmRSS) / 1024 )) MB (peak $(( $(kb "$ENGINE_PID" VmHWM) / 1024 )) MB), threads $(kb "$ENGINE_PID" Threads), load $(load1)"
  stop_engine
  exit 0
fi

# shellcheck source=samples/loadtest/mosquitto.sh
source "$(dirname "$0")/mosquitto.sh"
start_mosquitto

# measure RATE SECONDS QOS FILTER -> rate-pub.py's line, plus cpu µs/message of mosquitto and the engine
measure() {
  local rate=$1 secs=$2 qos=$3 filter=$4
  local b0 e0=0 v0=0 n0=0
  b0=$(cpu_ticks "$BROKER_PID")
  if [[ -n "${ENGINE_PID:-}" ]]; then e0=$(cpu_ticks "$ENGINE_PID"); read -r v0 n0 < <(ctx "$ENGINE_PID"); fi
  [[ -n "${ENGINE_PID:-}" && -n "${LOAD_THREADS:-}" ]] && threads "$ENGINE_PID" >"$WORK/threads0"
  local line; line=$(python3 "$HERE/rate-pub.py" 127.0.0.1 "$PORT" "$rate" "$secs" "$SERIES" "$qos" "$filter" 20)
  local n; n=$(sed -E 's/.*published=([0-9]+).*/\1/' <<<"$line")
  local b1; b1=$(cpu_ticks "$BROKER_PID")
  local out="$line mosquitto_us=$(echo "($b1 - $b0) * 1000000 / $HZ / $n" | bc -l | xargs printf '%.1f')"
  if [[ -n "${ENGINE_PID:-}" ]]; then
    local e1 v1 n1; e1=$(cpu_ticks "$ENGINE_PID"); read -r v1 n1 < <(ctx "$ENGINE_PID")
    out="$out engine_us=$(echo "($e1 - $e0) * 1000000 / $HZ / $n" | bc -l | xargs printf '%.1f') ctxsw_per_msg=$(echo "($v1 - $v0) / $n" | bc -l | xargs printf '%.2f')+$(echo "($n1 - $n0) / $n" | bc -l | xargs printf '%.2f') peak_rss_mb=$(( $(kb "$ENGINE_PID" VmHWM) / 1024 ))"
  fi
  echo "$out load=$(load1)"
  if [[ -n "${ENGINE_PID:-}" && -n "${LOAD_THREADS:-}" ]]; then
    threads "$ENGINE_PID" >"$WORK/threads1"
    # join on tid; threads started during the run count from zero
    awk -v n="$n" -v hz="$HZ" 'NR == FNR { c[$1] = $3; v[$1] = $4; i[$1] = $5; next }
      { dc = $3 - c[$1]; dv = $4 - v[$1]; di = $5 - i[$1]; if (dc + dv + di == 0) next
        printf "  thread %-7s %-16s cpu_us=%7.1f ctxsw_per_msg=%.2f+%.2f\n", $1, $2, dc * 1000000 / hz / n, dv / n, di / n }' \
      "$WORK/threads0" "$WORK/threads1" | sort -t= -k2 -g -r
  fi
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, SECONDS=$SECONDS_RUN WARMUP=$WARMUP series=max(100, RULES)"
for c in "${CASES[@]}"; do
  IFS=: read -r rate rules qos <<<"$c"
  SERIES=$(( rules > 100 ? rules : 100 ))
  secs=$SECONDS_RUN; [[ "$rate" == 0 ]] && secs=$(( SECONDS_RUN < 20 ? SECONDS_RUN : 20 ))
  echo "case rate=$rate rules=$rules qos=$qos mosquitto-alone $(measure "$rate" "$secs" "$qos" 'home/+/water')"
  start_engine "mqtt://127.0.0.1:$PORT" "$rules" "$qos"
  # Warm-up at 2,000 msg/s at least (a flood for a flood), so that the JIT has tiered the hot path up.
  [[ "$WARMUP" -gt 0 ]] && measure "$([[ $rate == 0 ]] && echo 0 || echo $(( rate > 2000 ? rate : 2000 )))" "$WARMUP" "$qos" 'alerts/+/water' >/dev/null
  echo "case rate=$rate rules=$rules qos=$qos engine $(measure "$rate" "$secs" "$qos" 'alerts/+/water')"
  stop_engine
done
