#!/usr/bin/env bash
# The model families (Gemma 3, Qwen 3, Llama 3) on the real runtimes, per family, with the tiny fixtures of
# scripts/tests/family-fixtures.sh:
#   1. `ml convert mlx-to-gguf` (f32) → llama-server loads the GGUF; its greedy first 16 tokens equal mlx-lm's on the
#      original MLX directory, and its /tokenize equals the Hugging Face tokenizer's ids (scripts/tests/family_check.py);
#   2. `ml convert gguf-to-mlx` of that GGUF → mlx-lm loads the directory and agrees with llama-server the same way,
#      and every tensor round-trips bit for bit (Gemma's norms as llama.cpp's w + 1 convention leaves them);
#   3. --dtype f16 writes a GGUF llama-server loads; a quantized MLX model and an unsupported architecture are refused
#      with a clear error.
# Prints conversion seconds and agreement counts per family.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
MLX_PY="${SWIFT_ML_MLX_PYTHON:-$HOME_DIR/mlx-venv/bin/python}"
LLAMA_SERVER="${SWIFT_ML_LLAMA_SERVER:-$HOME_DIR/bin/llama-server}"
ML="$(swift build --show-bin-path)/ml"
N=16
fail() { echo "families.sh: FAIL: $*" >&2; [ -n "${LOG:-}" ] && [ -f "$LOG" ] && tail -20 "$LOG" >&2; exit 1; }
[ -x "$ML" ] || fail "$ML is missing: swift build first"
[ -x "$LLAMA_SERVER" ] || fail "llama-server is missing at $LLAMA_SERVER: run scripts/setup"
FIX="$(scripts/tests/family-fixtures.sh)" || fail "the family fixtures could not be made"

TMP="$(mktemp -d)"
SERVER=""
stop_server() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
trap 'stop_server; rm -rf "$TMP"' EXIT
now() { date +%s.%N; }
seconds() { printf '%.2f' "$(echo "$2 - $1" | bc)"; }
py_env=(env HF_HUB_OFFLINE=1 "HF_HOME=$HOME_DIR/mlx-hf" TOKENIZERS_PARALLELISM=false)

start_server() {  # GGUF → SERVER pid, URL
    local port
    port="$("$MLX_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    LOG="$TMP/server-$port.log"
    "$LLAMA_SERVER" -m "$1" --host 127.0.0.1 --port "$port" -c 512 -np 1 -t 2 --no-webui > "$LOG" 2>&1 &
    SERVER=$!
    URL="http://127.0.0.1:$port"
    for _ in $(seq 1 600); do
        curl -sf "$URL/health" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER" 2>/dev/null || fail "llama-server exited while loading $1"
        sleep 0.1
    done
    fail "llama-server did not become healthy with $1"
}

SUMMARY=()
for family in gemma3 qwen3 llama3; do
    model="$FIX/$family"
    gguf="$TMP/$family.gguf"
    start=$(now)
    "$ML" convert mlx-to-gguf --input "$model" --output "$gguf" > "$TMP/$family.convert" 2>&1 \
        || { cat "$TMP/$family.convert" >&2; fail "$family: ml convert mlx-to-gguf failed"; }
    to_gguf=$(seconds "$start" "$(now)")
    start_server "$gguf"
    base="$("${py_env[@]}" "$MLX_PY" scripts/tests/family_check.py agree "$URL" "$model" "$N")" \
        || fail "$family: llama-server on the converted GGUF disagrees with mlx-lm on the original (above)"
    back="$TMP/$family-mlx"
    start=$(now)
    "$ML" convert gguf-to-mlx --input "$gguf" --output "$back" > "$TMP/$family.back" 2>&1 \
        || { cat "$TMP/$family.back" >&2; fail "$family: ml convert gguf-to-mlx failed"; }
    to_mlx=$(seconds "$start" "$(now)")
    trip="$("${py_env[@]}" "$MLX_PY" scripts/tests/family_check.py agree "$URL" "$back" "$N")" \
        || fail "$family: mlx-lm on the gguf-to-mlx directory disagrees with llama-server (above)"
    stop_server
    model_type="$("$MLX_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["model_type"])' "$model/config.json")"
    tensors="$("$MLX_PY" scripts/tests/family_check.py tensors "$model" "$back" "$model_type")" \
        || fail "$family: tensors changed on the round trip MLX → GGUF → MLX (above)"
    counts() {
        "$MLX_PY" -c 'import json, sys; d = json.loads(sys.argv[1]); print("%d/%d greedy tokens, %d/%d texts tokenized alike" % (d["greedy_equal"], d["greedy_n"], d["tokenize_equal"], d["tokenize_texts"]))' "$1"
    }
    exact="$("$MLX_PY" -c 'import json, sys; d = json.loads(sys.argv[1]); print("%d/%d tensors bit-exact" % (d["bit_exact"], d["tensors"]))' "$tensors")"
    SUMMARY+=("$family: mlx-to-gguf ${to_gguf}s, gguf-to-mlx ${to_mlx}s; llama-server vs mlx-lm (original) $(counts "$base"); vs mlx-lm (gguf-to-mlx) $(counts "$trip"); round trip $exact")
done

# f16 matrices: llama-server loads them and answers.
"$ML" convert mlx-to-gguf --input "$FIX/qwen3" --output "$TMP/qwen3-f16.gguf" --dtype f16 > "$TMP/f16.log" 2>&1 \
    || { cat "$TMP/f16.log" >&2; fail "--dtype f16 failed"; }
start_server "$TMP/qwen3-f16.gguf"
curl -sf "$URL/completion" -d '{"prompt": "Hello", "n_predict": 4, "temperature": 0}' | grep -q '"content"' \
    || fail "llama-server gave no completion with the f16 GGUF"
stop_server

# Refusals: a quantized MLX model, an unsupported architecture, each named.
bad="$TMP/quantized"
cp -r "$FIX/qwen3" "$bad"
"$MLX_PY" - "$bad/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1])); config["quantization"] = {"group_size": 64, "bits": 4}
json.dump(config, open(sys.argv[1], "w"))
PY
if "$ML" convert mlx-to-gguf --input "$bad" --output "$TMP/q.gguf" 2> "$TMP/err"; then fail "a quantized model converted"; fi
grep -q "quantized" "$TMP/err" || fail "no clear reason for the quantized model: $(cat "$TMP/err")"
"$MLX_PY" - "$bad/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1])); del config["quantization"]; config["model_type"] = "phi3"
json.dump(config, open(sys.argv[1], "w"))
PY
if "$ML" convert mlx-to-gguf --input "$bad" --output "$TMP/p.gguf" 2> "$TMP/err"; then fail "a phi3 model converted"; fi
grep -q "model_type 'phi3' is not supported; supported: llama, qwen3, gemma3_text" "$TMP/err" \
    || fail "no clear reason for phi3: $(cat "$TMP/err")"
[ ! -e "$TMP/q.gguf" ] && [ ! -e "$TMP/p.gguf" ] || fail "a refused conversion left a file behind"

printf '%s\n' "${SUMMARY[@]}"
echo "families.sh: ok"
