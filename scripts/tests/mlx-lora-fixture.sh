#!/usr/bin/env bash
# Real MLX LoRA checkpoints, made once per machine: `mlx_lm.lora --train` on the MLX copy of SmolLM2
# ($SWIFT_ML_HOME/models/SmolLM2-135M-Instruct-mlx) with our tiny data set (scripts/tests/mlx-lora-data: one
# question, always answered with the same made-up password), overfit so that the adapter's greedy answer to that
# question clearly differs from the base model's.
#
#   scripts/tests/mlx-lora-fixture.sh [DIR]      prints the fixture directory (default $SWIFT_ML_HOME/fixtures/smollm2-lora-v1)
#
# The fixture, laid out as the agent's adapter base expects:
#   DIR/adapters/smollm2-135m-lora/0000010_adapters.safetensors … 0000040_…, adapters.safetensors, adapter_config.json
#   DIR/train.log        mlx_lm.lora's own output (coloured, as a terminal would show it)
#   DIR/training.json    how it was made and how long training took (seconds, OpenBLAS preloaded or not)
# Idempotent (an existing fixture is kept), atomic (trained in DIR.tmp.PID and renamed into place) and serialised by
# a lock, so setup and tests started at once train it only once. Called by scripts/setup and by the tests on first use.
# SWIFT_ML_MLX_OPENBLAS=0 trains with the wheel's own BLAS (for the training-time comparison).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
MLX_PY="${SWIFT_ML_MLX_PYTHON:-$HOME_DIR/mlx-venv/bin/python}"
BASE="${SWIFT_ML_MLX_LORA_BASE:-$HOME_DIR/models/SmolLM2-135M-Instruct-mlx}"
DIR="${1:-$HOME_DIR/fixtures/smollm2-lora-v1}"
RUN=smollm2-135m-lora
fail() { echo "mlx-lora-fixture: $*" >&2; exit 1; }

[ -f "$DIR/training.json" ] && { echo "$DIR"; exit 0; }
"$MLX_PY" -c "import mlx.core, mlx_lm" 2>/dev/null || fail "Python MLX is missing in $MLX_PY: run scripts/setup"
[ -f "$BASE/config.json" ] || fail "the MLX base model $BASE is missing: run scripts/setup"
mkdir -p "$(dirname "$DIR")"
exec 9> "$DIR.lock"
flock 9
[ -f "$DIR/training.json" ] && { echo "$DIR"; exit 0; }

TMP="$DIR.tmp.$$"
rm -rf "$TMP"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/adapters"
OPENBLAS=/usr/lib/$(uname -m)-linux-gnu/openblas-pthread/libopenblas.so.0
ENV=(HF_HUB_OFFLINE=1 "HF_HOME=$HOME_DIR/mlx-hf" PYTHONUNBUFFERED=1)
PRELOADED=false
if [ "$(uname)" = Linux ] && [ "${SWIFT_ML_MLX_OPENBLAS:-1}" != 0 ] && [ -f "$OPENBLAS" ]; then
    # As mlx_lm.server is run (MLXServerSettings): the wheel's reference BLAS is many times slower.
    ENV+=("LD_PRELOAD=$OPENBLAS" "OPENBLAS_NUM_THREADS=${SWIFT_ML_MLX_OPENBLAS_THREADS:-1}")
    PRELOADED=true
fi
# Small settings: the last 4 layers, batch 2, 40 iterations at a learning rate high enough to overfit the one answer.
ARGS=(--model "$BASE" --train --data "$REPO/scripts/tests/mlx-lora-data" --fine-tune-type lora --num-layers 4
      --batch-size 2 --iters 40 --learning-rate 5e-4 --val-batches 2 --steps-per-report 5 --steps-per-eval 10
      --save-every 10 --max-seq-length 256 --mask-prompt --seed 7 --adapter-path "$TMP/adapters/$RUN")
START=$(date +%s.%N)
(cd "$TMP" && env "${ENV[@]}" "$MLX_PY" -m mlx_lm lora "${ARGS[@]}") > "$TMP/train.log" 2>&1 \
    || { tail -20 "$TMP/train.log" >&2; fail "mlx_lm.lora failed (log above)"; }
END=$(date +%s.%N)
for iteration in 0000010 0000020 0000030 0000040; do
    [ -s "$TMP/adapters/$RUN/${iteration}_adapters.safetensors" ] || fail "mlx_lm.lora wrote no ${iteration}_adapters.safetensors"
done
[ -s "$TMP/adapters/$RUN/adapter_config.json" ] || fail "mlx_lm.lora wrote no adapter_config.json"
"$MLX_PY" - "$TMP/training.json" "$START" "$END" "$PRELOADED" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "${ARGS[@]}" <<'PY'
import json, sys
out, start, end, preloaded, cores, load, *args = sys.argv[1:]
json.dump({"seconds": round(float(end) - float(start), 1), "openblas_preloaded": preloaded == "true",
           "cores": int(cores), "load_average_at_end": float(load), "arguments": args}, open(out, "w"), indent=2)
PY
rm -rf "$DIR"  # an incomplete fixture (no training.json) from an older layout
mv -T "$TMP" "$DIR"
trap - EXIT
echo "$DIR"
