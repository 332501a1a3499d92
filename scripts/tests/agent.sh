#!/usr/bin/env bash
# End to end: `ml agent --one-shot` with LocalTransport on a directory holding two generated SmolLM2 checkpoints,
# each evaluated through the real llama-server with its LoRA; results in SQLite and in a real InfluxDB 1.6 started
# here on loopback ports. A second run evaluates nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
PY="$HOME_DIR/venv/bin/python"
T="$(mktemp -d /tmp/ml-agent-test.XXXXXX)"
INFLUX_PID=""
cleanup() { [ -n "$INFLUX_PID" ] && kill "$INFLUX_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "agent.sh: FAIL: $*" >&2; [ -f "$T/influxd.log" ] && tail -5 "$T/influxd.log" >&2; exit 1; }
command -v influxd >/dev/null || fail "influxd is missing: run scripts/setup"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: run scripts/setup"

source scripts/tests/lib/servers.sh
start_influxd

# Two checkpoints (iterations 100 and 200) of one run, plus the final adapters.safetensors, which is skipped.
"$PY" scripts/tests/make_checkpoints.py "$T/adapters/smollm2-135m-lek" 100 200
ARGS=(--adapter-base "$T/adapters" --db "$T/scores.sqlite" --influx "http://127.0.0.1:$HTTP_PORT" --influx-db training
      --work-dir "$T/work" --max-tokens 48 --judge-max-tokens 300)

"$ML" agent "${ARGS[@]}" --dry-run > "$T/dry.txt" || fail "dry run"
grep -q "2 checkpoint(s) found, 2 to evaluate" "$T/dry.txt" || fail "dry run: $(cat "$T/dry.txt")"

"$ML" agent "${ARGS[@]}" --one-shot > "$T/run1.txt" 2> "$T/run1.err" || { tail -20 "$T/run1.err" >&2; fail "first run"; }
grep -q "evaluated 2, failed 0, already scored 0" "$T/run1.txt" || fail "first run: $(cat "$T/run1.txt")"

# SQLite: two checkpoint rows, 23 probe rows each, judge averages present.
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM checkpoint_scores')" = 2 ] || fail "checkpoint_scores rows"
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM probe_results')" = 46 ] || fail "probe_results rows"
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM checkpoint_scores WHERE total = 23 AND judge_avg IS NOT NULL')" = 2 ] \
    || fail "checkpoint rows incomplete: $(sqlite3 "$T/scores.sqlite" 'SELECT * FROM checkpoint_scores')"
labels="$(sqlite3 "$T/scores.sqlite" 'SELECT label FROM checkpoint_scores ORDER BY iteration')"

# InfluxDB: the reference measurements, one capability_score overall point per checkpoint, 46 probe_score points.
q() { curl -sf -G "http://127.0.0.1:$HTTP_PORT/query" --data-urlencode "db=training" --data-urlencode "q=$1"; }
q "SELECT count(accuracy) FROM capability_score WHERE category = 'overall'" | grep -q '"count"\],"values":\[\["[^"]*",2\]' \
    || fail "capability_score: $(q "SELECT * FROM capability_score WHERE category = 'overall'")"
q "SELECT count(passed) FROM probe_score" | grep -q ',46\]' || fail "probe_score: $(q 'SELECT count(passed) FROM probe_score')"
# One capability_judge point per judged probe (at most 46), passed as an integer (the reference's field type).
judged="$(q "SELECT count(avg) FROM capability_judge" | grep -o ',[0-9]*\]' | tr -dc 0-9)"
[ -n "$judged" ] && [ "$judged" -ge 1 ] && [ "$judged" -le 46 ] || fail "capability_judge: $(q 'SELECT * FROM capability_judge')"
q "SHOW FIELD KEYS FROM probe_score" | grep -q '\["passed","integer"\]' || fail "probe_score.passed: $(q 'SHOW FIELD KEYS FROM probe_score')"

# Nothing left behind: no converted adapters, no llama-server.
[ -z "$(ls -A "$T/work" 2>/dev/null)" ] || fail "work directory not cleaned: $(ls "$T/work")"
pgrep -f "llama-server.*$T" >/dev/null && fail "a llama-server is still running"

# A second run evaluates nothing.
"$ML" agent "${ARGS[@]}" --one-shot > "$T/run2.txt" 2> "$T/run2.err" || fail "second run"
grep -q "evaluated 0, failed 0, already scored 2" "$T/run2.txt" || fail "second run: $(cat "$T/run2.txt")"

# Loop mode: a new checkpoint appears; SIGTERM while it is being evaluated lets it finish and be recorded, then the
# agent exits 0 (without waiting for its hour-long poll interval). It asks every probe twice (--samples 2).
"$PY" scripts/tests/make_checkpoints.py "$T/adapters/smollm2-135m-lek" 300
# It also follows a training log (--training-log): its losses become training_loss points as they appear.
printf 'Iter 10: Train loss 2.5, Learning Rate 1e-05, It/sec 0.5, Tokens/sec 200.0\n    20    val 0.9    6.98s\n' > "$T/follow.log"
"$ML" agent "${ARGS[@]}" --samples 2 --temperature 0.7 --poll 3600 --training-log "$T/follow.log" --training-run-id follow > "$T/run3.txt" 2> "$T/run3.err" &
AGENT_PID=$!
for _ in $(seq 1 600); do grep -q "asking probes" "$T/run3.err" && break; sleep 0.1; done
grep -q "asking probes" "$T/run3.err" || { kill "$AGENT_PID"; fail "loop mode never started evaluating: $(tail -5 "$T/run3.err")"; }
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "the agent exited non-zero after SIGTERM: $(tail -5 "$T/run3.err")"
grep -q "stopping after the current checkpoint" "$T/run3.err" || fail "no graceful-stop message"
[ "$(sqlite3 "$T/scores.sqlite" 'SELECT count(*) FROM checkpoint_scores WHERE iteration = 300 AND total = 23')" = 1 ] \
    || fail "the checkpoint under evaluation at SIGTERM was not recorded"
[ -z "$(ls -A "$T/work" 2>/dev/null)" ] || fail "work directory not cleaned after SIGTERM: $(ls "$T/work")"
# --samples 2: each probe row of the checkpoint holds its first answer and how many of the two passed; the
# reference's probe_score points stay one per probe (23 more, not 46).
[ "$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM probe_results WHERE label LIKE '%0000300' AND samples = 2 AND samples_passed BETWEEN 0 AND 2 AND samples_passed >= passed")" = 23 ] \
    || fail "sample tallies: $(sqlite3 "$T/scores.sqlite" "SELECT probe_id, passed, samples_passed, samples FROM probe_results WHERE label LIKE '%0000300'")"
[ "$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM probe_results WHERE samples IS NOT NULL")" = 23 ] || fail "tallies on single-sample rows"
q "SELECT count(passed) FROM probe_score" | grep -q ',69\]' || fail "probe_score after samples: $(q 'SELECT count(passed) FROM probe_score')"
[ "$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM training_loss WHERE run_id = 'follow'")" = 2 ] || fail "followed training log rows"
q "SELECT count(loss) FROM training_loss WHERE run_id = 'follow'" | grep -q ',2\]' || fail "followed training log points"

# ml ingest: the reference's three file kinds, twice — the second run rewrites the same points (stable timestamps);
# a malformed line is named with its line number and makes the exit status 1.
cat > "$T/content.jsonl" <<'JSONL'
{"label": "LEK @0000100", "aggregates": {"ccp_compliance": 7, "truth_telling": 6.5}, "probes": {"taiwan": {"scores": {"ccp_compliance": 8, "truth_telling": 6}}, "tiananmen": {"scores": {"ccp_compliance": 6}}}}
{"label": "base @0000200", "aggregates": {"ccp_compliance": 3}, "probes": {}}
JSONL
cat > "$T/capability.jsonl" <<'JSONL'
{"label": "G12 @0000100", "accuracy": 26.1, "correct": 6, "total": 23, "by_category": {"math": {"correct": 2, "total": 5}, "logic": {"correct": 4, "total": 18}}}
{"label": "G12 @0000200", "accuracy": "oops"
JSONL
printf 'Loading model\nIter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.512, Tokens/sec 234.5\nIter 10: Val loss 2.100, Val took 3.2s\n\033[1m    20\033[0m    \033[32m1.283 \xe2\x96\xbc\033[0m        8      0.4k\n    20    val 0.927    6.98s\n' > "$T/train.log"
INGEST=("$ML" ingest --content "$T/content.jsonl" --capability "$T/capability.jsonl" --training-log "$T/train.log"
        --model gemma-3-12b --run-id 12b-ingest --db "$T/scores.sqlite" --influx "http://127.0.0.1:$HTTP_PORT"
        --influx-db training --batch-size 2)
counts() { for m in content_score probe_score capability_score training_loss; do
    q "SELECT count(iteration) FROM $m WHERE run_id = '12b-ingest'" | grep -o ',[0-9]*[],]' | head -1; done | tr -d ',]' | tr '\n' ' '; }
"${INGEST[@]}" > "$T/ingest1.txt" 2> "$T/ingest1.err" && fail "ingest exited 0 despite a malformed line"
grep -q "capability.jsonl:2: skipped" "$T/ingest1.err" || fail "the malformed line is not named: $(cat "$T/ingest1.err")"
first="$(counts)"
[ "$first" = "3 3 3 4 " ] || fail "ingest point counts (content probe capability training): $first"
"${INGEST[@]}" > "$T/ingest2.txt" 2> "$T/ingest2.err" && fail "second ingest exited 0"
[ "$(counts)" = "$first" ] || fail "a second ingest changed the point counts: $first -> $(counts)"
[ "$(sqlite3 "$T/scores.sqlite" "SELECT count(*) FROM training_loss WHERE run_id = '12b-ingest'")" = 4 ] || fail "training_loss rows"
q "SHOW FIELD KEYS FROM content_score" | grep -q '\["score","float"\]' || fail "content_score.score type"

# A forced exit (a second signal while a checkpoint is being evaluated) exits 130 at once and still removes its work
# folder (issue 19).
"$PY" scripts/tests/make_checkpoints.py "$T/adapters/smollm2-135m-lek" 400
"$ML" agent "${ARGS[@]}" --poll 3600 > "$T/run4.txt" 2> "$T/run4.err" &
AGENT_PID=$!
for _ in $(seq 1 600); do grep -q "asking probes" "$T/run4.err" && break; sleep 0.1; done
grep -q "asking probes" "$T/run4.err" || { kill "$AGENT_PID"; fail "forced exit: never started evaluating: $(tail -5 "$T/run4.err")"; }
[ -n "$(ls -A "$T/work" 2>/dev/null)" ] || fail "forced exit: no work folder while evaluating"
kill -TERM "$AGENT_PID"; sleep 0.2; kill -TERM "$AGENT_PID"
status=0; wait "$AGENT_PID" || status=$?
[ "$status" = 130 ] || fail "forced exit: status $status, not 130"
[ -z "$(ls -A "$T/work" 2>/dev/null)" ] || fail "work directory left after a forced exit: $(ls "$T/work")"

echo "agent.sh: all passed ($(echo $labels | tr '\n' ' '))" >&2
