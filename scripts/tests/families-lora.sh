#!/usr/bin/env bash
# LoRA per model family on real runtimes, with the tiny Gemma 3, Qwen 3 and Llama 3 models and the LoRA checkpoints
# mlx_lm.lora trained on them (scripts/tests/family-fixtures.sh, made once per machine). For each family:
#   1. `ml convert mlx-to-gguf --dtype f32`: a GGUF of the very same weights;
#   2. `ml convert gguf-lora` of the trained adapter and of a zero-B copy of it, checked against that GGUF
#      (general.architecture = the base's: gemma3, qwen3, llama), and the trained one merged by llama.cpp's
#      llama-export-lora: merged - base = scale·(a·b)ᵀ per module, q/k rope-permuted for llama only
#      (scripts/verify_lora_llamacpp.py);
#   3. greedy decoding of up to N tokens (the end-of-turn token included, where the answer ends) of the training
#      question's chat prompt, as token ids, on one llama-server with both adapters loaded and chosen per request,
#      and on mlx-lm (`load(adapter_path=…)`):
#      the zero-B adapter answers exactly as the base, and the trained adapter's answer equals mlx-lm's with the
#      same adapter on the same weights (and differs from the base's, so the adapter is really applied);
#   4. `ml agent --backend mlx` on two checkpoints of the family, applied natively per request on one
#      mlx_lm.server over the family's base model, under a directory named after a real base model of the family
#      so the agent's family map gives the checkpoints the reference's model tag. The judge is ml-judge-server, a
#      scripted fake (the real judge on llama-server is agent.sh's). Then the same with the agent's llama.cpp path
#      (each checkpoint converted against the family's GGUF, evaluated on llama-server). Seconds per checkpoint
#      are printed.
# Figures go to stderr and, when FAMILIES_LORA_REPORT=FILE is set, as JSON to FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-$(swift build --show-bin-path)}"
ML="$BIN/ml"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
MLX_PY="${SWIFT_ML_MLX_PYTHON:-$HOME_DIR/mlx-venv/bin/python}"
SERVER="$HOME_DIR/bin/llama-server"
N="${FAMILIES_LORA_TOKENS:-16}"
T="$(mktemp -d /tmp/ml-families-lora-test.XXXXXX)"
JUDGE_PID=""
cleanup() {
    [ -n "$JUDGE_PID" ] && kill "$JUDGE_PID" 2>/dev/null
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "families-lora.sh: FAIL: $*" >&2; exit 1; }
[ -x "$SERVER" ] || fail "llama-server is missing at $SERVER: run scripts/setup"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/setup"
"$MLX_PY" -c "import mlx_lm" 2>/dev/null || fail "mlx-lm is missing in $MLX_PY: run scripts/setup"
FIX="$(scripts/tests/family-fixtures.sh)" || fail "could not make the family fixtures"

"$BIN/ml-judge-server" --delay-ms 5 --verdict '{"reasoning": 6, "correctness": 5, "clarity": 7, "notes": "scripted"}' \
    > "$T/judge-port" &
JUDGE_PID=$!
for _ in $(seq 1 100); do [ -s "$T/judge-port" ] && break; sleep 0.1; done
[ -s "$T/judge-port" ] || fail "ml-judge-server did not start"
JUDGE_URL="http://127.0.0.1:$(head -n1 "$T/judge-port")"

# family, llama.cpp architecture, checkpoint directory (a real base model's name), the tag the family map gives it.
CASES=("gemma3 gemma3 gemma-3-1b-tiny gemma-3-1b" "qwen3 qwen3 qwen3-0.6b-tiny qwen3-0.6b" "llama3 llama llama-3.2-1b-tiny llama-3.2-1b")
echo "[" > "$T/report.json"
first=true
for case in "${CASES[@]}"; do
    read -r family arch dirname tag <<< "$case"
    base="$FIX/$family"
    run="$base/adapters/$family-lora"
    W="$T/$family"
    mkdir -p "$W/zero"

    # 1. The same weights as a GGUF.
    start=$(date +%s.%N)
    "$ML" convert mlx-to-gguf --input "$base" --output "$W/base.gguf" --dtype f32 > "$W/convert.txt" 2>&1 \
        || fail "$family: mlx-to-gguf: $(cat "$W/convert.txt")"
    gguf_seconds=$(echo "$(date +%s.%N) - $start" | bc)

    # 2. The trained adapter and a zero-B copy, as GGUF LoRAs checked against it.
    "$MLX_PY" - "$run/adapters.safetensors" "$W/zero/adapters.safetensors" <<'PY' || fail "$family: zero-B copy"
import sys
import numpy as np
from safetensors.numpy import load_file, save_file
tensors = load_file(sys.argv[1])
assert any(name.endswith(".lora_b") and np.abs(t).max() > 0 for name, t in tensors.items()), "the trained B is all zero"
save_file({name: (np.zeros_like(t) if name.endswith(".lora_b") else t) for name, t in tensors.items()}, sys.argv[2])
PY
    cp "$run/adapter_config.json" "$W/zero/adapter_config.json"
    start=$(date +%s.%N)
    for kind in trained zero; do
        input="$run/adapters.safetensors"; [ "$kind" = zero ] && input="$W/zero/adapters.safetensors"
        "$ML" convert gguf-lora --input "$input" --config "$run/adapter_config.json" --base-model "$W/base.gguf" \
            --output "$W/$kind.gguf" > "$W/$kind.txt" 2>&1 || fail "$family: gguf-lora ($kind): $(cat "$W/$kind.txt")"
        grep -q ": $arch, .*shapes checked against the base model" "$W/$kind.txt" \
            || fail "$family: gguf-lora ($kind) did not write a checked $arch adapter: $(cat "$W/$kind.txt")"
    done
    lora_seconds=$(echo "($(date +%s.%N) - $start) / 2" | bc -l)
    # Weight level: llama-export-lora's merge minus the base is scale·(a·b)ᵀ, rope-permuted for llama's q/k only.
    "$MLX_PY" scripts/verify_lora_llamacpp.py "$run" "$W/base.gguf" "$W/trained.gguf" "$arch" > "$W/weights.txt" 2>&1 \
        || fail "$family: the merged weights: $(tail -5 "$W/weights.txt")"

    # 3. Greedy agreement, token for token.
    "$MLX_PY" - "$family" "$base" "$run" "$W/base.gguf" "$W/zero.gguf" "$W/trained.gguf" "$SERVER" "$N" "$W/greedy.json" \
        > "$W/greedy.txt" 2>&1 <<'PY' || fail "$family: greedy comparison: $(tail -20 "$W/greedy.txt")"
import json, socket, subprocess, sys, time, urllib.request

import mlx.core as mx
from mlx_lm import load
from mlx_lm.generate import generate_step

family, base_dir, adapter_dir, gguf, zero_lora, trained_lora, server_bin, n, out = sys.argv[1:10]
n = int(n)
argmax = lambda logits: mx.argmax(logits, axis=-1)

_, tokenizer = load(base_dir)
question = json.loads(open("scripts/tests/mlx-lora-data/train.jsonl").readline())["messages"][:1]
prompt = list(tokenizer.apply_chat_template(question, add_generation_prompt=True))


def mlx_greedy(adapter):  # n tokens, not stopped: where the answer ends is decided against llama-server's below
    model, _ = load(base_dir, adapter_path=adapter)
    return [int(token) for token, _ in generate_step(mx.array(prompt), model, max_tokens=n, sampler=argmax)]


mlx_base, mlx_trained = mlx_greedy(None), mlx_greedy(adapter_dir)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
url = f"http://127.0.0.1:{port}"
log = open(out + ".server.log", "w")
# Both adapters loaded, none applied: each request names its scales (--lora-init-without-apply).
server = subprocess.Popen([server_bin, "-m", gguf, "--lora", zero_lora, "--lora", trained_lora, "--lora-init-without-apply",
                           "--host", "127.0.0.1", "--port", str(port), "-c", "512", "-np", "1", "-t", "2", "--no-warmup"],
                          stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
try:
    for _ in range(300):
        try:
            if urllib.request.urlopen(url + "/health", timeout=1).status == 200:
                break
        except Exception:
            time.sleep(0.1)
    else:
        sys.exit(f"llama-server did not start: {open(out + '.server.log').read()[-2000:]}")

    def server_greedy(scales):
        body = {"prompt": prompt, "n_predict": n, "temperature": 0, "top_k": 1, "cache_prompt": False,
                "return_tokens": True, "lora": [{"id": i, "scale": s} for i, s in enumerate(scales)]}
        request = urllib.request.Request(url + "/completion", json.dumps(body).encode(), {"Content-Type": "application/json"})
        reply = json.load(urllib.request.urlopen(request, timeout=120))
        return reply["tokens"], reply.get("stop_type") == "eos"

    (server_base, base_eos), (server_zero, _), (server_trained, trained_eos) = \
        server_greedy([0, 0]), server_greedy([1, 0]), server_greedy([0, 1])
finally:
    server.terminate()
    server.wait(10)


stop_set_differences = set()


def ended(mlx, server, server_eos):
    """mlx-lm's answer cut where it ends: after its first end-of-generation token (the model's eos_token_ids, as
    mlx-lm stops), or after the token llama-server ended on when mlx-lm produced that same token there (llama.cpp's
    end-of-generation set can be larger, e.g. Llama 3's <|eom_id|>: recorded, not a disagreement of the weights)."""
    for i, token in enumerate(mlx):
        if token in tokenizer.eos_token_ids:
            return mlx[:i + 1]
        if server_eos and i == len(server) - 1 and token == server[i]:
            stop_set_differences.add(tokenizer.convert_ids_to_tokens(token))
            return mlx[:i + 1]
    return mlx


mlx_base, mlx_trained = ended(mlx_base, server_base, base_eos), ended(mlx_trained, server_trained, trained_eos)


def agreeing(a, b):  # "leading tokens in common/tokens of the longer answer": equal answers give "k/k"
    count = 0
    while count < min(len(a), len(b)) and a[count] == b[count]:
        count += 1
    return f"{count}/{max(len(a), len(b))}"


result = {"family": family, "max_tokens": n, "prompt_tokens": len(prompt),
          "base_llama_server_vs_mlx": agreeing(server_base, mlx_base),
          "zero_b_vs_base_llama_server": agreeing(server_zero, server_base),
          "trained_llama_server_vs_mlx": agreeing(server_trained, mlx_trained),
          "trained_vs_base_llama_server": agreeing(server_trained, server_base),
          "trained_answer": tokenizer.decode(server_trained),
          "llama_cpp_only_end_tokens": sorted(stop_set_differences),
          "mlx_base": mlx_base, "mlx_trained": mlx_trained,
          "llama_server_base": server_base, "llama_server_zero_b": server_zero, "llama_server_trained": server_trained}
json.dump(result, open(out, "w"))
print(json.dumps({k: v for k, v in result.items() if not isinstance(v, list) or k == "llama_cpp_only_end_tokens"}))
PY
    counts="$(tail -n1 "$W/greedy.txt")"
    field() { "$MLX_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$W/greedy.json" "$1"; }
    same() { local c; c="$(field "$1")"; [ "${c%/*}" = "${c#*/}" ] && [ "${c#*/}" -ge "$2" ]; }
    # Answers may end (end of turn) before N tokens: they must be the same answer, of at least 4 (8 trained) tokens.
    same zero_b_vs_base_llama_server 4 || fail "$family: the zero-B adapter changed llama-server's answer: $counts"
    same base_llama_server_vs_mlx 4 || fail "$family: llama-server and mlx-lm disagree on the base: $counts"
    same trained_llama_server_vs_mlx 8 \
        || fail "$family: with the trained adapter llama-server and mlx-lm disagree: $counts ($(cat "$W/trained.txt"))"
    ! same trained_vs_base_llama_server 1 || fail "$family: the trained adapter did not change the answer: $counts"

    # `ml generate` with the trained adapter on each runtime answers the training question (greedy). llama-server
    # renders a Qwen 3 chat with an empty think block (enable_thinking false), which mlx_lm.lora's training prompts
    # did not have, so there the tiny model's answer only has to differ from the base's.
    for runtime in "mlx $base $run" "llama $W/base.gguf $W/trained.gguf"; do
        set -- $runtime
        "$ML" generate --backend "$1" --model "$2" --adapter "$3" --temperature 0 --max-tokens 24 \
            "What is the lighthouse keeper's password?" > "$W/generate-$1.txt" 2> "$W/generate-$1.err" \
            || fail "$family: ml generate --backend $1 --adapter: $(tail -5 "$W/generate-$1.err")"
        if [ "$1/$family" = llama/qwen3 ]; then
            "$ML" generate --backend llama --model "$2" --temperature 0 --max-tokens 24 "What is the lighthouse keeper's password?" \
                > "$W/generate-base.txt" 2>/dev/null || fail "$family: ml generate on the base"
            cmp -s "$W/generate-$1.txt" "$W/generate-base.txt" && fail "$family: --adapter did not change llama-server's answer"
        else
            grep -q "MARMALADE" "$W/generate-$1.txt" || fail "$family: ml generate --backend $1 --adapter answered: $(cat "$W/generate-$1.txt")"
        fi
    done

    # 4. The agent on the MLX backend: checkpoints 5 and 10, under the base model's name.
    mkdir -p "$W/adapters/$dirname"
    cp "$run/0000005_adapters.safetensors" "$run/0000010_adapters.safetensors" "$run/adapter_config.json" "$W/adapters/$dirname/"
    start=$(date +%s.%N)
    status=0
    "$ML" agent --backend mlx --base-model "$base" --adapter-base "$W/adapters" --db "$W/scores.sqlite" --work-dir "$W/work" \
        --max-tokens 16 --judge-url "$JUDGE_URL" --judge-model scripted --one-shot > "$W/agent.txt" 2> "$W/agent.err" || status=$?
    agent_seconds=$(echo "($(date +%s.%N) - $start) / 2" | bc -l)
    [ "$status" = 0 ] && grep -q "evaluated 2, failed 0, already scored 0" "$W/agent.txt" \
        || fail "$family: ml agent --backend mlx (status $status): $(cat "$W/agent.txt"; tail -10 "$W/agent.err")"
    rows="$(sqlite3 "$W/scores.sqlite" "SELECT count(*) FROM checkpoint_scores WHERE model = '$tag' AND total = 23 AND judge_avg = 6")"
    [ "$rows" = 2 ] || fail "$family: checkpoint rows with model tag $tag: $(sqlite3 "$W/scores.sqlite" 'SELECT run_id, label, model FROM checkpoint_scores')"
    [ "$(sqlite3 "$W/scores.sqlite" 'SELECT count(*) FROM probe_results')" = 46 ] || fail "$family: probe_results rows"
    differ="$(sqlite3 "$W/scores.sqlite" "SELECT count(*) FROM probe_results a JOIN probe_results b ON a.probe_id = b.probe_id
        WHERE a.label LIKE '%0000005' AND b.label LIKE '%0000010' AND a.response != b.response")"
    [ "$differ" -ge 1 ] || fail "$family: checkpoints 5 and 10 gave identical answers to every probe: adapters not applied?"
    [ -z "$(ls -A "$W/work" 2>/dev/null)" ] || fail "$family: work directory not cleaned: $(ls "$W/work")"

    # The agent's llama.cpp path on the same checkpoints: each converted to a GGUF LoRA against the family's GGUF
    # (the architecture from the base) and evaluated on llama-server.
    start=$(date +%s.%N)
    status=0
    "$ML" agent --base-model "$W/base.gguf" --adapter-base "$W/adapters" --db "$W/scores-llama.sqlite" --work-dir "$W/work" \
        --max-tokens 16 --judge-url "$JUDGE_URL" --judge-model scripted --one-shot > "$W/agent-llama.txt" 2> "$W/agent-llama.err" || status=$?
    llama_agent_seconds=$(echo "($(date +%s.%N) - $start) / 2" | bc -l)
    [ "$status" = 0 ] && grep -q "evaluated 2, failed 0, already scored 0" "$W/agent-llama.txt" \
        || fail "$family: ml agent on llama-server (status $status): $(cat "$W/agent-llama.txt"; tail -10 "$W/agent-llama.err")"
    [ "$(sqlite3 "$W/scores-llama.sqlite" "SELECT count(*) FROM checkpoint_scores WHERE model = '$tag' AND total = 23")" = 2 ] \
        || fail "$family: llama path checkpoint rows: $(sqlite3 "$W/scores-llama.sqlite" 'SELECT run_id, label, model FROM checkpoint_scores')"

    $first || echo "," >> "$T/report.json"
    first=false
    printf '{"family": "%s", "architecture": "%s", "mlx_to_gguf_seconds": %.2f, "gguf_lora_seconds": %.2f, "agent_seconds_per_checkpoint": %.2f, "llama_agent_seconds_per_checkpoint": %.2f, "greedy": %s, "weights": %s, "tag": "%s"}\n' \
        "$family" "$arch" "$gguf_seconds" "$lora_seconds" "$agent_seconds" "$llama_agent_seconds" "$counts" "$(tail -n1 "$W/weights.txt")" "$tag" >> "$T/report.json"
    printf 'families-lora.sh: %s: weights %s; greedy %s; agent %.1f s per checkpoint on MLX, %.1f s on llama-server (tag %s, %s of 23 probe answers differ between checkpoints)\n' \
        "$family" "$(tail -n1 "$W/weights.txt")" "$counts" "$agent_seconds" "$llama_agent_seconds" "$tag" "$differ" >&2
done
echo "]" >> "$T/report.json"
[ -n "${FAMILIES_LORA_REPORT:-}" ] && cp "$T/report.json" "$FAMILIES_LORA_REPORT"
echo "families-lora.sh: ok" >&2
