#!/usr/bin/env bash
# End-to-end checks of the `ml` command with the real llama-server and the default model.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="$(swift build --show-bin-path)/ml"
fail() { echo "cli.sh: FAIL: $*" >&2; exit 1; }

# generate: streams text from the default local model and exits 0.
out="$("$ML" generate --max-tokens 8 --temperature 0 "The capital of France is")"
[ -n "$out" ] || fail "ml generate printed nothing"

# --json: one object with text, finish reason, metrics and stream timing.
"$ML" generate --json --max-tokens 4 --temperature 0 "Hi" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["text"], d
assert d["finish_reason"] in ("stop", "length"), d
assert d["metrics"]["generated_tokens"] >= 1, d
assert d["stream"]["tokens"] >= 1, d
' || fail "ml generate --json"

# chat with piped input: two answers, /reset and /system handled, /exit ends the session.
chat="$(printf 'Say hello.\n/system Answer briefly.\n/reset\nSay bye.\n/exit\nnever read\n' | "$ML" chat --max-tokens 6 --temperature 0)"
echo "$chat" | grep -q "(history cleared)" || fail "ml chat did not handle /reset: $chat"
echo "$chat" | grep -q "(system message set)" || fail "ml chat did not handle /system: $chat"

# models: the default model is listed with its format.
models="$("$ML" models)"
echo "$models" | grep -q "SmolLM2-135M-Instruct.Q4_1.gguf  gguf" || fail "ml models does not list the default model"

# inspect: metadata and tensor table of the real model, never its data; garbage is a clear error.
report="$("$ML" inspect "${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}/models/SmolLM2-135M-Instruct.Q4_1.gguf")"
echo "$report" | grep -q "llama.block_count" || fail "ml inspect does not show the model's metadata"
head -c 64 /dev/urandom > /tmp/ml-cli-garbage.gguf
if "$ML" inspect /tmp/ml-cli-garbage.gguf 2>/tmp/ml-cli-err.txt; then fail "ml inspect accepted garbage"; fi
grep -q "error:" /tmp/ml-cli-err.txt || fail "no error message for a garbage file"
if "$ML" convert gguf-lora --input /nonexistent/adapters.safetensors --output /tmp/x.gguf 2>/tmp/ml-cli-err.txt; then fail "convert accepted a missing input"; fi
grep -q "/nonexistent/adapters.safetensors" /tmp/ml-cli-err.txt || fail "the missing input is not named"
# convert gguf-to-mlx: setup made the MLX copy; converting onto it again is refused, leaving it intact.
MLX_COPY="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}/models/SmolLM2-135M-Instruct-mlx"
[ -f "$MLX_COPY/config.json" ] && [ -f "$MLX_COPY/model.safetensors" ] || fail "setup did not make $MLX_COPY"
if "$ML" convert gguf-to-mlx --input "${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}/models/SmolLM2-135M-Instruct.Q4_1.gguf" --output "$MLX_COPY" 2>/tmp/ml-cli-err.txt; then fail "gguf-to-mlx overwrote an existing directory"; fi
grep -q "already exists" /tmp/ml-cli-err.txt || fail "gguf-to-mlx did not say the output exists"
[ -f "$MLX_COPY/config.json" ] || fail "a refused gguf-to-mlx damaged $MLX_COPY"

# Failures exit non-zero with a message on stderr.
if "$ML" generate --url http://127.0.0.1:9 --max-tokens 2 "x" 2>/tmp/ml-cli-err.txt; then fail "a dead server did not fail"; fi
grep -q "error:" /tmp/ml-cli-err.txt || fail "no error message for a dead server"
# A password in --url is in no message: the endpoint is named without its user and password.
if "$ML" generate --url http://u:secret@127.0.0.1:1 hi 2>/tmp/ml-cli-err.txt; then fail "a dead server did not fail"; fi
grep -q "127.0.0.1:1" /tmp/ml-cli-err.txt || fail "the dead endpoint is not named: $(cat /tmp/ml-cli-err.txt)"
if grep -q "secret\|u@" /tmp/ml-cli-err.txt; then fail "the --url userinfo leaked: $(cat /tmp/ml-cli-err.txt)"; fi
if "$ML" generate --model /nonexistent.gguf "x" 2>/tmp/ml-cli-err.txt; then fail "a missing model did not fail"; fi
grep -q "/nonexistent.gguf" /tmp/ml-cli-err.txt || fail "the missing model's path is not in the error"

echo "cli.sh: all passed" >&2
