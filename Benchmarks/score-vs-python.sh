#!/usr/bin/env bash
# `ml score --suites heuristic` end to end (JSON lines in; score file, per-item lines and journal out) against the
# plain Python regex scorer Python/heuristic_scorer.py, on the same generated input, one run each side by side per
# size; prints wall time, MB/s, the ratio, and both peak RSS (/usr/bin/time -v). Release build first:
#
#     swift build -c release --product ml && Benchmarks/score-vs-python.sh 16 64 256 1024
#
# Inputs (the shape EngineBench generates: responses of 200–2,000 bytes from a small vocabulary with some UTF-8)
# are kept in ${BENCH_DIR:-/tmp} as swift-ml-score-bench-SIZE.jsonl for reuse; outputs are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
ML="${ML:-$(swift build -c release --show-bin-path)/ml}"
DIR="${BENCH_DIR:-/tmp}"
[ -x "$ML" ] || { echo "no release ml at $ML: swift build -c release --product ml" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
SIZES=("${@:-64}")

generate() {  # SIZE_MB PATH
    python3 - "$1" "$2" <<'PY'
import json, sys
target, path = int(sys.argv[1]) << 20, sys.argv[2]
words = ["the", "model", "answer", "I", "feel", "think", "because", "autonomy", "light", "we", "data", "café", "—", "consider"]
written = index = 0
with open(path, "w", encoding="utf-8") as out:
    while written < target:
        length, w, parts, size = 200 + (index * 7919) % 1800, index, [], 0
        while size < length:
            word = words[w % len(words)] + (". " if w % 9 == 0 else " ")
            parts.append(word); size += len(word.encode()); w = (w * 31 + 7) & 0x7FFFFFFF
        line = json.dumps({"id": f"item-{index}", "model": "bench", "prompt": f"Question {index}?",
                           "response": "".join(parts)}, ensure_ascii=False) + "\n"
        out.write(line); written += len(line.encode()); index += 1
PY
}

measure() {  # LABEL COMMAND… → "seconds peak_kb"
    local log; log="$(mktemp)"
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "$1 failed:" >&2; tail -5 "$log" >&2; rm -f "$log"; exit 1; }
    local wall rss
    wall="$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')"
    rss="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
    rm -f "$log"
    echo "$wall $rss"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for size in "${SIZES[@]}"; do
    input="$DIR/swift-ml-score-bench-$size.jsonl"
    [ -s "$input" ] || generate "$size" "$input"
    mb="$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1048576)" "$input")"
    out="$DIR/swift-ml-score-bench-$size.out"
    read -r ml_s ml_kb < <(measure "$ML" score --input "$input" --output "$out.scores.json" --suites heuristic)
    read -r py_s py_kb < <(measure python3 Benchmarks/Python/heuristic_scorer.py "$input" "$out.python.jsonl")
    rm -f "$out.scores.json" "$out.scores.json.items.jsonl" "$out.scores.json.journal" "$out.python.jsonl"
    python3 - "$mb" "$ml_s" "$ml_kb" "$py_s" "$py_kb" <<'PY'
import sys
mb, ml, ml_kb, py, py_kb = map(float, sys.argv[1:])
print(f"{mb:7.1f} MB: ml score {ml:6.2f} s = {mb / ml:6.1f} MB/s, peak RSS {ml_kb / 1024:6.1f} MB | "
      f"python {py:7.2f} s = {mb / py:5.2f} MB/s, peak RSS {py_kb / 1024:6.1f} MB | ratio {py / ml:5.1f}x")
PY
done
