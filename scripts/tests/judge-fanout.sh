#!/usr/bin/env bash
# The concurrency asked for is the concurrency the judge sees (issue 18): `ml score --judge-url` and `ml probe --url`
# against ml-judge-server, a scripted OpenAI-compatible judge on loopback that records its peak of requests in flight.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-$(swift build --show-bin-path)}"
T="$(mktemp -d /tmp/ml-fanout-test.XXXXXX)"
"$BIN/ml-judge-server" --delay-ms 500 > "$T/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$T"' EXIT
fail() { echo "judge-fanout.sh: FAIL: $*" >&2; exit 1; }
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(head -n1 "$T/port")"
stat() { python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1] + "/stats"))[sys.argv[2]])' "$URL" "$1"; }

# (The judge answers after 500 ms, so even a loaded machine sends every request of a wave before the first answer.)
# 256 judge calls with --concurrency 64: all 64 reach the judge at once (the endpoint's default limit was 16).
for i in $(seq 1 256); do echo "{\"id\": \"i$i\", \"model\": \"m\", \"prompt\": \"Q$i?\", \"response\": \"An answer.\"}"; done > "$T/in.jsonl"
"$BIN/ml" score --input "$T/in.jsonl" --output "$T/s.json" --suites semantic --concurrency 64 \
    --judge-url "$URL" --judge-model scripted > "$T/score.txt" 2> "$T/score.err" \
    || { cat "$T/score.err" >&2; fail "ml score exited non-zero"; }
grep -q "256 items, 0 failed, 0 resumed, 256 judge calls" "$T/score.txt" || fail "summary: $(cat "$T/score.txt")"
peak="$(stat peak_in_flight)"
[ "$peak" -eq 64 ] || fail "ml score --concurrency 64: the judge saw at most $peak requests in flight"
if grep -q "warning" "$T/score.err"; then fail "a limit was reported although none should cap: $(cat "$T/score.err")"; fi

# ml probe against a remote model: --concurrency 8 gives 8 in flight (a fresh server for a fresh peak).
kill $SERVER; wait $SERVER 2>/dev/null || true
"$BIN/ml-judge-server" --delay-ms 500 > "$T/port" &
SERVER=$!
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(head -n1 "$T/port")"
"$BIN/ml" probe --url "$URL" --model scripted --concurrency 8 > "$T/probe.txt" 2> "$T/probe.err" \
    || { cat "$T/probe.err" >&2; fail "ml probe exited non-zero"; }
peak="$(stat peak_in_flight)"
[ "$peak" -eq 8 ] || fail "ml probe --concurrency 8: the server saw at most $peak requests in flight"

echo "judge-fanout.sh: all passed" >&2
