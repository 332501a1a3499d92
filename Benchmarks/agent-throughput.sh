#!/usr/bin/env bash
# The agent's wall time per checkpoint against what the machine's llama-server can decode, one run side by side:
#
#     Benchmarks/agent-throughput.sh [MAX_TOKENS] [JUDGE_MAX_TOKENS] [CONCURRENCY]
#
# 1. the server's best batched decode rate: llama-server on the base model with --parallel P (P = 1, 2, 4, 8), P
#    requests of 64 tokens at once, tokens/s over the wall time of the batch, the better of two batches; the best P
#    counts; and its prompt-processing rate (one prompt of ~600 tokens, one token out);
# 2. `ml agent --one-shot` on one generated SmolLM2-shaped checkpoint (scripts/tests/make_checkpoints.py: rank 8 on
#    the attention projections) with $ML (default: the release build), the server's log captured through
#    LLAMA_ARG_LOG_FILE: tokens generated = the sum of its "eval time = … / N tokens" lines;
# 3. with ML_BEFORE=/path/to/older/ml, the same checkpoint with that binary (wall time only: its two servers would
#    share one log file).
# ITERATIONS="100 200" evaluates several checkpoints in one agent run (the later ones ask their probes longest first,
# from the earlier answers' lengths); the figures are then the last checkpoint's: its time from the agent's
# "recorded" line, its tokens from the log, which each llama-server truncates when it starts. SAME_ADAPTER=1 gives
# every checkpoint the first one's weights (a run whose answers no longer change; the default: each its own).
# KEEP=1 keeps the temporary directory (the server log, the agent's output) and prints it.
# Prints wall, tokens, best tokens/s, the ideal tokens ÷ best tokens/s and wall ÷ ideal (the goal is ≤ 1.3), and a
# second ideal that adds the prompt tokens the server evaluated ÷ its prompt rate (on a CPU, the judge's prompts
# cost as much as the tokens generated).
set -euo pipefail
cd "$(dirname "$0")/.."
ML="${ML:-$(swift build -c release --show-bin-path)/ml}"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
SERVER="$HOME_DIR/bin/llama-server"
MODEL="$HOME_DIR/models/SmolLM2-135M-Instruct.Q4_1.gguf"
MAX_TOKENS="${1:-512}"; JUDGE_MAX_TOKENS="${2:-384}"; CONCURRENCY="${3:-8}"
T="$(mktemp -d /tmp/ml-agent-bench.XXXXXX)"
if [ -n "${KEEP:-}" ]; then echo "kept: $T"; else trap 'rm -rf "$T"' EXIT; fi
read -r -a ITERATIONS <<< "${ITERATIONS:-100}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$HOME_DIR/venv/bin/python" scripts/tests/make_checkpoints.py "$T/adapters/smollm2-135m-lek" "${ITERATIONS[@]}" > /dev/null
if [ -n "${SAME_ADAPTER:-}" ]; then
    first="$(printf '%07d' "${ITERATIONS[0]}")"
    for iteration in "${ITERATIONS[@]:1}"; do
        cp "$T/adapters/smollm2-135m-lek/${first}_adapters.safetensors" \
            "$T/adapters/smollm2-135m-lek/$(printf '%07d' "$iteration")_adapters.safetensors"
    done
fi

read -r best prompt_rate < <(python3 - "$SERVER" "$MODEL" <<'PY'
import json, socket, subprocess, sys, threading, time, urllib.request
server, model = sys.argv[1:3]
best = 0.0
prompt_rate = 0.0
for parallel in (1, 2, 4, 8):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    proc = subprocess.Popen([server, "-m", model, "--host", "127.0.0.1", "--port", str(port), "--parallel", str(parallel)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200: break
            except Exception: time.sleep(0.2)
        tokens = [0] * parallel
        def ask(i):
            body = json.dumps({"prompt": f"Write a long story about the number {i}.", "n_predict": 64,
                               "ignore_eos": True, "temperature": 0, "cache_prompt": False}).encode()
            reply = json.load(urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/completion", body)))
            tokens[i] = reply["tokens_predicted"]
        rate = 0.0
        for _ in range(2):
            threads = [threading.Thread(target=ask, args=(i,)) for i in range(parallel)]
            started = time.monotonic()
            for t in threads: t.start()
            for t in threads: t.join()
            rate = max(rate, sum(tokens) / (time.monotonic() - started))
        print(f"  --parallel {parallel}: {sum(tokens)} tokens at {rate:.1f} tokens/s", file=sys.stderr)
        best = max(best, rate)
        if parallel == 1:
            body = json.dumps({"prompt": " ".join(f"word{i}" for i in range(300)), "n_predict": 1,
                               "temperature": 0, "cache_prompt": False}).encode()
            timings = json.load(urllib.request.urlopen(
                urllib.request.Request(f"http://127.0.0.1:{port}/completion", body)))["timings"]
            prompt_rate = timings["prompt_n"] / (timings["prompt_ms"] / 1000)
            print(f"  prompt processing: {timings['prompt_n']} tokens at {prompt_rate:.1f} tokens/s", file=sys.stderr)
    finally:
        proc.terminate(); proc.wait()
print(f"{best:.2f} {prompt_rate:.2f}")
PY
)

run_agent() {  # BINARY NAME [LOG]
    local start end
    start="$(date +%s.%N)"
    env ${3:+LLAMA_ARG_LOG_FILE="$3"} "$1" agent --adapter-base "$T/adapters" --db "$T/$2.sqlite" --work-dir "$T/work-$2" \
        --max-tokens "$MAX_TOKENS" --judge-max-tokens "$JUDGE_MAX_TOKENS" --concurrency "$CONCURRENCY" --one-shot \
        > "$T/$2.out" 2> "$T/$2.err" || { tail -5 "$T/$2.err" >&2; exit 1; }
    end="$(date +%s.%N)"
    grep -q "evaluated ${#ITERATIONS[@]}, failed 0" "$T/$2.out" || { cat "$T/$2.out" "$T/$2.err" >&2; exit 1; }
    local last
    last="$(grep '\[Agent\] recorded' "$T/$2.err" | tail -1 | grep -o 'seconds=[0-9.]*' | cut -d= -f2 || true)"
    if [ "${#ITERATIONS[@]}" -gt 1 ] && [ -n "$last" ]; then
        echo "$last"
    else  # one checkpoint, or an older ml that does not log its time: the whole run's wall per checkpoint
        python3 -c "print(f'{($end - $start) / ${#ITERATIONS[@]}:.1f}')"
    fi
}

after="$(run_agent "$ML" after "$T/server.log")"
tokens="$(grep -v "prompt eval time" "$T/server.log" | grep -o "eval time = *[0-9.]* ms / *[0-9]* tokens" | awk '{s += $(NF-1)} END {print s + 0}')"
prompt_tokens="$(grep -o "prompt eval time = *[0-9.]* ms / *[0-9]* tokens" "$T/server.log" | awk '{s += $(NF-1)} END {print s + 0}')"
python3 - "$after" "$tokens" "$best" "$prompt_tokens" "$prompt_rate" <<'PY'
import sys
wall, tokens, best, prompt_tokens, prompt_rate = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
ideal = tokens / best
with_prompts = ideal + prompt_tokens / prompt_rate
print(f"after:  wall {wall:.1f} s per checkpoint, {tokens} tokens generated, best batched {best:.1f} tokens/s, "
      f"ideal {ideal:.1f} s, wall / ideal {wall / ideal:.2f}")
print(f"        {prompt_tokens} prompt tokens evaluated at {prompt_rate:.1f} tokens/s: ideal with prompts "
      f"{with_prompts:.1f} s, wall / ideal with prompts {wall / with_prompts:.2f}")
PY
if [ -n "${ML_BEFORE:-}" ]; then
    before="$(run_agent "$ML_BEFORE" before)"
    echo "before: wall $before s per checkpoint ($ML_BEFORE)"
fi
