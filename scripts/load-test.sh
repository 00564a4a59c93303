#!/usr/bin/env bash
# Load test of `dyad serve` on a synthetic store (default 1,000,000 events, made once by
# `dyad store-bench`): wrk with 50 connections for SECONDS per endpoint, on the dashboard's
# requests (scripts/load/*.lua), with the answer cache on (as served) and off (every
# answer computed by SQLite). With the cache, each distinct request is first asked once
# (its cold time printed), then the measured run repeats them. Bounded: each wrk run
# stops after its duration.
# Usage: scripts/load-test.sh [DB] [SECONDS]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-target/load/store-1m.db}
seconds=${2:-30}
bin=${DYAD_BIN:-target/release/dyad}
[ -x "$bin" ] || nice cargo build --release -q -p dyad
if [ ! -f "$db" ]; then
    mkdir -p "$(dirname "$db")"
    "$bin" store-bench --db "$db" --events 1000000
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for mode in cache no-cache; do
    flag=(); [ "$mode" = no-cache ] && flag=(--no-cache)
    "$bin" serve --db "$db" --addr "127.0.0.1:$port" "${flag[@]}" 2>/dev/null &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.5; done
    for endpoint in series events; do
        if [ "$mode" = cache ]; then
            grep -o '"/api[^"]*"' "scripts/load/$endpoint.lua" | tr -d '"' |
                while read -r u; do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port$u"; done |
                sort -n | awk '{t[NR]=$1} END {printf "   cold, once each: %d requests, median %.3f s, max %.3f s\n", NR, t[int((NR+1)/2)], t[NR]}'
        fi
        echo "== /api/$endpoint, answer cache: $mode, 50 connections, ${seconds}s"
        wrk -t2 -c50 -d"${seconds}s" --timeout 10s --latency -s "scripts/load/$endpoint.lua" "http://127.0.0.1:$port" |
            grep -E "Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx|Socket errors"
    done
    echo "   server peak memory: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MiB"}')"
    kill "$server"; wait "$server" 2>/dev/null || true
done
