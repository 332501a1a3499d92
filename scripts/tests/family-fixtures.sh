#!/usr/bin/env bash
# Tiny random-weight models of Gemma 3, Qwen 3 and Llama 3 (scripts/tests/make_family_models.py: mlx-lm's own
# model classes, tokenizers trained here, no downloads) with real LoRA checkpoints trained on each by `mlx_lm.lora`
# on scripts/tests/mlx-lora-data. Made once per machine.
#
#   scripts/tests/family-fixtures.sh [DIR]     prints the fixture directory (default $SWIFT_ML_HOME/fixtures/families-v2)
#
# Layout (stable; other tests rely on it):
#   DIR/<family>/                       FAMILY in gemma3 qwen3 llama3: an MLX / Hugging Face model directory
#                                       (config.json, model.safetensors (f32), tokenizer.json, tokenizer_config.json,
#                                       family.json; gemma3 also tokenizer.model) — see make_family_models.py
#   DIR/<family>/adapters/<family>-lora/0000005_adapters.safetensors, 0000010_adapters.safetensors,
#                                       adapters.safetensors (= the last), adapter_config.json
#                                       (LoRA rank 8 on every layer's q/k/v/o and MLP projections, mlx-lm's defaults
#                                       for its `lora_layers`, 10 iterations at learning rate 1e-3, batch 2, seed 7)
#   DIR/<family>/train.log              mlx_lm.lora's output
#   DIR/build.json                      seconds per step (models, training per family), OpenBLAS preloaded or not
# Idempotent (an existing fixture with build.json is kept), atomic (built in DIR.tmp.PID, renamed into place) and
# serialised by a lock (DIR.lock), so tests started at once build it only once.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
MLX_PY="${SWIFT_ML_MLX_PYTHON:-$HOME_DIR/mlx-venv/bin/python}"
DIR="${1:-$HOME_DIR/fixtures/families-v2}"
FAMILIES=(gemma3 qwen3 llama3)
fail() { echo "family-fixtures: $*" >&2; exit 1; }

[ -f "$DIR/build.json" ] && { echo "$DIR"; exit 0; }
"$MLX_PY" -c "import mlx.core, mlx_lm, sentencepiece, tokenizers" 2>/dev/null \
    || fail "Python MLX (mlx, mlx-lm, sentencepiece, tokenizers) is missing in $MLX_PY: run scripts/setup"
mkdir -p "$(dirname "$DIR")"
exec 9> "$DIR.lock"
flock 9
[ -f "$DIR/build.json" ] && { echo "$DIR"; exit 0; }

TMP="$DIR.tmp.$$"
rm -rf "$TMP"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP"
ENV=(HF_HUB_OFFLINE=1 "HF_HOME=$HOME_DIR/mlx-hf" PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false)
OPENBLAS=/usr/lib/$(uname -m)-linux-gnu/openblas-pthread/libopenblas.so.0
PRELOADED=false
if [ "$(uname)" = Linux ] && [ "${SWIFT_ML_MLX_OPENBLAS:-1}" != 0 ] && [ -f "$OPENBLAS" ]; then
    # As mlx_lm.server is run (MLXServerSettings): the wheel's reference BLAS is many times slower.
    ENV+=("LD_PRELOAD=$OPENBLAS" "OPENBLAS_NUM_THREADS=${SWIFT_ML_MLX_OPENBLAS_THREADS:-1}")
    PRELOADED=true
fi

now() { date +%s.%N; }
START=$(now)
env "${ENV[@]}" "$MLX_PY" "$REPO/scripts/tests/make_family_models.py" "$TMP" "${FAMILIES[@]}" > "$TMP/models.log" 2>&1 \
    || { tail -20 "$TMP/models.log" >&2; fail "make_family_models.py failed (log above)"; }
TIMES=("models=$(echo "$(now) - $START" | bc)")
for family in "${FAMILIES[@]}"; do
    run="$TMP/$family/adapters/$family-lora"
    mkdir -p "$run"
    args=(--model "$TMP/$family" --train --data "$REPO/scripts/tests/mlx-lora-data" --fine-tune-type lora
          --num-layers -1 --batch-size 2 --iters 10 --learning-rate 1e-3 --val-batches 1 --steps-per-report 5
          --steps-per-eval 10 --save-every 5 --max-seq-length 256 --mask-prompt --seed 7 --adapter-path "$run")
    start=$(now)
    (cd "$TMP" && env "${ENV[@]}" "$MLX_PY" -m mlx_lm lora "${args[@]}") > "$TMP/$family/train.log" 2>&1 \
        || { tail -20 "$TMP/$family/train.log" >&2; fail "mlx_lm.lora failed for $family (log above)"; }
    TIMES+=("$family=$(echo "$(now) - $start" | bc)")
    for file in 0000005_adapters.safetensors 0000010_adapters.safetensors adapters.safetensors adapter_config.json; do
        [ -s "$run/$file" ] || fail "mlx_lm.lora wrote no $file for $family"
    done
done
"$MLX_PY" - "$TMP" "$DIR" "$PRELOADED" "$(nproc)" "${TIMES[@]}" <<'PY'
import glob, json, os, sys
tmp, final, preloaded, cores, *times = sys.argv[1:]
for path in glob.glob(os.path.join(tmp, "*", "adapters", "*", "adapter_config.json")):
    config = json.load(open(path))  # mlx_lm.lora records where it wrote: point at where the fixture ends up
    for key in ("adapter_path", "model"):
        config[key] = config[key].replace(tmp, final, 1)
    json.dump(config, open(path, "w"), indent=4)
out = os.path.join(tmp, "build.json")
seconds = {name: round(float(value), 1) for name, value in (item.split("=") for item in times)}
json.dump({"seconds": seconds, "openblas_preloaded": preloaded == "true", "cores": int(cores)}, open(out, "w"), indent=2)
PY
rm -rf "$DIR"  # an incomplete fixture (no build.json)
mv -T "$TMP" "$DIR"
trap - EXIT
echo "$DIR"
