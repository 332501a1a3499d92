#!/usr/bin/env bash
# End-to-end checks of `ml probe`, `ml score` and `ml compare` with the real llama-server and the default model.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-score-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "score.sh: FAIL: $*" >&2; exit 1; }

# ml probe: 23 built-in probes in 16 categories, the reference's result shape, the answers as scoring input.
# --concurrency sets the local server's slots, each with the context an answer and its judging need (512 answer
# tokens + 384 of judge reply + 2,048 of prompt: 4,096), not llama-server's default of the model's whole context.
LLAMA_ARG_LOG_FILE="$T/probe-server.log" "$ML" probe --concurrency 3 --output "$T/probe.json" \
    --answers "$T/answers.jsonl" > "$T/probe.txt" 2> "$T/probe.err" \
    || { cat "$T/probe.err" >&2; fail "ml probe exited non-zero"; }
grep -q "^overall" "$T/probe.txt" || fail "no per-category table: $(cat "$T/probe.txt")"
grep -q "n_slots = 3, n_ctx_slot = 4096" "$T/probe-server.log" \
    || fail "ml probe --concurrency 3: $(grep -o 'n_slots = .*' "$T/probe-server.log" || echo 'no slot line in the server log')"
! grep -q "request(s) at once" "$T/probe.err" || fail "ml probe capped its concurrency: $(cat "$T/probe.err")"
python3 - "$T/probe.json" "$T/answers.jsonl" <<'PY' || fail "ml probe --output / --answers"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == 23, d["total"]
assert len(d["by_category"]) == 16, sorted(d["by_category"])
assert sum(c["total"] for c in d["by_category"].values()) == 23
assert d["correct"] == sum(c["correct"] for c in d["by_category"].values())
# The reference's shape: accuracy in percent (one decimal), responses cut to their first 300 bytes.
assert d["accuracy"] == round(100 * d["correct"] / d["total"], 1), d["accuracy"]
assert len(d["probes"]) == 23 and all(set(p) >= {"passed", "response"} for p in d["probes"].values())
assert all(len(p["response"].encode("utf-8")) <= 300 for p in d["probes"].values())
answers = [json.loads(l) for l in open(sys.argv[2])]
assert len(answers) == 23 and all(a["domain"] == "capability" and a["response"] for a in answers), answers[:2]
PY

# ml probe --samples 2: two probes of a replacement set, each asked twice at seeds 1 and 2; the first sample keeps
# the reference's keys, the samples add theirs (pass@1, pass@2, every answer's accuracy with its Wilson interval).
cat > "$T/two.json" <<'JSON'
{"mode": "replace", "probes": [
 {"id": "add", "category": "arithmetic", "prompt": "What is 2 + 3? Answer with the number.", "expected": "5", "check": {"type": "contains", "value": "5"}},
 {"id": "capital", "category": "geography", "prompt": "What is the capital of France?", "expected": "Paris", "check": {"type": "contains", "value": "Paris"}}]}
JSON
"$ML" probe --probes "$T/two.json" --samples 2 --temperature 0.8 --seed 1 --max-tokens 48 --concurrency 2 \
    --output "$T/samples.json" > "$T/samples.txt" 2> "$T/samples.err" \
    || { cat "$T/samples.err" >&2; fail "ml probe --samples 2 exited non-zero"; }
grep -q "pass@2" "$T/samples.txt" || fail "no samples table: $(cat "$T/samples.txt")"
python3 - "$T/samples.json" <<'PY' || fail "ml probe --samples 2 --output"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"] == 2 and d["samples"] == 2, d
assert {"accuracy", "correct", "total", "by_category", "probes"} <= set(d)
passed = [p["samples_passed"] for p in d["probes"].values()]
assert all(0 <= c <= 2 for c in passed), passed
assert d["sample_accuracy"] == round(100 * sum(passed) / 4, 1) == d["pass_at_1"], d
assert d["pass_at_k"] == round(100 * sum(c > 0 for c in passed) / 2, 1), d
low, high = d["sample_accuracy_wilson_95"]
assert low <= d["sample_accuracy"] <= high, d
PY

# ml score, heuristic + exact, with a malformed line: every good line scored, the bad one named, exit 1.
cp "$T/answers.jsonl" "$T/input.jsonl"
echo '{"id": "broken", "prompt": ' >> "$T/input.jsonl"
if "$ML" score --input "$T/input.jsonl" --output "$T/a.json" > "$T/score.txt" 2> "$T/score.err"; then
    fail "ml score exited 0 although a line was malformed"
fi
grep -q "line 24" "$T/score.err" || fail "the malformed line is not named: $(cat "$T/score.err")"
python3 - "$T/a.json" <<'PY' || fail "score file shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["metadata"]["items"] == 24 and d["metadata"]["failed_items"] == 1, d["metadata"]
avg = next(iter(d["model_averages"].values()))
assert "lek_score" in avg, avg
assert len(next(iter(d["per_prompt"].values()))) == 23
PY

# The capability judge on the local model (schema-constrained JSON), interrupted with kill -9 and resumed:
# nothing journaled is judged again.
"$ML" score --input "$T/answers.jsonl" --output "$T/b.json" --suites heuristic,capability --concurrency 2 \
    > "$T/judge1.txt" 2> "$T/judge1.err" &
pid=$!
# Up to 5 minutes for the first judged items (a busy machine is slow); on a quiet one this takes seconds.
for _ in $(seq 1 3000); do
    [ -f "$T/b.json.journal" ] && [ "$(wc -l < "$T/b.json.journal")" -ge 3 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
journaled="$(wc -l < "$T/b.json.journal")"
[ "$journaled" -ge 1 ] || fail "nothing was journaled before the kill"
"$ML" score --input "$T/answers.jsonl" --output "$T/b.json" --suites heuristic,capability --concurrency 2 --resume \
    > "$T/judge2.txt" 2> "$T/judge2.err" || { cat "$T/judge2.err" >&2; fail "the resumed judge run failed"; }
python3 - "$T/b.json" "$T/judge2.txt" "$journaled" <<'PY' || fail "resume or judge scores: $(cat "$T/judge2.txt")"
import json, re, sys
d = json.load(open(sys.argv[1]))
summary = open(sys.argv[2]).read()
journaled = int(sys.argv[3])
m = re.search(r"(\d+) items, (\d+) failed, (\d+) resumed, (\d+) judge calls", summary)
items, failed, resumed, calls = map(int, m.groups())
assert items == 23 and failed == 0, summary
assert resumed >= min(journaled, 23) - 1 and calls <= 2 * (23 - resumed), (resumed, calls, journaled)
avg = next(iter(d["model_averages"].values()))
for key in ("capability_reasoning", "capability_correctness", "capability_clarity"):
    assert key in avg and 0 <= avg[key] <= 10, (key, sorted(avg))
assert d["metadata"]["reproducibility"]["judge_model_sha256"] and len(d["metadata"]["reproducibility"]["judge_model_sha256"]) == 64
PY

# Ctrl-C stops promptly with status 130, keeping the journal.
"$ML" score --input "$T/answers.jsonl" --output "$T/c.json" --suites capability > /dev/null 2> "$T/int.err" &
pid=$!
for _ in $(seq 1 600); do [ -s "$T/c.json.journal" ] && break; sleep 0.1; done
kill -INT "$pid"
start=$(date +%s)
status=0; wait "$pid" || status=$?
[ "$status" -eq 130 ] || [ "$status" -eq 0 ] || fail "SIGINT: exit status $status"
[ $(( $(date +%s) - start )) -le 10 ] || fail "SIGINT took more than 10 s"

# ml compare: items paired on model and id, a paired test per metric.
"$ML" compare "$T/a.json" "$T/b.json" > "$T/compare.txt" || fail "ml compare"
grep -q "lek_score" "$T/compare.txt" || fail "compare shows no metrics: $(cat "$T/compare.txt")"
"$ML" compare --json "$T/a.json" "$T/b.json" > "$T/compare.json" || fail "ml compare --json"
python3 - "$T/compare.json" <<'PY' || fail "compare --json: $(cat "$T/compare.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["paired"] is True and d["rows"], d
for row in d["rows"]:
    assert {"model", "metric", "n", "old", "new", "delta", "stderr", "ci_low", "ci_high", "p_value", "test",
            "holm_significant"} <= set(row), row
    assert row["test"] in ("paired-t", "mcnemar-exact"), row
PY
if "$ML" compare "$T/a.json" "$T/input.jsonl" 2> "$T/cmp.err"; then fail "compare accepted a non-score file"; fi
# ml compare of two probe-result files: paired on probe id, probe_passed by the exact McNemar test. The second file
# is the first with every probe's outcome flipped, so every pair is discordant.
python3 - "$T/probe.json" "$T/flipped.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["probes"].values():
    p["passed"] = not p["passed"]
json.dump(d, open(sys.argv[2], "w"))
PY
"$ML" compare --json "$T/probe.json" "$T/flipped.json" > "$T/probe-compare.json" || fail "ml compare of probe files"
python3 - "$T/probe.json" "$T/probe-compare.json" <<'PY' || fail "probe compare --json: $(cat "$T/probe-compare.json")"
import json, sys
from math import comb
probes = json.load(open(sys.argv[1]))["probes"]
rows = json.load(open(sys.argv[2]))["rows"]
assert [(r["model"], r["metric"], r["test"]) for r in rows] == [("probes", "probe_passed", "mcnemar-exact")], rows
n = len(probes)
passed = sum(p["passed"] for p in probes.values())
assert rows[0]["n"] == n and abs(rows[0]["old"] - passed / n) < 1e-12 and abs(rows[0]["new"] - (n - passed) / n) < 1e-12, rows
# exact two-sided binomial on the n discordant pairs, passed of them one way
k = min(passed, n - passed)
p = min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)
assert abs(rows[0]["p_value"] - p) < 1e-12, (rows[0]["p_value"], p)
PY

echo "score.sh: all passed" >&2
