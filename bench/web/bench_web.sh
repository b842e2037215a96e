#!/bin/sh
# bench_web.sh — the dashboard's API endpoints under wrk on the demo database (the real CNEMC
# sample): requests/s and p99 latency of `envgov web` as configured for use (answer cache on),
# against two baselines measured in the same run: the same endpoints with the cache off (every
# request evaluates from the store), and a static file.  Target (issue 6): >= 1,000 requests/s at
# p99 <= 20 ms on the 2-core machine.  Also the home page's three tiles (devices offline, alarms,
# overdue work: /api/devices, /api/alarms, /api/work?overdue=1, which depend on the account and
# are never cached) over the demo supervision ledger.  Exits 77 (skipped) without wrk.
# Usage: bench_web.sh ENVGOV SOURCE_ROOT WORK_DIR [SECONDS]
set -eu
ENVGOV=$1 SRC=$2 WORK=$3 SECS=${4:-10}
command -v wrk >/dev/null 2>&1 || { echo "skip: no wrk (apt-get install wrk)"; exit 77; }
mkdir -p "$WORK"
DB=$WORK/bench-web.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$ENVGOV" --db "$DB" import stations "$SRC/tests/data/stations/stations_2022.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" import cnemc "$SRC"/tests/data/cnemc/china_sites_2023012*.csv >/dev/null 2>&1
"$ENVGOV" --db "$DB" import enterprises "$SRC/data/demo/supervision/enterprises.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" work import "$SRC/data/demo/supervision/ledger.csv" >/dev/null 2>&1
echo 'benchpassword1' | "$ENVGOV" --db "$DB" user add bench --role leader 2>/dev/null
TOKEN=$("$ENVGOV" --db "$DB" token new bench --label bench)
STATIC=$WORK/static
mkdir -p "$STATIC"
printf '<!doctype html><title>envgov</title>\n' > "$STATIC/index.html"
cat > "$WORK/paths.lua" <<'LUA'
-- round-robin over the home and air pages' API calls (盘锦 = %E7%9B%98%E9%94%A6)
local c = "%E7%9B%98%E9%94%A6"
paths = {
  "/api/air/now?city=" .. c,
  "/api/air/hourly?by=city&city=" .. c .. "&from=2023-01-22&to=2023-01-23",
  "/api/air/daily?by=city&city=" .. c .. "&from=2022-12-25&to=2023-01-23",
  "/api/air/annual?by=city&city=" .. c .. "&year=2023",
  "/api/air/rank?year=2023&city=%E6%B2%88%E9%98%B3,%E5%A4%A7%E8%BF%9E," .. c,
  "/api/air/stations?city=" .. c,
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") })
end
LUA
cat > "$WORK/tiles.lua" <<'LUA'
-- the home page's tiles: devices (offline count), alarms of the last 7 days, overdue work
paths = { "/api/devices", "/api/alarms?limit=1", "/api/work?overdue=1&limit=1" }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") })
end
LUA
PID=
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; PID=; }
trap stop EXIT INT TERM
start() { # cache-ms
  rm -f "$WORK/port"
  "$ENVGOV" --db "$DB" web --http 127.0.0.1:0 --port-file "$WORK/port" --static "$STATIC" \
    --cache-ms "$1" 2>>"$WORK/server.log" &
  PID=$!
  i=0
  while [ ! -s "$WORK/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  PORT=$(cat "$WORK/port")
}
# wrk: 2 threads, 8 connections (saturating: every figure is the most the server gave); prints "name req/s p99_ms"
run() { # name url [script]
  out=$(TOKEN=$TOKEN wrk -t2 -c8 -d"${SECS}s" --latency ${3:+-s "$3"} "$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '%-34s %10s req/s   p99 %8s ms%s\n' "$1" "$rps" "$p99" "${non2xx:+   non-2xx: $non2xx}"
  eval "RPS_$4=\$rps"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
start 0
run "baseline: static file" "http://127.0.0.1:$PORT/index.html" "" static
run "baseline: air API, cache off" "http://127.0.0.1:$PORT" "$WORK/paths.lua" uncached
stop
start 2000
run "air API, cache on (as deployed)" "http://127.0.0.1:$PORT" "$WORK/paths.lua" cached
run "home tiles (never cached)" "http://127.0.0.1:$PORT" "$WORK/tiles.lua" tiles
# the same while the HJ 212 gateway ingests 1,000 frames/s into the same database (when built)
if "$ENVGOV" help 2>/dev/null | grep -q '^  sim '; then
  "$ENVGOV" --db "$DB" sim --devices 100 --devices-csv "$WORK/devices.csv" >/dev/null 2>&1 &&
    "$ENVGOV" --db "$DB" import devices "$WORK/devices.csv" >/dev/null 2>&1
  rm -f "$WORK/gw-port"
  "$ENVGOV" --db "$DB" serve --hj212 127.0.0.1:0 --port-file "$WORK/gw-port" --quiet \
    2>>"$WORK/gateway.log" &
  GW=$!
  i=0
  while [ ! -s "$WORK/gw-port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  "$ENVGOV" sim --devices 100 --rate 1000 --duration $((2 * SECS + 6)) \
    --to "127.0.0.1:$(cat "$WORK/gw-port")" --json > "$WORK/sim.json" 2>&1 &
  SIM=$!
  sleep 2
  run "air API, cache on, + gateway 1k fr/s" "http://127.0.0.1:$PORT" "$WORK/paths.lua" ingest
  run "home tiles, + gateway 1k fr/s" "http://127.0.0.1:$PORT" "$WORK/tiles.lua" tiles_ingest
  wait "$SIM" || true
  kill "$GW" 2>/dev/null; wait "$GW" 2>/dev/null || true
  echo "gateway during the run: $(cat "$WORK/sim.json" | head -c 400)"
fi
stop
awk -v c="$RPS_cached" -v u="$RPS_uncached" -v s="$RPS_static" 'BEGIN {
  printf "ratio: cache on / cache off = %.1fx; cache on / static file = %.2f\n", c / u, c / s }'
