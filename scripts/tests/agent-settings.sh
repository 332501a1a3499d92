#!/usr/bin/env bash
# `ml agent` / `ml ingest` settings: flag > ML_AGENT_* environment variable > --config file > default; JSON numbers
# and booleans read as such; a bad value named in the error; the InfluxDB token never printed. Fast: `--dry-run` over
# an empty local adapter base starts no model and no server.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-agent-settings.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "agent-settings.sh: FAIL: $*" >&2; exit 1; }
for name in $(env | grep -o '^ML_AGENT_[A-Z_]*' || true); do unset "$name"; done
unset INFLUX_TOKEN
mkdir -p "$T/adapters"
BASE=(--db "$T/scores.sqlite" --work-dir "$T/work")

# agent [VAR=value …] -- [flags …]: a dry run with those environment variables; output in $T/out and $T/err.
agent() {
    local vars=()
    while [ "$1" != "--" ]; do vars+=("$1"); shift; done
    shift
    env "${vars[@]}" "$ML" agent --dry-run "${BASE[@]}" "$@" > "$T/out" 2> "$T/err"
}
accepted() { agent "$@" || fail "refused ($*): $(cat "$T/err")"; }
# refused "MESSAGE" [VAR=value …] -- [flags …]
refused() {
    local message="$1"; shift
    if agent "$@"; then fail "accepted ($*), expected: $message"; fi
    grep -qF -- "$message" "$T/err" || fail "($*) said: $(cat "$T/err"), expected: $message"
}
json() { printf '%s' "$1" > "$T/config.json"; }
A=(--adapter-base "$T/adapters")

# The adapter base from each layer; without any, the error says where it can come from.
refused 'no adapter base: pass --adapter-base DIR, set ML_AGENT_ADAPTER_BASE, or put "adapter-base" in --config' --
accepted ML_AGENT_ADAPTER_BASE="$T/adapters" --
json "{\"adapter-base\": \"$T/adapters\"}"
accepted -- --config "$T/config.json"
accepted ML_AGENT_CONFIG="$T/config.json" --
json '{"adapter-base": "/nonexistent/adapters"}'
refused "the adapter base /nonexistent/adapters does not exist" -- --config "$T/config.json"
accepted -- --config "$T/config.json" "${A[@]}"
accepted ML_AGENT_ADAPTER_BASE="$T/adapters" -- --config "$T/config.json"
grep -q "0 checkpoint(s) found, 0 to evaluate" "$T/out" || fail "dry run: $(cat "$T/out")"

# Precedence, seen through a bad value in one layer and a good one in the layer above it.
refused 'poll must be a positive number of seconds, not "abc"' ML_AGENT_POLL=abc -- "${A[@]}"
accepted ML_AGENT_POLL=abc -- "${A[@]}" --poll 5
json '{"poll": "xyz"}'
refused 'poll must be a positive number of seconds, not "xyz"' -- "${A[@]}" --config "$T/config.json"
accepted ML_AGENT_POLL=7 -- "${A[@]}" --config "$T/config.json"
json '{"max-tokens": 0}'
refused 'max-tokens must be a whole number ≥ 1, not "0"' -- "${A[@]}" --config "$T/config.json"
accepted ML_AGENT_MAX_TOKENS=64 -- "${A[@]}" --config "$T/config.json"
refused 'max-tokens must be a whole number ≥ 1, not "1.5"' ML_AGENT_MAX_TOKENS=1.5 -- "${A[@]}" --config "$T/config.json"
accepted ML_AGENT_MAX_TOKENS=1.5 -- "${A[@]}" --config "$T/config.json" --max-tokens 32
json '{"poll": -1}'
refused 'poll must be a positive number of seconds, not "-1"' -- "${A[@]}" --config "$T/config.json"

# JSON numbers and booleans, and the same values written as strings.
json '{"max-tokens": 64, "judge-max-tokens": 100, "concurrency": 3, "poll": 0.5, "content": true, "port": 2222, "threads": 1, "ctx-size": 8192}'
accepted -- "${A[@]}" --config "$T/config.json"
json '{"max-tokens": "64", "poll": "120", "content": "yes", "port": "22"}'
accepted -- "${A[@]}" --config "$T/config.json"
json '{"max-tokens": 1.5}'
refused 'max-tokens must be a whole number ≥ 1, not "1.5"' -- "${A[@]}" --config "$T/config.json"

# Each validated setting's message.
refused 'port must be 1–65535, not "0"' -- "${A[@]}" --port 0
refused 'port must be 1–65535, not "ssh"' -- "${A[@]}" --port ssh
refused 'concurrency must be a whole number ≥ 1, not "x"' -- "${A[@]}" --concurrency x
refused 'threads must be a whole number ≥ 1, not "0"' ML_AGENT_THREADS=0 -- "${A[@]}"
refused 'ctx-size must be a whole number ≥ 1, not "0"' -- "${A[@]}" --ctx-size 0
refused 'ctx-size must be a whole number ≥ 1, not "big"' ML_AGENT_CTX_SIZE=big -- "${A[@]}"
refused 'judge-max-tokens must be a whole number ≥ 1, not "-3"' ML_AGENT_JUDGE_MAX_TOKENS=-3 -- "${A[@]}"
refused 'content must be true or false, not "maybe"' ML_AGENT_CONTENT=maybe -- "${A[@]}"
accepted ML_AGENT_CONTENT=maybe -- "${A[@]}" --no-content
accepted ML_AGENT_CONTENT=YES -- "${A[@]}"
refused 'influx-api must be v1, v2 or v3, not "v4"' -- "${A[@]}" --influx-api v4
refused 'influx-api must be v1, v2 or v3, not "v9"' ML_AGENT_INFLUX_API=v9 -- "${A[@]}"
refused 'backend must be llama or mlx, not "foo"' -- "${A[@]}" --backend foo
refused 'samples must be a whole number ≥ 1, not "0"' -- "${A[@]}" --samples 0
refused 'temperature must be a number from 0 to 2, not "3"' ML_AGENT_TEMPERATURE=3 -- "${A[@]}"
refused 'temperature must be a number from 0 to 2, not "hot"' -- "${A[@]}" --temperature hot
json '{"samples": 4, "temperature": 0.8}'
accepted -- "${A[@]}" --config "$T/config.json"
refused "cannot read the configuration file $T/missing.json" -- "${A[@]}" --config "$T/missing.json"

# The token: from the environment or the file, never printed, even when InfluxDB cannot be reached.
accepted ML_AGENT_INFLUX_TOKEN=tok-s3cret-env -- "${A[@]}" --influx http://127.0.0.1:9 --influx-api v2 --influx-org o
! grep -q "s3cret" "$T/out" "$T/err" || fail "the token was printed"
json '{"influx-token": "tok-s3cret-file", "influx": "http://127.0.0.1:9", "influx-api": "v2"}'
accepted -- "${A[@]}" --config "$T/config.json"
! grep -q "s3cret" "$T/out" "$T/err" || fail "the token from the file was printed"

# ml ingest shares --db, the InfluxDB options and their keys: flag over environment over file.
printf 'Iter 10: Train loss 2.5, Learning Rate 1e-05, It/sec 0.5, Tokens/sec 200.0\n' > "$T/train.log"
json "{\"db\": \"$T/file.sqlite\"}"
ML_AGENT_DB="$T/env.sqlite" "$ML" ingest --model m --run-id r --training-log "$T/train.log" --config "$T/config.json" > /dev/null 2>&1 \
    || fail "ingest with ML_AGENT_DB"
[ -f "$T/env.sqlite" ] && [ ! -f "$T/file.sqlite" ] || fail "ingest: ML_AGENT_DB did not win over the file"
"$ML" ingest --model m --run-id r --training-log "$T/train.log" --config "$T/config.json" > /dev/null 2>&1 || fail "ingest with --config"
[ -f "$T/file.sqlite" ] || fail "ingest: the file's db was not used"
if ML_AGENT_INFLUX_API=v7 "$ML" ingest --model m --run-id r --training-log "$T/train.log" --db "$T/x.sqlite" 2> "$T/err" > /dev/null; then
    fail "ingest accepted influx-api v7"
fi
grep -qF 'influx-api must be v1, v2 or v3, not "v7"' "$T/err" || fail "ingest: $(cat "$T/err")"
ML_AGENT_INFLUX_TOKEN=tok-s3cret-ingest "$ML" ingest --model m --run-id r --training-log "$T/train.log" --db "$T/x.sqlite" \
    --influx http://127.0.0.1:9 --influx-api v2 --influx-org o --influx-buffer "$T/buffer.jsonl" > "$T/out" 2> "$T/err" || true
! grep -q "s3cret" "$T/out" "$T/err" "$T/buffer.jsonl" 2>/dev/null || fail "ingest printed the token"

echo "agent-settings.sh: all passed" >&2
