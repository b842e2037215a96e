#!/usr/bin/env bash
# Run every benchmark of the project (each prints its figures and its ratio to a baseline measured
# in the same run).  Usage: bench/run.sh [BUILD_DIR] [NAME…]   (make bench runs them all)
set -euo pipefail
build=${1:-build}
shift || true
cd "$(dirname "$0")/.."
ninja -C "$build" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u +%FT%TZ)"
exec meson test -C "$build" --benchmark --verbose --num-processes 1 "$@"
