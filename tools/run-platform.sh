#!/usr/bin/env bash
# run-platform.sh — `make run`'s last step: the whole platform on the demo database.
# Starts `envgov serve` (the web on $HTTP and the HJ 212 gateway on $HJ212), registers a few
# simulated devices and streams their data with `envgov sim` so the dashboard is alive, prints the
# addresses and the demo accounts, and stops both on Ctrl-C.
# usage: tools/run-platform.sh ENVGOV DB HTTP HJ212
set -euo pipefail
envgov=$1 db=$2 http=$3 hj212=$4
devices=20
mkdir -p "$(dirname "$db")"
csv="$(dirname "$db")/sim-devices.csv"
"$envgov" --db "$db" sim --devices "$devices" --devices-csv "$csv" >/dev/null
"$envgov" --db "$db" import devices "$csv" 2>/dev/null

"$envgov" --db "$db" serve --hj212 "$hj212" --http "$http" --static web/dist --quiet &
serve=$!
sim=
cleanup() {
    [ -n "$sim" ] && kill "$sim" 2>/dev/null || true
    kill -TERM "$serve" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 50); do # wait for the gateway to listen
    (exec 3<>"/dev/tcp/${hj212%:*}/${hj212##*:}") 2>/dev/null && break
    sleep 0.1
done
"$envgov" --db "$db" sim --devices "$devices" --to "$hj212" --duration 0 >/dev/null 2>&1 &
sim=$!

cat <<MSG

== envgov is running ==
  仪表盘 dashboard      http://$http/
  公开页 public page    http://$http/public
  API                   http://$http/api/openapi.json
  HJ 212 gateway        $hj212   ($devices simulated devices streaming: envgov device list)
  demo accounts         admin / envgov-admin-demo
                        air (staff, air) / envgov-air-demo
                        leader / envgov-leader-demo
  Ctrl-C stops everything.
MSG
wait "$serve"
