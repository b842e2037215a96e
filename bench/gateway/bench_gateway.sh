#!/bin/sh
# bench_gateway.sh — end-to-end benchmark of the HJ 212 gateway (envgov serve) driven by envgov sim
# on loopback, every frame with Flag A (a 9014 only after the durable commit: WAL,
# synchronous = FULL).
#
#   1. memory per idle connection (DEVICES connections);
#   2. ack latency at 50,000 frames/s, devices writing 1 frame at a time and 10 at a time;
#   3. durably acknowledged frames/s when offered more than it can take (300,000 frames/s, at most
#      two writes' worth unanswered per device), 10 and 1 frames per write;
#   4. the same loads against ack_sink, a do-nothing server that answers every frame at once
#      (no parsing, no storage): the ceiling that loopback TCP and the simulator leave on this
#      machine, measured in the same run;
#   5. baseline: the naive durable receiver, one SQLite commit (fsync) per frame.
# Each load runs against a freshly started server (the database keeps growing), and prints the
# simulator's JSON plus the CPU time per frame of the server's loop thread, its writer thread and
# the simulator.  The load starts once every device has connected; SECONDS is each load's length.
# Usage: bench_gateway.sh ENVGOV [DEVICES] [SECONDS]
set -eu
ENVGOV=$1
N=${2:-10000}
SECS=${3:-10}
T=$(mktemp -d "${TMPDIR:-/tmp}/envgov-benchgw-XXXXXX")
SRV=
trap 'kill $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
ulimit -n "$(ulimit -Hn)"
SINK=$(dirname "$ENVGOV")/bench/gateway/ack_sink
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -sr)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$ENVGOV" sim --devices "$N" --devices-csv "$T/dev.csv" --mn-prefix BENCH
"$ENVGOV" --db "$T/gw.db" import devices "$T/dev.csv" 2>/dev/null

start() { # start the gateway (or, with "sink", ack_sink)
  rm -f "$T/port"
  if [ "${1:-}" = sink ]; then
    "$SINK" "$T/port" &
  else
    "$ENVGOV" --db "$T/gw.db" serve --hj212 127.0.0.1:0 --http off --port-file "$T/port" --quiet &
  fi
  SRV=$!
  while [ ! -s "$T/port" ]; do sleep 0.05; done
  P=$(cat "$T/port")
}
stop() {
  kill -TERM "$SRV"
  wait "$SRV" 2> /dev/null || true
  SRV=
}
# CPU ticks (user + sys) of the server's threads: the first thread is the loop (ack_sink has only
# that one); the writer thread is named envgov-writer.
ticks() { awk '{print $14 + $15}' "/proc/$SRV/task/$SRV/stat"; }
wticks() {
  for t in /proc/$SRV/task/*; do
    awk '$2 == "(envgov-writer)" {print $14 + $15}' "$t/stat"
  done | head -1
}
json() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$T/sim.json"; }

# load KEY LABEL [sink] SIM-ARGS…: one load against a fresh server; prints the simulator's JSON
# and the CPU microseconds per acknowledged frame; KEY's acks/s and p99 go to the summary
load() {
  key=$1
  label=$2
  shift 2
  kind=gw
  if [ "$1" = sink ]; then
    kind=sink
    shift
  fi
  start "$kind"
  "$ENVGOV" sim --devices "$N" --idle --duration 1 --to "127.0.0.1:$P" --mn-prefix BENCH \
    > /dev/null # warm: the first connects of a fresh server
  L0=$(ticks)
  W0=$( [ $kind = gw ] && wticks || echo 0)
  /usr/bin/time -f "%U %S" -o "$T/simcpu" "$ENVGOV" sim --devices "$N" "$@" --ack-all \
    --duration "$SECS" --to "127.0.0.1:$P" --mn-prefix BENCH --json > "$T/sim.json"
  L1=$(ticks)
  W1=$( [ $kind = gw ] && wticks || echo 0)
  stop
  A=$(json acked)
  echo "$key $(json acked_per_s) $(json ack_p99_ms)" >> "$T/summary"
  printf '%-34s %s\n' "$label" "$(cat "$T/sim.json")"
  awk -v a="$A" -v l=$((L1 - L0)) -v w=$((W1 - W0)) -v k="$kind" '
    NR == 1 { s = ($1 + $2) * 1e6 }
    END {
      if (a == 0) exit
      printf "%-34s CPU per acked frame: %s loop %.1f us, ", "", k, l * 1e4 / a
      if (k == "gw") printf "writer %.1f us, ", w * 1e4 / a
      printf "simulator %.1f us\n", s / a
    }' "$T/simcpu"
}

# 1. memory per idle connection
start
rss() { awk '/VmRSS/ {print $2}' "/proc/$SRV/status"; }
R0=$(rss)
"$ENVGOV" sim --devices "$N" --idle --duration 6 --to "127.0.0.1:$P" --mn-prefix BENCH > /dev/null &
SIM=$!
while [ "$(ls "/proc/$SRV/fd" | wc -l)" -lt "$N" ]; do sleep 0.2; done
sleep 2
R1=$(rss)
CONNS=$(ls "/proc/$SRV/fd" | wc -l)
wait $SIM
stop
echo "idle: $N connections (server fds $CONNS): RSS $R0 kB -> $R1 kB =" \
  "$(( (R1 - R0) * 1024 / N )) bytes per connection"

# 2. latency at 50,000 frames/s; 3. throughput when overloaded
echo "gateway, $N connections, ${SECS} s per load:"
load lat10 "latency 50k/s, 10 frames/write" --rate 50000 --burst 10 --window 20
load lat1 "latency 50k/s, 1 frame/write" --rate 50000 --burst 1 --window 20
load max10 "overload 300k/s, 10 frames/write" --rate 300000 --burst 10 --window 20
load max1 "overload 300k/s, 1 frame/write" --rate 300000 --burst 1 --window 2
echo "stored values (device list): $("$ENVGOV" --db "$T/gw.db" device list --format csv |
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "values") c = i; next } { s += $c }
           END { print s }')"

# 4. the ceiling: the same loads against a server that does nothing
if [ -x "$SINK" ]; then
  echo "ack_sink (no parsing, no storage), $N connections:"
  load slat10 "sink 50k/s, 10 frames/write" sink --rate 50000 --burst 10 --window 20
  load slat1 "sink 50k/s, 1 frame/write" sink --rate 50000 --burst 1 --window 20
  load smax10 "sink 300k/s, 10 frames/write" sink --rate 300000 --burst 10 --window 20
  load smax1 "sink 300k/s, 1 frame/write" sink --rate 300000 --burst 1 --window 2
fi

# 5. baseline: the naive durable receiver, one commit (fsync) per frame
B=2000
{ echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  echo "CREATE TABLE r(mn TEXT, cn INT, t INT, v BLOB, PRIMARY KEY(mn,cn,t)) WITHOUT ROWID;"
  i=0; while [ $i -lt $B ]; do echo "INSERT INTO r VALUES('BENCH000001',2011,$i,zeroblob(150));"; i=$((i+1)); done
} > "$T/naive.sql"
S0=$(date +%s%N); sqlite3 "$T/naive.db" < "$T/naive.sql" > /dev/null; S1=$(date +%s%N)
BASE=$(( B * 1000000000 / (S1 - S0) ))
echo "baseline: one durable commit per frame: $BASE frames/s"

# the issue's targets
echo "idle $(( (R1 - R0) * 1024 / N ))" >> "$T/summary"
awk -v base="$BASE" -v n="$N" '
  { v[$1] = $2; p[$1] = $3 }
  function met(ok) { return ok ? "met" : "NOT met" }
  function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "-" }
  END {
    print "summary (" n " connections; targets of the gateway issue):"
    printf "  durably acked frames/s, overloaded, 10 frames/write: %.0f (target >= 100000: %s);" \
      " %s the naive durable receiver, %s the do-nothing sink\n", v["max10"],
      met(v["max10"] >= 100000), ratio(v["max10"], base), ratio(v["max10"], v["smax10"])
    printf "  durably acked frames/s, overloaded, 1 frame/write: %.0f (%s the sink: %.0f)\n",
      v["max1"], ratio(v["max1"], v["smax1"]), v["smax1"]
    printf "  ack p99 at 50,000 frames/s, 10 frames/write: %.1f ms (target <= 50: %s; sink %.1f ms)\n",
      p["lat10"], met(p["lat10"] <= 50), p["slat10"]
    printf "  ack p99 at 50,000 frames/s, 1 frame/write: %.1f ms (sink %.1f ms)\n", p["lat1"],
      p["slat1"]
    printf "  memory per idle connection: %d bytes (target <= 8192: %s)\n", v["idle"],
      met(v["idle"] <= 8192)
  }' "$T/summary"
