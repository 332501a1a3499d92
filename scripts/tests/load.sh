#!/usr/bin/env bash
# Load run: wrk, 64 connections for ${LOAD_SECONDS:-30} s against the real server in front of a fake model.
# Passes when there are zero errors and resident memory stays flat; prints requests/s and latency percentiles.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "load.sh: FAIL: wrk is missing: run scripts/setup" >&2; exit 1; }
BIN="${BIN:-$(swift build --show-bin-path)}"
OUT="$(mktemp)"
"$BIN/ml-fake-server" 0 > "$OUT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$OUT" "$OUT.lua" "$OUT.wrk"' EXIT
for _ in $(seq 1 100); do [ -s "$OUT" ] && break; sleep 0.1; done
PORT="$(head -n1 "$OUT")"
cat > "$OUT.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"fake","messages":[{"role":"user","content":"hello"}],"max_tokens":16}'
LUA
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
wrk -t2 -c64 -d5s -s "$OUT.lua" "http://127.0.0.1:$PORT/v1/chat/completions" > /dev/null   # warm-up
before="$(rss)"
wrk -t2 -c64 -d"${LOAD_SECONDS:-30}"s --latency -s "$OUT.lua" "http://127.0.0.1:$PORT/v1/chat/completions" | tee "$OUT.wrk"
after="$(rss)"
echo "load.sh: RSS ${before} kB after warm-up, ${after} kB after the run" >&2
if grep -qE "Non-2xx|Socket errors" "$OUT.wrk"; then echo "load.sh: FAIL: errors under load" >&2; exit 1; fi
growth=$(( after - before ))
if [ "$growth" -gt 20480 ]; then echo "load.sh: FAIL: memory grew by ${growth} kB" >&2; exit 1; fi
echo "load.sh: all passed" >&2
