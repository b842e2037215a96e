#!/bin/sh
# bench_gateway.sh — end-to-end benchmark of the HJ 212 gateway (envgov serve) driven by
# envgov sim on loopback: memory per idle connection, durable acknowledged frames/s with 10,000
# device connections, and the ack latency at 50,000 frames/s, with the CPU time of the server's
# threads and of the simulator; the simulator against a do-nothing sink; baseline measured in the
# same run: the naive durable receiver (one SQLite commit with fsync per frame, WAL,
# synchronous=FULL).
# Usage: bench_gateway.sh ENVGOV [DEVICES] [SECONDS]
set -eu
ENVGOV=$1
N=${2:-10000}
SECS=${3:-10}
T=$(mktemp -d "${TMPDIR:-/tmp}/envgov-benchgw-XXXXXX")
trap 'kill $SRV 2>/dev/null || true; rm -rf "$T"' EXIT
ulimit -n "$(ulimit -Hn)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -sr)"
"$ENVGOV" sim --devices "$N" --devices-csv "$T/dev.csv" --mn-prefix BENCH
"$ENVGOV" --db "$T/gw.db" import devices "$T/dev.csv" 2>/dev/null
"$ENVGOV" --db "$T/gw.db" serve --hj212 127.0.0.1:0 --port-file "$T/port" --quiet &
SRV=$!
while [ ! -s "$T/port" ]; do sleep 0.05; done
P=$(cat "$T/port")
rss() { awk '/VmRSS/ {print $2}' "/proc/$SRV/status"; }

# 1. memory per idle connection
R0=$(rss)
"$ENVGOV" sim --devices "$N" --idle --duration 8 --to "127.0.0.1:$P" --mn-prefix BENCH > /dev/null &
SIM=$!
sleep 6
R1=$(rss)
CONNS=$(ls /proc/$SRV/fd | wc -l)
wait $SIM
echo "idle: $N connections (server fds $CONNS): RSS $R0 kB -> $R1 kB = $(( (R1 - R0) * 1024 / N )) bytes per connection"

# CPU seconds (user+sys) used by each server thread (the first is the loop, then the writer and libuv's
# helpers), so that the loop's and the writer's costs per frame can be told apart.
cpu() { for t in /proc/$SRV/task/*; do awk '{printf "%s:%.2fu+%.2fs ", $2, $14/100, $15/100}' "$t/stat"; done; }
TIMEFMT="sim CPU: %U s user + %S s sys, %e s wall"

# 2. throughput: as fast as it goes, every frame with Flag A (9014 after the durable commit)
echo "load: $N connections, offered 200000 frames/s, ${SECS} s"
echo "server CPU before: $(cpu)"
/usr/bin/time -f "$TIMEFMT" "$ENVGOV" sim --devices "$N" --rate 200000 --ack-all --duration "$SECS" --to "127.0.0.1:$P" --mn-prefix BENCH --json
echo "server CPU after:  $(cpu)"
# 3. latency at 50,000 frames/s
echo "load: $N connections, 50000 frames/s, ${SECS} s"
/usr/bin/time -f "$TIMEFMT" "$ENVGOV" sim --devices "$N" --rate 50000 --ack-all --duration "$SECS" --to "127.0.0.1:$P" --mn-prefix BENCH --json
echo "server CPU after:  $(cpu)"
kill -TERM $SRV; wait $SRV || true
SRV=
echo "stored values: $("$ENVGOV" --db "$T/gw.db" data export --format ndjson | wc -l)"

# 4. the simulator alone: the same load against a sink that answers every frame at once and
# stores nothing (bench/gateway/ack_sink.c) — the ceiling of any measurement on this machine
SINK=$(dirname "$ENVGOV")/bench/gateway/ack_sink
if [ -x "$SINK" ]; then
  rm -f "$T/sport"; "$SINK" "$T/sport" & SK=$!
  while [ ! -s "$T/sport" ]; do sleep 0.05; done
  echo "sink: $N connections, offered 200000 frames/s, ${SECS} s (no gateway, no storage)"
  /usr/bin/time -f "$TIMEFMT" "$ENVGOV" sim --devices "$N" --rate 200000 --ack-all --duration "$SECS" --to "127.0.0.1:$(cat "$T/sport")" --mn-prefix BENCH --json
  kill $SK; wait $SK 2>/dev/null || true
fi

# 5. baseline: the naive durable receiver, one commit (fsync) per frame
B=2000
{ echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  echo "CREATE TABLE r(mn TEXT, cn INT, t INT, v BLOB, PRIMARY KEY(mn,cn,t)) WITHOUT ROWID;"
  i=0; while [ $i -lt $B ]; do echo "INSERT INTO r VALUES('BENCH000001',2011,$i,zeroblob(150));"; i=$((i+1)); done
} > "$T/naive.sql"
S0=$(date +%s%N); sqlite3 "$T/naive.db" < "$T/naive.sql" > /dev/null; S1=$(date +%s%N)
echo "baseline: one durable commit per frame: $(( B * 1000000000 / (S1 - S0) )) frames/s"
