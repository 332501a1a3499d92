#!/usr/bin/env bash
# `ml status` end to end: nothing to read (exit 1, notes), a workspace only (exit 0, a note for InfluxDB), InfluxDB
# down (a note, not a failure), and a real InfluxDB 1.x started here holding training and generation points written
# as the reference writes them: the one screen and --json read them back.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-status-test.XXXXXX)"
INFLUX_PID=""
cleanup() { [ -n "$INFLUX_PID" ] && kill "$INFLUX_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "status.sh: FAIL: $*" >&2; [ -f "$T/influxd.log" ] && tail -5 "$T/influxd.log" >&2; exit 1; }
command -v influxd >/dev/null || fail "influxd is missing: run scripts/setup"
unset ML_AGENT_INFLUX ML_AGENT_DB ML_AGENT_CONFIG
# A score store that is not there (the agent's, read by every status below) and a workspace that is not yet.
DB=(--store "$T/scores.sqlite")
WS="$T/workspace.sqlite"

# Nothing to read: every source is a note, the exit status 1.
set +e
"$ML" status "${DB[@]}" --workspace "$WS" > "$T/none.txt" 2> "$T/none.err"; code=$?
"$ML" status "${DB[@]}" --workspace "$WS" --json > "$T/none.json" 2>/dev/null; json_code=$?
set -e
[ "$code" = 1 ] && [ "$json_code" = 1 ] || fail "nothing to read exited $code / $json_code, not 1"
grep -q "no InfluxDB configured" "$T/none.txt" || fail "no note for InfluxDB: $(cat "$T/none.txt")"
grep -q "no score store at" "$T/none.txt" || fail "no note for the store: $(cat "$T/none.txt")"
grep -q "no workspace at" "$T/none.txt" || fail "no note for the workspace: $(cat "$T/none.txt")"
grep -q "^error: nothing could be read" "$T/none.err" || fail "no error line: $(cat "$T/none.err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["sources_read"] == [] and d["influx"] is None and len(d["notes"]) == 3, d' \
    "$T/none.json" || fail "--json with nothing: $(cat "$T/none.json")"

# A workspace and no InfluxDB: exit 0, its counts, the InfluxDB note.
printf '%s\n' '{"prompt": "Name one red fruit.", "domain": "food"}' '{"prompt": "Name one river.", "domain": "geography"}' > "$T/seeds.jsonl"
"$ML" data import --workspace "$WS" --kind seeds "$T/seeds.jsonl" > /dev/null || fail "data import"
"$ML" status "${DB[@]}" --workspace "$WS" > "$T/ws.txt" || fail "status with a workspace exited $?"
grep -q "^workspace: 2 seeds" "$T/ws.txt" || fail "no workspace counts: $(cat "$T/ws.txt")"
! grep -q "^Training:" "$T/ws.txt" || fail "a Training section without InfluxDB"

# InfluxDB configured but down: a note, exit 0 (the workspace was read), the URL's password never shown.
"$ML" status "${DB[@]}" --workspace "$WS" --influx "http://user:hunter2@127.0.0.1:1" > "$T/down.txt" || fail "InfluxDB down exited $?"
grep -q "InfluxDB at http://127.0.0.1:1 did not answer" "$T/down.txt" || fail "no note for InfluxDB down: $(cat "$T/down.txt")"
! grep -q hunter2 "$T/down.txt" || fail "the password was printed"

# A real InfluxDB with the reference's points.
source scripts/tests/lib/servers.sh
start_influxd
curl -sf -XPOST "$INFLUX/write?db=training" --data-binary @- <<'LP' || fail "writing the reference's points"
training_status,model=gemma-3-1b,run_id=r1 status="running",iteration=400i,total_iters=1000i,pct=40.0
training_loss,model=gemma-3-1b,run_id=r1,phase=P0,loss_type=train loss=1.434,perplexity=4.2,tokens_total=4000i,tokens_per_sec=512.3,peak_memory_gb=3.2,iteration=400i,lr=0.000015
golden_gen_progress,worker=m3-gpu0 completed=15000i,target=15000i,pct=100.0
expansion_progress,worker=m3-gpu1 completed=7i,target=46331i,pct=0.0
LP
"$ML" status "${DB[@]}" --workspace "$WS" --influx "$INFLUX" --influx-db training > "$T/influx.txt" || fail "status with InfluxDB exited $?"
grep -q "^Training:" "$T/influx.txt" || fail "no Training section: $(cat "$T/influx.txt")"
grep -Eq "^  gemma-3-1b +running +400/1000 +40\.0%  loss=1\.434  lr=1\.50e-05$" "$T/influx.txt" || fail "no training line: $(cat "$T/influx.txt")"
grep -Eq "^  golden +15000/15000 +100\.0%  \(m3-gpu0\)$" "$T/influx.txt" || fail "no golden line: $(cat "$T/influx.txt")"
grep -Eq "^  expansion +7/46331 +0\.0%  \(m3-gpu1\)$" "$T/influx.txt" || fail "no expansion line: $(cat "$T/influx.txt")"
"$ML" status "${DB[@]}" --workspace "$WS" --influx "$INFLUX" --influx-db training --json > "$T/influx.json" || fail "--json exited $?"
python3 - "$T/influx.json" <<'PY' || fail "--json with InfluxDB: $(cat "$T/influx.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sources_read"] == ["influx", "workspace"], d["sources_read"]
assert d["influx"] == {"reachable": True}, d["influx"]
t = d["training"][0]
assert (t["model"], t["status"], t["iteration"], t["total_iters"], t["loss"], t["learning_rate"]) == \
    ("gemma-3-1b", "running", 400, 1000, 1.434, 0.000015), t
assert [(g["kind"], g["worker"], g["completed"], g["target"]) for g in d["generation"]] == \
    [("golden", "m3-gpu0", 15000, 15000), ("expansion", "m3-gpu1", 7, 46331)], d["generation"]
assert d["workspace"]["seeds"] == 2 and d["latest_checkpoints"] == [] and d["evaluated_checkpoints"] == 0, d
PY
# `ml data expand --influx` on the default local model writes the reference's measurements beside ours, and
# `ml status` reads its expansion_progress back.
printf '%s\n' '{"prompt": "Gold?", "response": "Golden answer.", "domain": "food", "voice": "calm"}' > "$T/golden.jsonl"
"$ML" data import --workspace "$WS" --kind golden "$T/golden.jsonl" > /dev/null || fail "golden import"
"$ML" data normalize --workspace "$WS" > /dev/null || fail "normalize"
"$ML" data expand --workspace "$WS" --max-tokens 8 --temperature 0 --influx "$INFLUX" --influx-db training > "$T/expand.log" 2>&1 \
    || fail "data expand: $(tail -5 "$T/expand.log")"
! grep -q "not written" "$T/expand.log" || fail "a progress write failed: $(cat "$T/expand.log")"
q() { curl -sfG "$INFLUX/query" --data-urlencode db=training --data-urlencode "q=$1"; }
q 'SELECT "seed_id", "gen_time", "chars", "model", "i", "w", "d" FROM "expansion_gen"' > "$T/gen.json"
q 'SELECT "completed", "target", "pct", "worker" FROM "expansion_progress" WHERE "worker" =~ /^expand-/' > "$T/progress.json"
q 'SELECT "seed_id", "chars", "i", "w", "d", "v" FROM "gold_gen"' > "$T/gold.json"
q 'SELECT * FROM "golden_set_stats"' > "$T/stats.json"
q 'SELECT "count" FROM "golden_set_domain"' > "$T/domain.json"
q 'SELECT "answered" FROM "data_expand"' > "$T/ours.json"
python3 - "$T" <<'PY' || fail "the reference's measurements after data expand"
import json, sys
t = sys.argv[1]
def rows(name):
    series = json.load(open(f"{t}/{name}.json"))["results"][0].get("series", [])
    return [dict(zip(s["columns"], v)) for s in series for v in s["values"]]
gen = rows("gen")
assert len(gen) == 2 and {g["d"] for g in gen} == {"food", "geography"}, gen
assert all(isinstance(g["chars"], int) and g["chars"] > 0 and isinstance(g["gen_time"], float) for g in gen), gen
assert sorted(g["i"] for g in gen) == ["0", "1"] and all(g["w"].startswith("expand-") for g in gen), gen
progress = rows("progress")
assert progress[-1]["completed"] == 2 and progress[-1]["target"] == 2 and progress[-1]["pct"] == 100.0, progress
gold = rows("gold")
assert [(g["seed_id"] != "", g["chars"], g["w"], g["d"], g["v"]) for g in gold] == [(True, 14, "import", "food", "calm")], gold
stats = rows("stats")[-1]
assert (stats["total_examples"], stats["domains"], stats["voices"]) == (1, 1, 1), stats
assert stats["completion_pct"] == 0.0 and rows("domain")[-1]["count"] == 1, stats
assert rows("ours")[-1]["answered"] == 2
PY
"$ML" status "${DB[@]}" --workspace "$WS" --influx "$INFLUX" --influx-db training > "$T/after.txt" || fail "status after expand exited $?"
grep -Eq "^  expansion +2/2 +100\.0%  \(expand-" "$T/after.txt" || fail "ml status does not show the expansion: $(cat "$T/after.txt")"
# ml serve with the same InfluxDB options: GET /v1/ml/status carries the same snapshot.
PORT="$(free_port)"
"$ML" serve --bind "127.0.0.1:$PORT" --store "$T/scores.sqlite" --workspace "$WS" --influx "$INFLUX" --influx-db training \
    > "$T/serve.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null; [ -n "$INFLUX_PID" ] && kill "$INFLUX_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$T"; }
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || fail "ml serve exited: $(tail -5 "$T/serve.log")"
    sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/v1/ml/status" > "$T/rest.json" || fail "/v1/ml/status: $(tail -5 "$T/serve.log")"
"$ML" status "${DB[@]}" --workspace "$WS" --influx "$INFLUX" --influx-db training --json > "$T/cli.json" || fail "--json exited $?"
python3 - "$T/rest.json" "$T/cli.json" <<'PY' || fail "/v1/ml/status is not ml status's snapshot: $(cat "$T/rest.json")"
import json, sys
rest, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert rest["success"] is True, rest
data = rest["data"]
assert {"ready", "backends", "has_judge", "model", "backend"} <= set(data), data
# answers_last_minute may change between the two reads.
for snapshot in (data, cli):
    snapshot["workspace"].pop("answers_last_minute")
for key in cli:
    assert data[key] == cli[key], (key, data[key], cli[key])
PY
echo "status.sh: ok"
