#!/bin/sh
# run.sh — browser tests of the dashboard in headless Chromium (Debian's `chromium`), driven by
# playwright-core (npm, web/node_modules) with the system browser.  Starts `envgov web` on an
# ephemeral loopback port over a fresh demo database, then runs browser.mjs.  Screenshots are
# kept in OUT_DIR as test artefacts.  Exit 77 (skipped) when chromium, node or playwright-core
# is missing.  Usage: run.sh ENVGOV SOURCE_ROOT OUT_DIR
set -eu
ENVGOV=$1 SRC=$2 OUT=$3
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "skip: no $CHROMIUM (apt-get install chromium)"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "skip: no node"; exit 77; }
[ -d "$SRC/web/node_modules/playwright-core" ] && [ -d "$SRC/web/node_modules/echarts" ] ||
  { echo "skip: run npm ci in web/ first (make web)"; exit 77; }
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/envgov-browser-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
node "$SRC/web/build.mjs" "$TMP/web" >/dev/null
DB=$TMP/demo.db
"$ENVGOV" --db "$DB" import stations "$SRC/tests/data/stations/stations_2022.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" import cnemc "$SRC"/tests/data/cnemc/china_sites_2023012*.csv >/dev/null 2>&1
# water, enterprises and work: the demo data (data/demo/)
"$ENVGOV" --db "$DB" import points "$SRC/data/demo/points.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" import samples "$SRC/data/demo/samples_2021.csv" "$SRC/data/demo/samples_2022.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" import enterprises "$SRC/data/demo/supervision/enterprises.csv" >/dev/null 2>&1
"$ENVGOV" --db "$DB" work import "$SRC/data/demo/supervision/ledger.csv" >/dev/null 2>&1
echo 'staffpassword1' | "$ENVGOV" --db "$DB" user add airstaff --role staff --department air 2>/dev/null
"$ENVGOV" --db "$DB" web --http 127.0.0.1:0 --port-file "$TMP/port" --static "$TMP/web" \
  2>"$OUT/server.log" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$TMP/port" ] || { echo "the server did not start"; cat "$OUT/server.log"; exit 1; }
PORT=$(cat "$TMP/port")
cd "$SRC/web"
WEB_DIR="$SRC/web" CHROMIUM=$CHROMIUM BASE="http://127.0.0.1:$PORT" OUT="$OUT" PROFILE="$TMP/profile" \
  node "$SRC/tests/browser/browser.mjs"
