#!/usr/bin/env bash
# Run a single-node Apache Kafka broker (KRaft, broker+controller) from Apache Kafka's own jars,
# for machines without Docker. Needs Java 17+ (and Maven once, to resolve the jars).
# See docs/adr/0002-kafka-from-apache-jars.md.
#
# Usage: deploy/local/kafka.sh {install|start|stop|status|ensure|reset}
#   install  resolve the broker jars into $ADUAN_CACHE_DIR/kafka/lib (skipped when present)
#   start    install if needed, format storage once, start the broker, wait until it serves
#   stop     SIGTERM, wait for a clean shutdown, SIGKILL after $KAFKA_STOP_TIMEOUT seconds
#   status   print whether the broker started by this script runs and answers (exit 0 if so)
#   ensure   start only if nothing listens on the first host:port of $KAFKA_BROKERS
#   reset    stop and delete the broker's data (topics, offsets) and logs
#
# Environment (defaults):
#   KAFKA_BROKERS=127.0.0.1:9092   client listener; the controller listens on port + 1
#   KAFKA_VERSION=4.4.0            org.apache.kafka:kafka_2.13 version from Maven Central
#   KAFKA_HEAP_OPTS="-Xms256m -Xmx512m"
#   ADUAN_CACHE_DIR=<repo>/.cache  jars in kafka/lib, data in kafka/data, logs in kafka/logs
#   KAFKA_START_TIMEOUT=90  KAFKA_STOP_TIMEOUT=30   seconds
#   MAVEN_OPTS                     e.g. -Dmaven.repo.local=… (default local repo: ~/.m2)
set -euo pipefail

readonly DEFAULT_KAFKA_VERSION=4.4.0

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"

KAFKA_VERSION="${KAFKA_VERSION:-$DEFAULT_KAFKA_VERSION}"
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
CACHE_DIR="${ADUAN_CACHE_DIR:-$REPO_ROOT/.cache}"

KAFKA_HOME="$CACHE_DIR/kafka"
LIB_DIR="$KAFKA_HOME/lib"
DATA_DIR="$KAFKA_HOME/data"
LOG_DIR="$KAFKA_HOME/logs"
CONF_DIR="$KAFKA_HOME/config"
PID_FILE="$KAFKA_HOME/kafka.pid"
STAMP_FILE="$LIB_DIR/.kafka-version"

# First entry of the comma-separated bootstrap list, split into host and port.
FIRST_BROKER="${KAFKA_BROKERS%%,*}"
FIRST_BROKER="${FIRST_BROKER#*://}"
BROKER_HOST="${FIRST_BROKER%:*}"
BROKER_PORT="${FIRST_BROKER##*:}"
if [[ -z "$BROKER_HOST" || "$BROKER_HOST" == "$FIRST_BROKER" || ! "$BROKER_PORT" =~ ^[0-9]+$ ]]; then
  echo "kafka.sh: KAFKA_BROKERS must look like host:port (got '$KAFKA_BROKERS')" >&2
  exit 2
fi
CONTROLLER_PORT=$((BROKER_PORT + 1))

log() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null 2>&1 \
    || die "java not found on PATH. Kafka ${KAFKA_VERSION} needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)."
  local line major
  line="$(java -version 2>&1 | head -n 1)"
  major="$(sed -E 's/.*version "([0-9]+)(\.[0-9]+)?.*/\1/' <<<"$line")"
  if [[ "$major" == 1 ]]; then major=8; fi
  if [[ ! "$major" =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "Kafka ${KAFKA_VERSION} needs Java 17 or newer; found: $line"
  fi
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 \
    || die "mvn not found on PATH. Maven is needed once to fetch the Kafka jars (Debian: apt-get install maven), or run the broker in a container: docker compose -f tools/compose/dev-infra.yml up -d kafka."
}

jars_present() {
  [[ -f "$STAMP_FILE" && "$(cat "$STAMP_FILE")" == "$KAFKA_VERSION" && -f "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

cmd_install() {
  if jars_present; then
    log "jars for Kafka $KAFKA_VERSION already in $LIB_DIR"
    return 0
  fi
  require_java
  require_mvn
  log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies with Maven…"
  mkdir -p "$KAFKA_HOME"
  local tmp="$KAFKA_HOME/lib.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$tmp" >"$KAFKA_HOME/install.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$KAFKA_HOME/install.log" >&2
    die "Maven could not resolve Kafka $KAFKA_VERSION (is Maven Central reachable? does the version exist?)"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after resolve"; }
  printf '%s\n' "$KAFKA_VERSION" >"$tmp/.kafka-version"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "installed $(find "$LIB_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$LIB_DIR" | cut -f1)) into $LIB_DIR"
}

# --- probes ---------------------------------------------------------------------------------

# Succeeds when something accepts TCP connections on host:port.
port_open() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Succeeds when a Kafka broker on host:port answers a Metadata (v6) request listing >= 1 broker,
# i.e. it has joined the cluster and serves clients. Pure bash: no JVM start, a few ms.
# shellcheck disable=SC2016 # expanded by the inner shell
METADATA_PROBE='
  exec 3<>"/dev/tcp/$1/$2" || exit 1
  # size=26 | api_key=3 (Metadata) | api_version=6 | correlation_id=0x2a | client_id "aduan-ready"
  # | topics=[] (no topics, brokers only) | allow_auto_topic_creation=false
  printf "\x00\x00\x00\x1a\x00\x03\x00\x06\x00\x00\x00\x2a\x00\x0baduan-ready\x00\x00\x00\x00\x00" >&3
  # Reply: size(4) correlation_id(4) throttle_time_ms(4) brokers.length(4) …
  hex="$(head -c 16 <&3 | od -An -v -tx1 | tr -d " \n")"
  [[ ${#hex} -eq 32 && "${hex:8:8}" == 0000002a ]] || exit 1
  (( 16#${hex:24:8} >= 1 && 16#${hex:24:8} < 65536 ))
'
broker_ready() {
  timeout 5 bash -c "$METADATA_PROBE" _ "$1" "$2" 2>/dev/null
}

# PID of the broker started by this script from this cache folder, if it still runs
# (on whatever address it was started with: see started_addr).
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
    printf '%s\n' "$pid"
    return 0
  fi
  return 1
}

# --- configuration --------------------------------------------------------------------------

write_config() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
  cat >"$CONF_DIR/server.properties" <<EOF
# Generated by deploy/local/kafka.sh on each start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${BROKER_HOST}:${CONTROLLER_PORT}
listeners=PLAINTEXT://${BROKER_HOST}:${BROKER_PORT},CONTROLLER://${BROKER_HOST}:${CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://${BROKER_HOST}:${BROKER_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${DATA_DIR}

num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
EOF
  cat >"$CONF_DIR/log4j2.properties" <<EOF
# Generated by deploy/local/kafka.sh.
status = warn
name = aduan-kafka
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = ${LOG_DIR}/server.log
appender.file.filePattern = ${LOG_DIR}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = INFO
EOF
}

java_cmd() {
  # shellcheck disable=SC2206 # KAFKA_HEAP_OPTS is a list of JVM flags, word splitting intended
  local heap=($KAFKA_HEAP_OPTS)
  JAVA_CMD=(java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR"
    -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties"
    -cp "$LIB_DIR/*")
}

format_storage_once() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  # A Kafka cluster id is 16 random bytes in URL-safe base64 without padding (what
  # 'kafka-storage random-uuid' prints); made here to save a JVM start. Never starts with '-'.
  cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  java_cmd
  log "formatting storage in $DATA_DIR (cluster id $cluster_id)"
  "${JAVA_CMD[@]}" kafka.tools.StorageTool format --config "$CONF_DIR/server.properties" \
    --cluster-id "$cluster_id" --ignore-formatted >"$LOG_DIR/format.log" 2>&1 \
    || { cat "$LOG_DIR/format.log" >&2; die "formatting storage failed"; }
}

print_log_tail() {
  echo "---- last lines of $LOG_DIR/kafka.out ----" >&2
  tail -n 20 "$LOG_DIR/kafka.out" >&2 2>/dev/null || true
  echo "---- last lines of $LOG_DIR/server.log ----" >&2
  tail -n 25 "$LOG_DIR/server.log" >&2 2>/dev/null || true
}

# --- commands -------------------------------------------------------------------------------

# host:port the broker of this cache folder was last started with (server.properties is
# rewritten on every start, never while that broker runs).
started_addr() {
  sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$CONF_DIR/server.properties" 2>/dev/null | grep . || echo '?'
}

cmd_start() {
  local pid
  if pid="$(running_pid)" && [[ "$(started_addr)" != "$BROKER_HOST:$BROKER_PORT" ]]; then
    die "the broker of $KAFKA_HOME already runs (pid $pid) on $(started_addr); stop it first, or use another ADUAN_CACHE_DIR"
  fi
  if [[ -n "${pid:-}" ]]; then
    if broker_ready "$BROKER_HOST" "$BROKER_PORT"; then
      log "already running (pid $pid) on $BROKER_HOST:$BROKER_PORT"
      return 0
    fi
    log "already started (pid $pid), waiting until it serves"
  else
    if port_open "$BROKER_HOST" "$BROKER_PORT"; then
      die "something else already listens on $BROKER_HOST:$BROKER_PORT (use 'ensure' to reuse it)"
    fi
    require_java
    cmd_install
    write_config
    format_storage_once
    java_cmd
    log "starting Kafka $KAFKA_VERSION on $BROKER_HOST:$BROKER_PORT (controller :$CONTROLLER_PORT, heap: $KAFKA_HEAP_OPTS)"
    rm -f "$PID_FILE"
    # Own session so the broker outlives this shell; the child records its own PID, then execs java.
    # shellcheck disable=SC2016 # expanded by the inner shell
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
      "${JAVA_CMD[@]}" kafka.Kafka "$CONF_DIR/server.properties" \
      >"$LOG_DIR/kafka.out" 2>&1 </dev/null 9>&- &
    local _
    for _ in $(seq 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  fi

  local start=$SECONDS t0=${EPOCHREALTIME/[.,]/}
  while ((SECONDS - start < KAFKA_START_TIMEOUT)); do
    # On a busy machine the detached shell may write its PID after the 5 s above.
    [[ -n "$pid" ]] || pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      print_log_tail
      rm -f "$PID_FILE"
      die "the broker exited during startup"
    fi
    if port_open "$BROKER_HOST" "$BROKER_PORT" && broker_ready "$BROKER_HOST" "$BROKER_PORT"; then
      local ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
      log "ready on $BROKER_HOST:$BROKER_PORT (pid $pid, after $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s; logs in $LOG_DIR)"
      return 0
    fi
    sleep 0.25
  done
  print_log_tail
  die "the broker did not become ready within ${KAFKA_START_TIMEOUT} s (pid $pid still running; '$0 stop' to end it)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping pid $pid (SIGTERM, up to ${KAFKA_STOP_TIMEOUT} s)"
  kill -TERM "$pid" 2>/dev/null || true
  local start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS - start >= KAFKA_STOP_TIMEOUT)); then
      log "still running after ${KAFKA_STOP_TIMEOUT} s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.25
  done
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    local rss
    rss="$(awk '/^VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || true)"
    local addr host port
    addr="$(started_addr)"
    host="${addr%:*}" port="${addr##*:}"
    if broker_ready "$host" "$port"; then
      log "running: pid $pid, Kafka $(cat "$STAMP_FILE" 2>/dev/null || echo '?'), ready on $addr, RSS $rss"
      [[ "$addr" == "$BROKER_HOST:$BROKER_PORT" ]] || log "note: KAFKA_BROKERS points at $BROKER_HOST:$BROKER_PORT, not at this broker"
      return 0
    fi
    log "running: pid $pid, but not (yet) answering on $addr"
    return 1
  fi
  if broker_ready "$BROKER_HOST" "$BROKER_PORT"; then
    log "not started by this script, but a Kafka broker answers on $BROKER_HOST:$BROKER_PORT"
    return 0
  fi
  log "not running"
  return 3
}

cmd_ensure() {
  if ! port_open "$BROKER_HOST" "$BROKER_PORT"; then
    log "nothing listens on $BROKER_HOST:$BROKER_PORT, starting a local broker"
    cmd_start
    return
  fi
  local pid
  if pid="$(running_pid)" && [[ "$(started_addr)" == "$BROKER_HOST:$BROKER_PORT" ]]; then
    log "using the broker this script started (pid $pid) on $BROKER_HOST:$BROKER_PORT"
    cmd_start # returns at once when ready, else waits for it
    return
  fi
  log "using the existing listener on $BROKER_HOST:$BROKER_PORT (not started by this script)"
  local start=$SECONDS
  until broker_ready "$BROKER_HOST" "$BROKER_PORT"; do
    if ((SECONDS - start >= KAFKA_START_TIMEOUT)); then
      die "$BROKER_HOST:$BROKER_PORT accepts connections but does not answer as a Kafka broker (waited ${KAFKA_START_TIMEOUT} s)"
    fi
    sleep 0.5
  done
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA_DIR" "$LOG_DIR" "$CONF_DIR"
  log "deleted data and logs under $KAFKA_HOME (jars kept)"
}

# One command at a time per cache folder (e.g. parallel `ensure` from several test runs).
with_lock() {
  command -v flock >/dev/null 2>&1 || { "$@"; return; }
  mkdir -p "$KAFKA_HOME"
  exec 9>"$KAFKA_HOME/.lock"
  flock -w $((KAFKA_START_TIMEOUT + KAFKA_STOP_TIMEOUT + 120)) 9 || die "timed out waiting for another kafka.sh (lock $KAFKA_HOME/.lock)"
  "$@"
}

case "${1:-}" in
  install) with_lock cmd_install ;;
  start) with_lock cmd_start ;;
  stop) with_lock cmd_stop ;;
  status) cmd_status ;;
  ensure) with_lock cmd_ensure ;;
  reset) with_lock cmd_reset ;;
  *)
    echo "usage: $0 {install|start|stop|status|ensure|reset}" >&2
    exit 2
    ;;
esac
