#!/usr/bin/env bash
# `ml report` end to end: score files and a probe-result file into one HTML page; an unreadable source is named on
# stderr and in the page, the rest is still reported, and the exit status is 1; no source flags read the default
# store under $SWIFT_ML_HOME; a workspace's stages and gaps are shown; no --output and no --serve is a usage error.
set -euo pipefail
cd "$(dirname "$0")/../.."
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-report-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "report.sh: FAIL: $*" >&2; exit 1; }

cat > "$T/old.json" <<'JSON'
{"metadata": {"judge_model": "judge-a", "reproducibility": {"judge_model_sha256": "0123abcd"}},
 "model_averages": {"smol": {"lek_score": 10.0, "exact_accuracy": 0.5}}, "per_prompt": {}}
JSON
cat > "$T/new.json" <<'JSON'
{"metadata": {"judge_model": "judge-a"}, "model_averages": {"smol": {"lek_score": 12.5, "exact_accuracy": 0.25}},
 "per_prompt": {}}
JSON
cat > "$T/probes.json" <<'JSON'
{"accuracy": 0.5, "correct": 1, "total": 2, "by_category": {},
 "probes": {"made_up_one": {"passed": true, "response": "yes"}, "made_up_two": {"passed": false, "response": "no"}}}
JSON

"$ML" report --scores "$T/old.json" --scores "$T/new.json" --probes "$T/probes.json" --output "$T/ok.html" \
    2> "$T/ok.err" || fail "a good report exited $?: $(cat "$T/ok.err")"
grep -q 'data-chart="comparison" data-series="2" data-points="4"' "$T/ok.html" || fail "no comparison chart of 2 files × 2 rows"
grep -q '+2.500' "$T/ok.html" || fail "no lek_score delta"
grep -q 'data-rows="2" data-columns="1"' "$T/ok.html" || fail "no probe matrix of the probe-result file"
grep -q '0123abcd' "$T/ok.html" || fail "the reproducibility panel lacks the judge model's SHA-256"
grep -qE 'https?://' "$T/ok.html" && fail "the page refers to the network"

set +e
"$ML" report --scores "$T/old.json" --scores "$T/missing.json" --output "$T/partial.html" 2> "$T/partial.err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a missing score file exited $status, not 1"
grep -q "score file $T/missing.json: no such file" "$T/partial.err" || fail "the missing file is not named: $(cat "$T/partial.err")"
grep -q 'missing.json: no such file' "$T/partial.html" || fail "the page does not name the missing file"
grep -q 'data-chart="comparison"' "$T/partial.html" || fail "the readable score file was not reported"

set +e
SWIFT_ML_HOME="$T/home" "$ML" report --output "$T/default.html" 2> "$T/default.err"
status=$?
set -e
[ "$status" -eq 1 ] || fail "a missing default store exited $status, not 1"
grep -q "store $T/home/agent/scores.sqlite: no such file" "$T/default.err" || fail "default store not used: $(cat "$T/default.err")"
[ ! -e "$T/home/agent/scores.sqlite" ] || fail "the report created a store"

# A training-data workspace made by `ml data import`: its stages and coverage gaps are in the page.
printf '%s\n' '{"prompt": "What grows on terraces in the Andes?", "region": "andes", "domain": "farming"}' \
    '{"prompt": "Who works the salt flats of Uyuni?", "region": "andes", "domain": "labour"}' > "$T/seeds.jsonl"
"$ML" data import --workspace "$T/ws.sqlite" --kind seeds "$T/seeds.jsonl" > /dev/null 2>&1 || fail "ml data import failed"
"$ML" report --workspace "$T/ws.sqlite" --output "$T/ws.html" 2> "$T/ws.err" || fail "a workspace report exited $?: $(cat "$T/ws.err")"
grep -q 'data-chart="stages" data-series="1" data-points="9"' "$T/ws.html" || fail "no stage chart for the workspace"
[ "$(grep -o '<tr class="gap">' "$T/ws.html" | wc -l)" -eq 2 ] || fail "the two cells without golden answers are not marked"

set +e
"$ML" report --scores "$T/old.json" 2> "$T/usage.err"
status=$?
set -e
[ "$status" -ne 0 ] || fail "no --output and no --serve was accepted"
echo "report.sh: ok" >&2
