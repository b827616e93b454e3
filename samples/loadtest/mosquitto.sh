# Sourced by the load scripts: start_mosquitto starts a loopback mosquitto on $PORT in $WORK with the
# load tests' configuration (plus $LOAD_MOSQUITTO_EXTRA lines) and sets BROKER_PID.
start_mosquitto() {
  cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
max_inflight_messages 100
${LOAD_MOSQUITTO_EXTRA:-}
CONF
  chmod 644 "$WORK/mosquitto.conf"
  /usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 & BROKER_PID=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.05; done
}
