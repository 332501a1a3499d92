#!/usr/bin/env bash
# Real MLX LoRA checkpoints (scripts/tests/mlx-lora-fixture.sh, made once per machine) through the `ml` command:
#   1. `ml convert gguf-lora` and `ml convert peft` on a real checkpoint (llama-server loads the GGUF LoRA; the
#      PEFT files read back with the safetensors package, the MLX tensors transposed bit for bit);
#   2. `ml agent --backend mlx` on two real checkpoints and a corrupt one: each applied natively (no conversion) on
#      one mlx_lm.server, the same records as the llama path, the corrupt one named and failed, nothing left behind,
#      and a second run evaluates nothing. The judge is ml-judge-server, a scripted fake answering a fixed capability
#      verdict: the real judge on llama-server is agent.sh's, and here it would only slow the MLX path's test down.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-$(swift build --show-bin-path)}"
ML="$BIN/ml"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
PY="$HOME_DIR/venv/bin/python"
GGUF="$HOME_DIR/models/SmolLM2-135M-Instruct.Q4_1.gguf"
T="$(mktemp -d /tmp/ml-mlx-lora-test.XXXXXX)"
AGENT_PID=""
JUDGE_PID=""
cleanup() {
    [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
    [ -n "$JUDGE_PID" ] && kill "$JUDGE_PID" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "mlx-lora.sh: FAIL: $*" >&2; exit 1; }
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/setup"

FIXTURE="$(scripts/tests/mlx-lora-fixture.sh)" || fail "could not make the MLX LoRA fixture"
RUN="$FIXTURE/adapters/smollm2-135m-lora"
CKPT="$RUN/0000040_adapters.safetensors"

# 1. Conversions of a real checkpoint.
"$ML" convert gguf-lora --input "$CKPT" --config "$RUN/adapter_config.json" --base-model "$GGUF" --output "$T/lora.gguf" \
    > "$T/gguf.txt" || fail "convert gguf-lora: $(cat "$T/gguf.txt")"
"$ML" inspect "$T/lora.gguf" > "$T/inspect.txt" || fail "ml inspect of the GGUF LoRA"
grep -q "adapter.type" "$T/inspect.txt" && grep -q "lora_a" "$T/inspect.txt" || fail "GGUF LoRA metadata: $(head -20 "$T/inspect.txt")"
"$ML" convert peft --input "$CKPT" --config "$RUN/adapter_config.json" --output-dir "$T/peft" > /dev/null \
    || fail "convert peft"
"$PY" - "$CKPT" "$T/peft" "$RUN/adapter_config.json" <<'PY' || fail "the PEFT output does not match the checkpoint"
import json, sys
from safetensors.numpy import load_file
mlx = load_file(sys.argv[1]); peft = load_file(sys.argv[2] + "/adapter_model.safetensors")
config = json.load(open(sys.argv[2] + "/adapter_config.json")); trained = json.load(open(sys.argv[3]))["lora_parameters"]
assert config["r"] == trained["rank"] and abs(config["lora_alpha"] - trained["rank"] * trained["scale"]) < 1e-6, config
assert len(peft) == len(mlx) > 0
for name, a in mlx.items():
    path, kind = name.rsplit(".", 1)
    assert (peft["base_model.model." + path + (".lora_A.weight" if kind == "lora_a" else ".lora_B.weight")] == a.T).all(), name
PY

# 2. The agent on the MLX backend: checkpoints 10 and 40, plus a corrupt 50.
mkdir -p "$T/adapters/smollm2-135m-lora"
cp "$RUN/0000010_adapters.safetensors" "$RUN/0000040_adapters.safetensors" "$RUN/adapter_config.json" "$T/adapters/smollm2-135m-lora/"
printf 'not a safetensors file' > "$T/adapters/smollm2-135m-lora/0000050_adapters.safetensors"
"$BIN/ml-judge-server" --delay-ms 20 --verdict '{"reasoning": 6, "correctness": 5, "clarity": 7, "notes": "scripted"}' \
    > "$T/judge-port" &
JUDGE_PID=$!
for _ in $(seq 1 100); do [ -s "$T/judge-port" ] && break; sleep 0.1; done
[ -s "$T/judge-port" ] || fail "ml-judge-server did not start"
ARGS=(--backend mlx --adapter-base "$T/adapters" --db "$T/scores.sqlite" --work-dir "$T/work" --max-tokens 32
      --judge-url "http://127.0.0.1:$(head -n1 "$T/judge-port")" --judge-model scripted
      --training-log "$FIXTURE/train.log" --training-run-id mlx-lora-fixture)
"$ML" agent "${ARGS[@]}" --one-shot > "$T/run1.txt" 2> "$T/run1.err" &
AGENT_PID=$!
# Every mlx_lm.server the agent starts (its launcher's children of the agent): one for all checkpoints.
SERVERS=""
while kill -0 "$AGENT_PID" 2>/dev/null; do
    for pid in $(pgrep -P "$AGENT_PID" -f mlx_launcher || true); do
        case " $SERVERS " in *" $pid "*) ;; *) SERVERS="$SERVERS $pid" ;; esac
    done
    sleep 0.2
done
status=0; wait "$AGENT_PID" || status=$?
AGENT_PID=""
[ "$status" = 1 ] || fail "first run: status $status (1 expected: one corrupt checkpoint): $(tail -5 "$T/run1.err")"
grep -q "evaluated 2, failed 1, already scored 0" "$T/run1.txt" || fail "first run: $(cat "$T/run1.txt"; tail -5 "$T/run1.err")"
grep -q "0000050_adapters.safetensors" "$T/run1.err" || fail "the corrupt checkpoint is not named: $(tail -5 "$T/run1.err")"
[ "$(echo $SERVERS | wc -w)" = 1 ] || fail "expected one mlx_lm.server for all checkpoints, saw: $SERVERS"
for pid in $SERVERS; do
    if kill -0 "$pid" 2>/dev/null && ! grep -q "State:.*Z" "/proc/$pid/status" 2>/dev/null; then
        fail "mlx_lm.server $pid outlived the agent"
    fi
done

# The same records as the llama path: two checkpoint rows with judge averages, 23 probe rows each, the training log.
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM checkpoint_scores WHERE total = 23 AND judge_avg = 6')" = 2 ] \
    || fail "checkpoint rows: $(sqlite3 "$T/scores.sqlite" 'SELECT * FROM checkpoint_scores')"
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM probe_results')" = 46 ] || fail "probe_results rows"
[ "$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM training_loss WHERE run_id = 'mlx-lora-fixture'")" -ge 4 ] \
    || fail "training_loss rows from the fixture's log"
# The adapters were applied: the checkpoints answer the probes differently from each other.
differ="$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM probe_results a JOIN probe_results b ON a.probe_id = b.probe_id
    WHERE a.label LIKE '%0000010' AND b.label LIKE '%0000040' AND a.response != b.response")"
[ "$differ" -ge 1 ] || fail "checkpoints 10 and 40 gave identical answers to every probe: adapters not applied?"
[ -z "$(ls -A "$T/work" 2>/dev/null)" ] || fail "work directory not cleaned: $(ls "$T/work")"

# Resume: nothing evaluated twice; the corrupt checkpoint is tried again and fails again.
status=0; "$ML" agent "${ARGS[@]}" --one-shot > "$T/run2.txt" 2> "$T/run2.err" || status=$?
[ "$status" = 1 ] && grep -q "evaluated 0, failed 1, already scored 2" "$T/run2.txt" \
    || fail "second run (status $status): $(cat "$T/run2.txt"; tail -5 "$T/run2.err")"
echo "mlx-lora.sh: ok (probe answers differing between checkpoints 10 and 40: $differ of 23)" >&2
