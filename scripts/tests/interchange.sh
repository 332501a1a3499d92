#!/usr/bin/env bash
# The reference's data in and out with the real engines: DuckDB files made by the duckdb package (the reference's
# column types, NULLs) → `ml data import --duckdb` into SQLite and PostgreSQL (idempotent, missing tables noted,
# bad rows and files named); `ml data export --format parquet` read back by DuckDB and compared with the JSON-lines
# export of the same seed (rows, order, columns, SNAPPY, digests, the card's YAML); `ml data publish` against
# scripts/tests/hub_standin.py, a local stand-in (fake) of the Hub's upload API driven by the real huggingface_hub
# client (dry run, upload, token never printed, a refused file, a refused token). No real Hub is contacted.
# The JSON-lines export's training by a real mlx_lm.lora run is in data.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
ML="${BIN:-$(swift build --show-bin-path)}/ml"
PY="$HOME_DIR/venv/bin/python"
T="$(mktemp -d /tmp/ml-interchange-test.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "interchange.sh: FAIL: $*" >&2; exit 1; }
source scripts/tests/lib/servers.sh
"$PY" -c 'import duckdb, huggingface_hub, yaml' || fail "duckdb, huggingface_hub or pyyaml missing in $HOME_DIR/venv: run scripts/setup"

"$PY" scripts/tests/make_reference_duckdb.py "$T"
count() { "$ML" data query --workspace "$1" "$2" | tail -1 | tr -d ' '; }

# --- import into SQLite ---------------------------------------------------------------------------------------------
WS="$T/ws.sqlite"
"$ML" data import --workspace "$WS" --duckdb "$T/full.duckdb" > "$T/import.txt" 2> "$T/import.err" \
    || fail "import: $(cat "$T/import.txt" "$T/import.err")"
grep -q "^golden_set → golden: 12 rows read, 12 new, 0 already present" "$T/import.txt" || fail "golden: $(cat "$T/import.txt")"
grep -q "^seeds → seeds: 4 rows read, 4 new" "$T/import.txt" || fail "seeds: $(cat "$T/import.txt")"
grep -q "^expansion_prompts → prompts: 4 rows read, 3 new, .*1 left out (status 'done')" "$T/import.txt" \
    || fail "expansion_prompts: $(cat "$T/import.txt")"
grep -q "note: table training_examples (1 rows) not imported: training splits" "$T/import.txt" \
    || fail "the left-out table is not named: $(cat "$T/import.txt")"
[ "$(count "$WS" "SELECT COUNT(*) FROM golden")" = 12 ] || fail "golden rows stored"
[ "$(count "$WS" "SELECT COUNT(*) FROM golden WHERE domain IS NULL")" = 2 ] || fail "NULL domains not kept as NULL"
[ "$(count "$WS" "SELECT COUNT(*) FROM golden WHERE response LIKE '%礼貌。'")" = 1 ] || fail "non-ASCII text altered"
[ "$(count "$WS" "SELECT source FROM golden WHERE prompt = 'Name a river in Europe.'")" = "full.duckdb:golden_set:1" ] \
    || fail "golden source"
[ "$(count "$WS" "SELECT COUNT(*) FROM seeds WHERE domain IS NULL")" = 2 ] || fail "NULL/empty seed domains"
# The reference answers priority 1 before 2; so does the workspace's queue (highest first after negation).
[ "$(count "$WS" "SELECT prompt FROM prompts ORDER BY priority DESC, id LIMIT 1")" = "Lesilencepeut-ilmentir?" ] \
    || fail "prompt order: $(count "$WS" "SELECT prompt FROM prompts ORDER BY priority DESC, id LIMIT 1")"

# Idempotent: a second import adds nothing and says so.
"$ML" data import --workspace "$WS" --duckdb "$T/full.duckdb" > "$T/import2.txt" || fail "re-import exited non-zero"
grep -q "golden_set → golden: 12 rows read, 0 new, 12 already present" "$T/import2.txt" || fail "re-import: $(cat "$T/import2.txt")"
grep -q "^nothing new: the workspace already holds every usable row" "$T/import2.txt" || fail "re-import does not say so"
[ "$(count "$WS" "SELECT COUNT(*) FROM golden")" = 12 ] || fail "re-import added golden rows"

# Missing tables are notes, not failures.
"$ML" data import --workspace "$T/partial.sqlite" --duckdb "$T/partial.duckdb" > "$T/partial.txt" || fail "partial import"
grep -q "note: table seeds is not in" "$T/partial.txt" && grep -q "note: table expansion_prompts is not in" "$T/partial.txt" \
    || fail "missing tables not noted: $(cat "$T/partial.txt")"
grep -q "golden_set → golden: 3 rows read, 3 new" "$T/partial.txt" || fail "partial golden: $(cat "$T/partial.txt")"

# Bad rows are named by table and row; the exit status is 1; the good row is still imported.
if "$ML" data import --workspace "$T/bad.sqlite" --duckdb "$T/bad.duckdb" > "$T/bad.txt" 2> "$T/bad.err"; then
    fail "bad rows: exit 0"
fi
grep -q "bad.duckdb:golden_set:2: prompt is NULL or empty" "$T/bad.err" || fail "NULL prompt not named: $(cat "$T/bad.err")"
grep -q "bad.duckdb:golden_set:3: response is NULL or empty" "$T/bad.err" || fail "empty response not named: $(cat "$T/bad.err")"
grep -q "3 rows read, 1 new" "$T/bad.txt" || fail "bad: $(cat "$T/bad.txt")"

# A missing or corrupt file is a clear error.
if "$ML" data import --workspace "$T/x.sqlite" --duckdb "$T/nope.duckdb" 2> "$T/missing.err"; then fail "missing file: exit 0"; fi
grep -q "nope.duckdb: no such DuckDB file" "$T/missing.err" || fail "missing file: $(cat "$T/missing.err")"
head -c 70000 /dev/urandom > "$T/corrupt.duckdb"
if "$ML" data import --workspace "$T/x.sqlite" --duckdb "$T/corrupt.duckdb" 2> "$T/corrupt.err"; then fail "corrupt file: exit 0"; fi
grep -q "corrupt.duckdb: cannot be read as a DuckDB database" "$T/corrupt.err" || fail "corrupt file: $(cat "$T/corrupt.err")"
echo "interchange.sh: DuckDB import into SQLite: ok"

# --- import into PostgreSQL -----------------------------------------------------------------------------------------
start_postgres interchange
"$ML" data import --workspace "$PG" --duckdb "$T/full.duckdb" > "$T/pg.txt" || fail "PostgreSQL import: $(cat "$T/pg.txt")"
grep -q "golden_set → golden: 12 rows read, 12 new" "$T/pg.txt" || fail "PostgreSQL golden: $(cat "$T/pg.txt")"
"$ML" data import --workspace "$PG" --duckdb "$T/full.duckdb" > "$T/pg2.txt" || fail "PostgreSQL re-import"
grep -q "^nothing new" "$T/pg2.txt" || fail "PostgreSQL re-import: $(cat "$T/pg2.txt")"
for table in golden seeds prompts; do
    [ "$(count "$PG" "SELECT COUNT(*) FROM $table")" = "$(count "$WS" "SELECT COUNT(*) FROM $table")" ] \
        || fail "PostgreSQL $table count differs from SQLite's"
done
[ "$(count "$PG" "SELECT COUNT(*) FROM golden WHERE domain IS NULL")" = 2 ] || fail "PostgreSQL NULL domains"
echo "interchange.sh: DuckDB import into PostgreSQL: ok"

# --- Parquet export -------------------------------------------------------------------------------------------------
"$ML" data export --workspace "$WS" --seed 7 --output "$T/jsonl" > /dev/null || fail "JSON-lines export"
"$ML" data export --workspace "$WS" --seed 7 --format parquet --license cc-by-4.0 --output "$T/parquet" > "$T/export.txt" \
    || fail "Parquet export: $(cat "$T/export.txt")"
ls "$T/parquet" | sort | tr '\n' ' ' | grep -qx "README.md manifest.json test.parquet train.parquet valid.parquet " \
    || fail "Parquet export files: $(ls "$T/parquet")"
EXPECTED_LICENSE=cc-by-4.0 "$PY" scripts/tests/check_parquet_export.py "$T/parquet" "$T/jsonl" || fail "Parquet export check"
if "$ML" data export --workspace "$WS" --format parquet --license "MIT License" --output "$T/p2" 2> "$T/license.err"; then
    fail "a bad --license was accepted"
fi
grep -q "license" "$T/license.err" || fail "bad --license: $(cat "$T/license.err")"
# The same seed gives the same files (the card and manifest carry the time; the splits do not).
"$ML" data export --workspace "$WS" --seed 7 --format parquet --license cc-by-4.0 --output "$T/parquet" > /dev/null
EXPECTED_LICENSE=cc-by-4.0 "$PY" scripts/tests/check_parquet_export.py "$T/parquet" "$T/jsonl" > /dev/null || fail "re-export"

# --- publish against the stand-in -----------------------------------------------------------------------------------
TOKEN="hf_standin_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
standin() {  # standin NAME [--fail-path PATH]: starts a stand-in, sets URL
    mkdir -p "$T/$1"
    "$PY" scripts/tests/hub_standin.py --port-file "$T/$1/port" --token "$TOKEN" --store "$T/$1" --log "$T/$1/log" \
        "${@:2}" > "$T/$1.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do [ -s "$T/$1/port" ] && break; sleep 0.1; done
    [ -s "$T/$1/port" ] || fail "the stand-in did not start: $(cat "$T/$1.out")"
    URL="http://127.0.0.1:$(cat "$T/$1/port")"
}
NOHF=(env -u HF_TOKEN -u HF_TOKEN_PATH HF_HOME="$T/nohf")
CLEAN=(env -u HF_TOKEN_PATH HF_HOME="$T/nohf")   # HF_TOKEN kept
"${NOHF[@]}" "$ML" data publish --repo swiftml/test-set --dry-run "$T/parquet" > "$T/dry.txt" || fail "dry run: $(cat "$T/dry.txt")"
for f in data/train.parquet data/valid.parquet data/test.parquet README.md manifest.json; do
    grep -q "→ $f (" "$T/dry.txt" || fail "dry run does not list $f: $(cat "$T/dry.txt")"
done
grep -q "train.parquet → data/train.parquet ($(stat -c %s "$T/parquet/train.parquet") bytes)" "$T/dry.txt" \
    || fail "dry run size: $(cat "$T/dry.txt")"
if "${NOHF[@]}" "$ML" data publish --repo swiftml/test-set "$T/parquet" 2> "$T/notoken.err"; then fail "publish without a token: exit 0"; fi
grep -q "no Hub token" "$T/notoken.err" || fail "no token: $(cat "$T/notoken.err")"
if "$ML" data publish --repo "not a repo" --dry-run "$T/parquet" 2> "$T/badrepo.err"; then fail "bad --repo accepted"; fi
if "$ML" data publish --repo a/b --dry-run "$T/jsonl" 2> "$T/nopq.err"; then fail "a JSON-lines export was published"; fi
grep -q "no train/valid/test .parquet file" "$T/nopq.err" || fail "JSON-lines dir: $(cat "$T/nopq.err")"

standin hub
HF_TOKEN="$TOKEN" "${CLEAN[@]}" "$ML" data publish --repo swiftml/test-set --private --endpoint "$URL" "$T/parquet" \
    > "$T/publish.txt" 2>&1 || fail "publish: $(cat "$T/publish.txt")"
grep -q "5 of 5 files uploaded to $URL/datasets/swiftml/test-set" "$T/publish.txt" || fail "publish: $(cat "$T/publish.txt")"
for f in train valid test; do
    cmp -s "$T/parquet/$f.parquet" "$T/hub/datasets/swiftml/test-set/data/$f.parquet" || fail "uploaded $f.parquet differs"
done
cmp -s "$T/parquet/README.md" "$T/hub/datasets/swiftml/test-set/README.md" || fail "uploaded card differs"
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["datasets/swiftml/test-set"]["private"] else 1)' \
    "$T/hub/repos.json" || fail "--private did not reach the Hub: $(cat "$T/hub/repos.json")"
# The token file, HF_ENDPOINT, and a repository that already exists.
mkdir -p "$T/hf" && (umask 077 && printf '%s\n' "$TOKEN" > "$T/hf/token")
env -u HF_TOKEN -u HF_TOKEN_PATH HF_HOME="$T/hf" HF_ENDPOINT="$URL" "$ML" data publish --repo swiftml/test-set "$T/parquet" \
    > "$T/publish2.txt" 2>&1 || fail "publish with the token file: $(cat "$T/publish2.txt")"
# A refused token: a clear error, exit 1.
if "${NOHF[@]}" "$ML" data publish --repo swiftml/other --token "hf_wrong_$TOKEN" --endpoint "$URL" "$T/parquet" \
    > "$T/badtoken.txt" 2>&1; then fail "a refused token: exit 0"; fi
grep -q "cannot create or reach the dataset repository swiftml/other.*HTTP 401" "$T/badtoken.txt" \
    || fail "refused token: $(cat "$T/badtoken.txt")"
# A file the Hub refuses: named, the others uploaded, exit 1.
standin refusing --fail-path data/valid.parquet
if HF_TOKEN="$TOKEN" "${CLEAN[@]}" "$ML" data publish --repo swiftml/test-set --endpoint "$URL" "$T/parquet" \
    > "$T/refused.txt" 2>&1; then fail "a refused file: exit 0"; fi
grep -q "error: data/valid.parquet: not uploaded: HTTP 422: stand-in refuses data/valid.parquet" "$T/refused.txt" \
    || fail "refused file: $(cat "$T/refused.txt")"
grep -q "4 of 5 files uploaded" "$T/refused.txt" || fail "refused file: $(cat "$T/refused.txt")"
[ -f "$T/refusing/datasets/swiftml/test-set/data/test.parquet" ] || fail "the files after the refused one were not uploaded"
# The token is never printed.
if grep -rqF "$TOKEN" "$T"/*.txt "$T"/*.err "$T/hub/log" "$T/refusing/log"; then fail "the token was printed"; fi
echo "interchange.sh: Parquet export, dataset card and publish (stand-in Hub): ok"
