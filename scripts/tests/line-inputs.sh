#!/usr/bin/env bash
# Issue 25 (defects 7 and 8) through the command line: CRLF files are read like LF ones, and one invalid UTF-8 line is
# named by file:line and skipped while the rest of the file — and the later files — are still read, with exit 1.
# `ml data import` and `ml ingest --capability`; no model server, no InfluxDB (store only).
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-lines-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "line-inputs.sh: FAIL: $*" >&2; exit 1; }

cap() { printf '{"label": "run @%07d", "accuracy": 50.0, "correct": 1, "total": 2, "by_category": {"math": {"correct": 1, "total": 2}}}' "$1"; }
{ cap 100; printf '\r\n'; cap 200; printf '\r\n'; } > "$T/crlf.jsonl"
"$ML" ingest --capability "$T/crlf.jsonl" --model m --run-id r --db "$T/s.sqlite" > "$T/out.txt" 2> "$T/err.txt" \
    || fail "ingest of a CRLF capability file: $(cat "$T/err.txt")"
grep -q "0 line(s) skipped" "$T/out.txt" || fail "CRLF ingest: $(cat "$T/out.txt")"

{ cap 100; printf '\n{"label": "bad \xff", "correct": 1, "total": 2}\n'; cap 300; printf '\n'; } > "$T/bad.jsonl"
if "$ML" ingest --capability "$T/bad.jsonl" --capability "$T/crlf.jsonl" --model m --run-id r2 --db "$T/s.sqlite" \
    > "$T/out.txt" 2> "$T/err.txt"; then fail "ingest with an invalid UTF-8 line exited 0"; fi
grep -q "bad.jsonl:2: skipped: not UTF-8" "$T/err.txt" || fail "the bad line is not named: $(cat "$T/err.txt")"
grep -q "bad.jsonl: .* 1 line(s) skipped" "$T/out.txt" || fail "the rest of bad.jsonl was not read: $(cat "$T/out.txt")"
grep -q "crlf.jsonl: .* 0 line(s) skipped" "$T/out.txt" || fail "the later file was not read: $(cat "$T/out.txt")"

printf '{"id": "a", "prompt": "First"}\r\n{"id": "b", "prompt": "Bad \xc3"}\r\n{"id": "c", "prompt": "Third"}\r\n' > "$T/seeds.jsonl"
printf 'id,prompt\r\nd,Fourth\r\n' > "$T/seeds.csv"
if "$ML" data import --workspace "$T/w.sqlite" --kind seeds "$T/seeds.jsonl" "$T/seeds.csv" > "$T/out.txt" 2> "$T/err.txt"; then
    fail "import with an invalid UTF-8 line exited 0"
fi
grep -q "seeds.jsonl:2: not UTF-8" "$T/err.txt" || fail "import: the bad line is not named: $(cat "$T/err.txt")"
grep -q "3 new" "$T/out.txt" || fail "import: $(cat "$T/out.txt")"
[ "$("$ML" data query --workspace "$T/w.sqlite" "SELECT group_concat(id) FROM (SELECT id FROM seeds ORDER BY id)" | tail -1)" = "a,c,d" ] \
    || fail "import stored: $("$ML" data query --workspace "$T/w.sqlite" "SELECT id, prompt FROM seeds")"
echo "line-inputs.sh: all passed" >&2
