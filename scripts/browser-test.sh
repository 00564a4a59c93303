#!/usr/bin/env bash
# Browser test of `dyad serve`: builds a store from the VOA stories (the sample articles in
# examples/ when ../shared is absent), serves it on a free loopback port, and drives
# Debian's headless Chromium over the dashboard with playwright-core (scripts/browser-test/
# test.mjs). Screenshots go to target/screenshots/. Needs: chromium (apt), node and npm.
# DYAD_BIN: a dyad binary to use instead of building the debug one; DYAD_BROWSER_INPUT:
# articles to ingest instead (their undated articles dated 2025-11-20).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=target/browser-test
shots=target/screenshots
mkdir -p "$work" "$shots"
rm -f "$shots"/*.png "$shots"/*.jpg
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "browser-test: $chromium not found (apt-get install chromium)" >&2; exit 1; }

if [ -z "${DYAD_BIN:-}" ]; then
    nice cargo build -q -p dyad
    DYAD_BIN=$root/target/debug/dyad
fi
if [ -n "${DYAD_BROWSER_INPUT:-}" ]; then
    input=$DYAD_BROWSER_INPUT
    dated=(--date 2025-11-20)
elif [ -f ../shared/corpora/voa/voa_stories.jsonl ]; then
    input=../shared/corpora/voa/voa_stories.jsonl
    dated=()
else
    echo "browser-test: ../shared is absent; using the sample articles in examples/" >&2
    input=examples
    dated=(--date 2025-11-20)
fi
rm -f "$work"/store.db*
"$DYAD_BIN" ingest -q --db "$work/store.db" "${dated[@]}" "$input"

if [ ! -d scripts/browser-test/node_modules/playwright-core ]; then
    (cd scripts/browser-test && npm ci --no-audit --no-fund --loglevel=error)
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$DYAD_BIN" serve --db "$work/store.db" --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.5
done
timeout 300 node scripts/browser-test/test.mjs "http://127.0.0.1:$port" "$shots"
