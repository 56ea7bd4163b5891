#!/usr/bin/env bash
# bench/compare.sh — Herald and Postfix side by side on this machine (issue 7).
#
# Starts an smtp-sink (the final destination), a dnsmasq (Herald's [dns] server), a throw-away Postfix relaying
# everything to the sink and Herald relaying everything to the sink, then runs the same workloads through each,
# alternating, for several rounds: smtp-source for throughput, then bench/LatencyClient.java for the latency of the
# reply to the final dot. Writes bench/results/<stamp>.md and .csv and prints the table. See bench/README.md.
#
# Bounded in time (TIME_LIMIT seconds for everything); stops everything it started on exit, however it exits.
# Run as root (Postfix's master must start as root). Settings, all optional (defaults in brackets):
#   QUICK=1            1 round, 1000 messages, 500 latency probes, 180 s limit (a check that everything works)
#   ROUNDS [3]  COUNT [10000] COUNT_LARGE [3000] (messages a run at 100 KB)  LATENCY_COUNT [1000]
#   SIZES [5 100] (KB)  SESSIONS [20 200]  SERVERS ["postfix herald"]  WARMUP [2000]  TIME_LIMIT [900]
#   BENCH_WORK [a new /var/tmp/herald-bench.XXXXXX]  KEEP_WORK=1 (keep logs and queues)  POSTFIX_MAIN_EXTRA (lines for main.cf)
#   HERALD [./herald] (the launcher to run as "$HERALD serve --config FILE")  HERALD_JAVA_OPTS (passed on by ./herald)  JAVA_HOME (JDK for the latency client) [/usr/lib/jvm/temurin-25-jdk-amd64]
set -euo pipefail
set -m # every background job gets its own process group, so cleanup can stop a job and all its children

BENCH="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO="$(dirname "$BENCH")"
COMMAND_LINE="$0 $*"

if [ "${QUICK:-0}" = 1 ]; then
  : "${ROUNDS:=1}" "${COUNT:=1000}" "${COUNT_LARGE:=1000}" "${LATENCY_COUNT:=500}" "${WARMUP:=500}" "${TIME_LIMIT:=180}"
fi
ROUNDS=${ROUNDS:-3}
COUNT=${COUNT:-10000}
COUNT_LARGE=${COUNT_LARGE:-3000}
LATENCY_COUNT=${LATENCY_COUNT:-1000}
WARMUP=${WARMUP:-2000}
TIME_LIMIT=${TIME_LIMIT:-900}
SIZES=${SIZES:-5 100}
SESSIONS=${SESSIONS:-20 200}
SERVERS=${SERVERS:-postfix herald}
STEP_LIMIT=${STEP_LIMIT:-300}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HERALD=${HERALD:-$REPO/herald}

log() { printf '%s compare.sh: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: Postfix's master must start as root (and smtp-sink then runs as nobody)"
for server in $SERVERS; do
  case "$server" in postfix|herald) ;; *) die "SERVERS may name postfix and herald, not '$server'" ;; esac
done

# ---------------------------------------------------------------- cleanup, whatever happens
JOBS=()          # process group ids of everything started in the background
POSTFIX_CONF=""  # set once the Postfix instance is configured
WORK=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  disown -a 2>/dev/null # no "Terminated" notices for the jobs stopped below
  if [ -n "$POSTFIX_CONF" ] && [ -f "$WORK/postfix/queue/pid/master.pid" ]; then
    /usr/sbin/postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1
  fi
  for job in "${JOBS[@]}"; do kill -TERM -- "-$job" 2>/dev/null; done
  local waited=0
  while [ $waited -lt 50 ]; do
    local alive=0
    for job in "${JOBS[@]}"; do kill -0 -- "-$job" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1; waited=$((waited + 1))
  done
  for job in "${JOBS[@]}"; do kill -KILL -- "-$job" 2>/dev/null; done
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "${KEEP_WORK:-0}" = 1 ] || [ $rc -ne 0 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'log "stopped (signal or the ${TIME_LIMIT}s time limit)"; exit 124' INT TERM

# Runs a command in the background, remembered for cleanup; waiting on it with `wait` keeps signals prompt.
spawn() { "$@" & JOBS+=("$!"); }

( sleep "$TIME_LIMIT"; kill -TERM $$ 2>/dev/null ) &
JOBS+=("$!")

# ---------------------------------------------------------------- tools
install_missing() {
  local missing=0
  for tool in /usr/sbin/postfix /usr/sbin/smtp-source /usr/sbin/smtp-sink /usr/sbin/dnsmasq; do
    [ -x "$tool" ] || missing=1
  done
  [ $missing = 0 ] && return 0
  log "installing postfix and dnsmasq-base from Debian's packages"
  command -v apt-get >/dev/null || die "postfix, smtp-source, smtp-sink or dnsmasq is missing and there is no apt-get"
  apt-get update -qq
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postfix dnsmasq-base >/dev/null
}
install_missing
[ -x "$JAVA_HOME/bin/java" ] || die "no JDK at $JAVA_HOME (set JAVA_HOME to a JDK 21 or newer)"
command -v python3 >/dev/null || die "python3 is needed for the measurements"

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=${BENCH_WORK:-$(mktemp -d /var/tmp/herald-bench.XXXXXX)}
mkdir -p "$WORK"
chmod 755 "$WORK"
log "work directory $WORK ($(df -PT "$WORK" | awk 'NR==2 {print $2}') on $(df -P "$WORK" | awk 'NR==2 {print $1}'))"

"$JAVA_HOME/bin/javac" -d "$WORK/classes" "$BENCH/LatencyClient.java"

free_port() { # a free TCP port on the given loopback address
  python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$1"
}

await_port() { # ip port seconds pid-to-watch
  local deadline=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt $deadline ]; do
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then return 1; fi
    if python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.5).close()' "$1" "$2" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

if [[ " $SERVERS " == *" herald "* ]]; then
  # Built before anything starts, so that a build (minutes on a fresh clone) is not counted in the 60 s start-up.
  log "building Herald if its sources changed ($HERALD --help)"
  ( cd "$REPO" && "$HERALD" --help >"$WORK/herald-build.out" 2>&1 ) \
    || die "$HERALD could not be built or run:$(printf '\n'; tail -30 "$WORK/herald-build.out")"
fi

# ---------------------------------------------------------------- the sink and the DNS server
SINK_PORT=$(free_port 127.0.0.1)
SINK_COUNTER="$WORK/sink.counter"
# -c prints "sess=N quit=N mesg=N" at every final dot: the running count tells when the last message arrived.
spawn /usr/sbin/smtp-sink -u nobody -c -h sink.bench.test "127.0.0.1:$SINK_PORT" 1024 >"$SINK_COUNTER" 2>"$WORK/sink.err"
SINK_PID=${JOBS[-1]}
await_port 127.0.0.1 "$SINK_PORT" 10 "$SINK_PID" || die "smtp-sink did not start: $(cat "$WORK/sink.err")"

DNS_PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/dnsmasq.conf" <<EOF
keep-in-foreground
no-resolv
no-hosts
bind-interfaces
listen-address=127.0.0.1
port=$DNS_PORT
local=/test/
pid-file=
user=root
log-facility=$WORK/dnsmasq.log
mx-host=dest.bench.test,mx.dest.bench.test,10
host-record=mx.dest.bench.test,127.0.0.1
EOF
spawn /usr/sbin/dnsmasq --conf-file="$WORK/dnsmasq.conf" >"$WORK/dnsmasq.out" 2>&1
sleep 0.3
kill -0 "${JOBS[-1]}" 2>/dev/null || die "dnsmasq did not start: $(cat "$WORK/dnsmasq.out")"

# ---------------------------------------------------------------- Postfix
POSTFIX_IP=127.0.0.71
start_postfix() {
  local dir="$WORK/postfix"
  POSTFIX_PORT=$(free_port $POSTFIX_IP)
  mkdir -p "$dir/conf" "$dir/queue" "$dir/data"
  chown postfix:postfix "$dir/data"
  # inet_interfaces must name an address some interface carries (127.0.0.1); the service line binds 127.0.0.71.
  cat >"$dir/conf/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $dir/conf
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = postfix.bench.test
myorigin = \$myhostname
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PORT
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtp_tls_security_level = none
smtpd_tls_security_level = none
# Raised so that Postfix's defaults (20 per destination, 100 processes) do not hold it back.
default_destination_concurrency_limit = 200
smtp_destination_concurrency_limit = 200
initial_destination_concurrency = 20
default_process_limit = 500
${POSTFIX_MAIN_EXTRA:-}
EOF
  {
    echo "$POSTFIX_IP:$POSTFIX_PORT inet n - n - - smtpd"
    cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  } >"$dir/conf/master.cf"
  POSTFIX_CONF="$dir/conf"
  # Postfix prints its errors only on a terminal: script(1) gives it one.
  if ! script -qec "/usr/sbin/postfix -c '$POSTFIX_CONF' start" /dev/null >"$WORK/postfix-start.out" 2>&1; then
    die "postfix did not start:$(printf '\n'; cat "$WORK/postfix-start.out"; cat "$dir/maillog" 2>/dev/null)"
  fi
  await_port $POSTFIX_IP "$POSTFIX_PORT" 20 || die "postfix does not listen on $POSTFIX_IP:$POSTFIX_PORT: $(cat "$dir/maillog")"
  log "postfix $(/usr/sbin/postconf -c "$POSTFIX_CONF" -h mail_version) listening on $POSTFIX_IP:$POSTFIX_PORT, relaying to [127.0.0.1]:$SINK_PORT"
}

# ---------------------------------------------------------------- Herald
start_herald() {
  HERALD_PORT=$(free_port 127.0.0.1)
  cat >"$WORK/herald.toml" <<EOF
hostname = "herald.bench.test"
data_dir = "$WORK/herald-data"
[smtp]
listen = ["127.0.0.1:$HERALD_PORT"]
max_recipients = 1000
# Postfix exempts \$mynetworks from its per-client limits (smtpd_client_event_limit_exceptions): so does this.
[access]
allow = ["127.0.0.0/8"]
max_connections = 2000
max_connections_per_ip = 2000
max_commands_per_session = 1000000
[dns]
servers = ["127.0.0.1:$DNS_PORT"]
[[relay]]
host = "127.0.0.1"
port = $SINK_PORT
tls = "none"
[domains.default]
direct_attempts = 0
relay_attempts = 3
max_connections = ${HERALD_MAX_CONNECTIONS:-50}
max_continuous = 1000000
EOF
  ( cd "$REPO" && exec "$HERALD" serve --config "$WORK/herald.toml" ) >"$WORK/herald.out" 2>&1 &
  JOBS+=("$!")
  HERALD_PID=$!
  if ! await_port 127.0.0.1 "$HERALD_PORT" 60 "$HERALD_PID"; then
    die "$HERALD serve did not accept connections on 127.0.0.1:$HERALD_PORT within 60 s$(kill -0 "$HERALD_PID" 2>/dev/null || echo " (it exited)"); its output:$(printf '\n'; tail -40 "$WORK/herald.out")"
  fi
  log "herald listening on 127.0.0.1:$HERALD_PORT (pid $HERALD_PID), relaying to 127.0.0.1:$SINK_PORT"
}

for server in $SERVERS; do "start_$server"; done

# ---------------------------------------------------------------- runs
ROWS="$WORK/rows.csv"
: >"$ROWS"
measure() { # round server sessions count size_kb latency_count
  local target pid
  case "$2" in
    postfix) target="$POSTFIX_IP:$POSTFIX_PORT"; pid="pidfile:$WORK/postfix/queue/pid/master.pid" ;;
    herald) target="127.0.0.1:$HERALD_PORT"; pid="pid:$HERALD_PID" ;;
  esac
  local out="$WORK/run.out"
  spawn python3 "$BENCH/measure.py" run --round "$1" --server "$2" --server-pid "$pid" --target "$target" \
    --sessions "$3" --count "$4" --size $(( $5 * 1024 )) --latency-count "$6" --sink-counter "$SINK_COUNTER" \
    --java "$JAVA_HOME/bin/java" --latency-classes "$WORK/classes" --limit "$STEP_LIMIT" >"$out" 2>"$WORK/run.err"
  local rc=0
  wait "${JOBS[-1]}" || rc=$?
  unset 'JOBS[-1]' # finished: its pid may be reused by a stranger, never signal it again
  [ -s "$out" ] || die "measurement of $2 failed (exit $rc): $(cat "$WORK/run.err")"
  if [ "$1" != warmup ]; then cat "$out" >>"$ROWS"; fi
  log "  $2 $5 KB x $4, $3 sessions: $(python3 -c 'import csv,sys; r=next(csv.reader(open(sys.argv[1]))); print(f"accepted {r[5]}/s, end to end {r[6]}/s, p50 {r[7]} ms, p99 {r[8]} ms, {r[9]} MB, {r[11]} CPU s/1000" + (f" ({r[13]})" if r[13] else ""))' "$out")"
}

for server in $SERVERS; do
  log "warm-up: $server"
  measure warmup "$server" 20 "$WARMUP" 5 0
done

order=($SERVERS)
LONGEST_ROUND=0
ROUNDS_DONE=0
for round in $(seq 1 "$ROUNDS"); do
  # Stop early, with a report, rather than be killed by the time limit in the middle of a round.
  if [ $(( SECONDS + LONGEST_ROUND + 30 )) -gt "$TIME_LIMIT" ]; then
    log "not enough time left for round $round (the longest took ${LONGEST_ROUND}s): reporting $ROUNDS_DONE round(s)"
    break
  fi
  round_started=$SECONDS
  for size in $SIZES; do
    count=$COUNT
    [ "$size" -ge 100 ] && count=$COUNT_LARGE
    for sessions in $SESSIONS; do
      log "round $round: ${size} KB, $sessions sessions, $count messages"
      for server in "${order[@]}"; do
        measure "$round" "$server" "$sessions" "$count" "$size" "$LATENCY_COUNT"
      done
    done
  done
  # Alternate which server goes first, so that neither always runs on a warmer (or more fragmented) disk.
  order=($(printf '%s\n' "${order[@]}" | tac))
  ROUNDS_DONE=$round
  LONGEST_ROUND=$(( SECONDS - round_started > LONGEST_ROUND ? SECONDS - round_started : LONGEST_ROUND ))
done

# ---------------------------------------------------------------- report
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH/results"
{
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`$COMMAND_LINE\` with ROUNDS=$ROUNDS (done: $ROUNDS_DONE) COUNT=$COUNT COUNT_LARGE=$COUNT_LARGE LATENCY_COUNT=$LATENCY_COUNT SIZES=\"$SIZES\" SESSIONS=\"$SESSIONS\" SERVERS=\"$SERVERS\"$([ "${QUICK:-0}" = 1 ] && echo " (QUICK=1)")"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) memory, work directory on $(df -PT "$WORK" | awk 'NR==2 {print $2}') ($(df -P "$WORK" | awk 'NR==2 {print $1}')), kernel $(uname -r)"
  echo "- load average (1, 5, 15 min) at the start: $LOAD_AT_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores: other work on the machine shows in every figure, so compare the ratios of one run, not figures of different runs)"
  echo "- Java (Herald): $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); Postfix $(/usr/sbin/postconf -c "$POSTFIX_CONF" -h mail_version 2>/dev/null || echo "(not run)"), fsync on (always); smtp-source -d (several messages a session); sink: smtp-sink on 127.0.0.1"
  echo "- latency: reply to the final dot, measured by bench/LatencyClient.java with the same sessions after each throughput run; memory: peak of the summed PSS of the server's processes, sampled every second; CPU: utime+stime of the server's processes (and of the daemons they reaped) during the throughput run"
} >"$WORK/header.md"
python3 "$BENCH/measure.py" report --rows "$ROWS" --md "$BENCH/results/$STAMP.md" --csv "$BENCH/results/$STAMP.csv" \
  --stamp "$STAMP" --header "$WORK/header.md"
log "written: bench/results/$STAMP.md and bench/results/$STAMP.csv"
