#!/usr/bin/env bash
# Load test of `dyad serve` on a synthetic store (default 1,000,000 events, made once by
# `dyad store-bench`), wrk with 50 connections on loopback for SECONDS per run:
#  1. answers computed (`--no-cache`), every request a new filter (scripts/load/varied.lua:
#     date ranges, actors, dyads, types, quad classes, countries, deep pages), after a
#     WARMUP-second unmeasured run of the same mix (a first pass reads the file from disk),
#     then again with each connection pausing PAUSE_MS (default 250) after each answer;
#  2. answers cached (as served), on the dashboard's fixed requests (scripts/load/*.lua),
#     each asked once first (its cold time printed).
# Bounded: every wrk run stops after its duration and the server is stopped at the end.
# Usage: scripts/load-test.sh [DB] [SECONDS] [WARMUP]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-target/load/store-1m.db}
seconds=${2:-30}
warmup=${3:-10}
pause=${PAUSE_MS:-250}
bin=${DYAD_BIN:-target/release/dyad}
[ -x "$bin" ] || nice cargo build --release -q -p dyad
if [ ! -f "$db" ]; then
    mkdir -p "$(dirname "$db")"
    "$bin" store-bench --db "$db" --events 1000000
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
run() { # ENDPOINT SCRIPT SECONDS [PAUSE_MS]
    ENDPOINT=$1 PAUSE_MS=${4:-0} wrk -t2 -c50 -d"$3s" --timeout 10s --latency -s "scripts/load/$2" "$url" |
        grep -E "Latency|50%|75%|90%|95%|99%|Requests/sec|requests in|Non-2xx|Socket errors|^[0-9]{3}"
}
for mode in no-cache cache; do
    flag=(); [ "$mode" = no-cache ] && flag=(--no-cache)
    "$bin" serve --db "$db" --addr "127.0.0.1:$port" "${flag[@]}" 2>/dev/null &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    until curl -sf "$url/api/health" >/dev/null; do sleep 0.5; done
    for endpoint in series events; do
        if [ "$mode" = no-cache ]; then
            echo "== /api/$endpoint, no answer cache, a new filter every request, 50 connections"
            echo "   warm-up ${warmup}s (not measured): $(run "$endpoint" varied.lua "$warmup" | grep Requests/sec)"
            run "$endpoint" varied.lua "$seconds"
            echo "== the same, each connection pausing ${pause}ms after each answer (a person reading it)"
            run "$endpoint" varied.lua "$seconds" "$pause"
        else
            grep -o '"/api[^"]*"' "scripts/load/$endpoint.lua" | tr -d '"' |
                while read -r u; do curl -s -o /dev/null -w '%{time_total}\n' "$url$u"; done |
                sort -n | awk '{t[NR]=$1} END {printf "   cold, once each: %d requests, median %.3f s, max %.3f s\n", NR, t[int((NR+1)/2)], t[NR]}'
            echo "== /api/$endpoint, answer cache on, the dashboard's fixed requests, 50 connections"
            run "$endpoint" "$endpoint.lua" "$seconds"
        fi
    done
    echo "   server peak memory: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MiB"}')"
    kill "$server"; wait "$server" 2>/dev/null || true
done
