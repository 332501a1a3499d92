#!/usr/bin/env bash
# `ml data` end to end with the real default model behind `ml serve`: import → normalize → expand (interrupted and
# resumed) → score → approve → export, the export trained on by a real `mlx_lm.lora` run, the read-only views; then
# the fault run on a real PostgreSQL: 3 `ml worker`s, one killed with SIGKILL twice mid-batch, every prompt answered
# exactly once (checked by SQL).
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
ML="${BIN:-$(swift build --show-bin-path)}/ml"
PY="$HOME_DIR/venv/bin/python"
MLX_PY="$HOME_DIR/mlx-venv/bin/python"
MLX_MODEL="$HOME_DIR/models/SmolLM2-135M-Instruct-mlx"
T="$(mktemp -d /tmp/ml-data-test.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "data.sh: FAIL: $*" >&2; exit 1; }
source scripts/tests/lib/servers.sh

# The model server every step shares.
PORT="$(free_port)"
"$ML" serve --bind "127.0.0.1:$PORT" --max-concurrent 32 > "$T/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "ml serve did not become healthy: $(tail -5 "$T/serve.log")"
URL="http://127.0.0.1:$PORT"

# --- The pipeline on a SQLite workspace -------------------------------------------------------------------------
WS="$T/workspace.sqlite"
D="--workspace $WS"
cat > "$T/seeds.jsonl" <<'JSONL'
{"prompt": "Name one fruit that is red.", "region": "eu", "domain": "food"}
{"prompt": "Name one vegetable that is green.", "region": "eu", "domain": "food"}
{"prompt": "Name one animal that can fly.", "region": "us", "domain": "nature"}
{"prompt": "Name one tree that loses its leaves.", "region": "us", "domain": "nature"}
{"prompt": "Name one river in Europe.", "region": "eu", "domain": "geography"}
{"id": "dup", "prompt": "name one river in   EUROPE.", "region": "eu", "domain": "geography"}
{"prompt": "Name one city by the sea.", "region": "us", "domain": "geography"}
this line is not JSON
{"prompt": "Hi", "domain": "food"}
JSONL
printf 'prompt,region,domain\n"Name one colour, any colour.",eu,art\n"Name one musical instrument.",us,art\n' > "$T/seeds.csv"
cat > "$T/golden.jsonl" <<'JSONL'
{"prompt": "What colour is the sky on a clear day?", "response": "The sky on a clear day is blue.", "domain": "nature"}
{"prompt": "What is two plus two?", "response": "Two plus two is four.", "domain": "math"}
{"prompt": "Name a planet.", "response": "Mars is a planet in our solar system.", "domain": "science"}
JSONL

if "$ML" data import $D --kind seeds "$T/seeds.jsonl" "$T/seeds.csv" > "$T/import.txt" 2> "$T/import.err"; then
    fail "import exited 0 although a row was malformed"
fi
grep -q "seeds.jsonl:8" "$T/import.err" || fail "the malformed row is not named: $(cat "$T/import.err")"
grep -q "10 new" "$T/import.txt" || fail "import: $(cat "$T/import.txt")"
"$ML" data import $D --kind seeds "$T/seeds.csv" > "$T/import2.txt" || fail "re-import"
grep -q "0 new, 2 already present" "$T/import2.txt" || fail "re-import is not idempotent: $(cat "$T/import2.txt")"
"$ML" data import $D --kind golden "$T/golden.jsonl" > /dev/null || fail "golden import"
"$ML" data normalize $D --min-length 10 > "$T/normalize.txt" || fail "normalize"
grep -q "8 queued, 1 duplicates, 1 too short" "$T/normalize.txt" || fail "normalize: $(cat "$T/normalize.txt")"

# A server that is down: backed off, then given up after --max-outage, exit 1 with the prompts left pending and
# their attempts unspent (no error recorded against them); the --url password is in no message.
started=$SECONDS
if "$ML" data expand $D --url "http://u:secret@127.0.0.1:1" --max-outage 3 > "$T/outage.txt" 2> "$T/outage.err"; then
    fail "expand against a dead server exited 0: $(cat "$T/outage.txt")"
fi
(( SECONDS - started >= 3 )) || fail "expand gave up on a dead server before --max-outage: $(cat "$T/outage.err")"
grep -q "left pending" "$T/outage.err" || fail "no message for the dead server: $(tail -3 "$T/outage.err")"
if grep -q "secret" "$T/outage.err" "$T/outage.txt"; then fail "the --url password leaked: $(tail -3 "$T/outage.err")"; fi
"$ML" data status $D --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["pending"] == 8 and s["failed"] == 0 and s["leased"] == 0, s
' || fail "an outage spent attempts or left leases"

# A fake upstream that refuses every request (400): the prompts' own failures spend their attempts; the progress
# counts prompts, not tries; exhausted prompts fail the run (and a rerun) with a line naming --retry-failed, which
# puts them back.
FAKE_PORT="$(free_port)"
"$PY" - "$FAKE_PORT" > /dev/null 2>&1 <<'PY' &
import http.server, sys
class FakeRefusingUpstream(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"error":{"message":"fake: bad request"}}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), FakeRefusingUpstream).serve_forever()
PY
PIDS+=($!)
for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$FAKE_PORT/" >/dev/null && break; sleep 0.1; done
FW="--workspace $T/failing.sqlite"
"$ML" data import $FW --kind seeds "$T/seeds.csv" > /dev/null && "$ML" data normalize $FW --min-length 10 > /dev/null \
    || fail "failing workspace setup"
if "$ML" data expand $FW --url "http://127.0.0.1:$FAKE_PORT" > "$T/refused.txt" 2> "$T/refused.err"; then
    fail "expand exited 0 although every prompt failed"
fi
grep -q "^0 answered, 2 failed" "$T/refused.txt" || fail "failures are not counted per prompt: $(cat "$T/refused.txt")"
if grep -qE "([3-9]|[1-9][0-9]+)/2 answers" "$T/refused.err"; then fail "progress counted tries: $(tail -3 "$T/refused.err")"; fi
if "$ML" data expand $FW --url "http://127.0.0.1:$FAKE_PORT" > "$T/refused2.txt" 2> "$T/refused2.err"; then
    fail "a rerun with exhausted prompts exited 0"
fi
grep -q "2 prompt(s) failed all 5 attempts.*--retry-failed" "$T/refused2.err" || fail "no retry hint: $(cat "$T/refused2.err")"
"$ML" data expand $FW --url "http://127.0.0.1:$FAKE_PORT" --retry-failed > "$T/refused3.txt" 2> "$T/refused3.err" || true
grep -q "put back 2 prompt" "$T/refused3.err" || fail "--retry-failed did not put the prompts back: $(tail -3 "$T/refused3.err")"
grep -q "^0 answered, 2 failed" "$T/refused3.txt" || fail "--retry-failed did not try them again: $(cat "$T/refused3.txt")"

# Expand in two runs (--limit, then the rest): the second resumes without redoing anything. The first names its
# server with a user and password (not sent: ml serve has no auth here), which the answers' model_source must not keep.
"$ML" data expand $D --url "http://u:secret@127.0.0.1:$PORT" --concurrency 2 --limit 3 --max-tokens 16 > "$T/expand1.txt" 2> "$T/expand1.err" \
    || fail "expand: $(cat "$T/expand1.err")"
grep -q "^3 answered" "$T/expand1.txt" || fail "expand --limit 3: $(cat "$T/expand1.txt")"
sources="$("$ML" data query $D "SELECT DISTINCT model_source FROM answers" | tail -n +2)"
[ "$sources" = "$URL" ] || fail "the stored model_source is not the bare URL: $sources"
"$ML" data expand $D --url "$URL" --concurrency 2 --max-tokens 16 > "$T/expand2.txt" 2> "$T/expand2.err" \
    || fail "expand (resume): $(cat "$T/expand2.err")"
grep -q "^5 answered" "$T/expand2.txt" || fail "the resumed expand redid or missed prompts: $(cat "$T/expand2.txt")"
"$ML" data status $D --json > "$T/status.json" || fail "status"
python3 - "$T/status.json" <<'PY' || fail "status after expand: $(cat "$T/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["seeds"] == 10 and s["prompts"] == 8 and s["pending"] == 0 and s["answered"] == 8, s
# Three runs: the one against the dead server (0 answered), then the two that answered.
assert len(s["workers"]) == 3 and all(w["last_heartbeat"] > 0 for w in s["workers"]), s["workers"]
assert sorted(w["answered"] for w in s["workers"]) == [0, 3, 5], s["workers"]
PY

"$ML" data score $D > "$T/score.txt" || fail "score: $(cat "$T/score.txt")"
grep -q "^8 answers scored" "$T/score.txt" || fail "score: $(cat "$T/score.txt")"
"$ML" data approve $D --allow-truncated > "$T/approve.txt" || fail "approve"
"$ML" data status $D --json > "$T/status2.json"
python3 - "$T/status2.json" <<'PY' || fail "status after approve: $(cat "$T/status2.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["scored"] == 8 and s["approved"] >= 1 and s["golden"] == 3 + s["approved"], s
PY
"$ML" data export $D --output "$T/export" --seed 7 --split 0.6,0.2,0.2 > "$T/export.txt" || fail "export"
python3 - "$T/export" <<'PY' || fail "export files"
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
assert m["seed"] == 7 and m["counts"]["total"] == m["counts"]["train"] + m["counts"]["valid"] + m["counts"]["test"], m
assert m["counts"]["valid"] >= 1 and m["sources"].get("golden.jsonl") == 3, m
for f in m["files"]:
    data = open(os.path.join(d, f["name"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f
    rows = [json.loads(l) for l in data.decode().splitlines()]
    assert len(rows) == f["rows"], f
    assert all([x["role"] for x in r["messages"]] == ["user", "assistant"] and r["messages"][1]["content"] for r in rows)
PY

# The export as mlx_lm.lora reads it: two iterations of a real LoRA run on the MLX copy of the default model.
[ -x "$MLX_PY" ] && [ -f "$MLX_MODEL/config.json" ] || fail "mlx-lm or the MLX model is missing: run scripts/setup"
"$MLX_PY" -m mlx_lm lora --model "$MLX_MODEL" --train --data "$T/export" --iters 2 --batch-size 1 --num-layers 1 \
    --val-batches 1 --steps-per-report 1 --adapter-path "$T/adapters" > "$T/lora.log" 2>&1 \
    || fail "mlx_lm lora on the export: $(tail -20 "$T/lora.log")"
[ -s "$T/adapters/adapters.safetensors" ] && grep -q "train_loss\|Train loss" "$T/lora.log" || fail "mlx_lm lora did not train: $(tail -20 "$T/lora.log")"

# Read-only views.
"$ML" data inventory $D | grep -qE "^answers +8$" || fail "inventory"
"$ML" data coverage $D > "$T/coverage.txt" || fail "coverage"
grep -qP "^eu\tnature\t0\t" "$T/coverage.txt" || fail "coverage shows no gap: $(cat "$T/coverage.txt")"
[ "$("$ML" data query $D "SELECT COUNT(*) FROM answers" | tail -1)" = 8 ] || fail "query"
if "$ML" data query $D "DELETE FROM answers" > /dev/null 2>&1; then fail "query wrote to the workspace"; fi
[ "$("$ML" data query $D "SELECT COUNT(*) FROM answers" | tail -1)" = 8 ] || fail "query deleted rows"

# --- The fault run on PostgreSQL ---------------------------------------------------------------------------------
start_postgres fault
N="${DATA_FAULT_PROMPTS:-80}"
python3 -c "
import json
for i in range($N): print(json.dumps({'id': 'f%04d' % i, 'prompt': 'Say a word. (%d)' % i}))" > "$T/fault.jsonl"
"$ML" data import --workspace "$PG" --kind prompts "$T/fault.jsonl" > /dev/null || fail "import into PostgreSQL"
# `exec`: the background job's pid is the worker's own, so kill -9 hits the worker, not a subshell.
worker() { exec "$ML" worker --workspace "$PG" --url "$URL" --batch 4 --lease 3 --max-tokens 4 --name "$1" > "$T/$1.$2.log" 2>&1; }
answered_by() { "$ML" data query --workspace "$PG" "SELECT COUNT(*) FROM answers WHERE worker_id = '$1'" | tail -1; }
worker w1 run & W1=$!
worker w2 run & W2=$!
PIDS+=("$W1" "$W2")
for round in 1 2; do
    worker w3 "run$round" & VICTIM=$!
    PIDS+=("$VICTIM")
    before="$(answered_by w3)"
    # Kill it mid-batch: once it has stored one more answer (it holds a claimed batch of 4, not all answered).
    for _ in $(seq 1 300); do
        [ "$(answered_by w3)" -gt "$before" ] && break
        sleep 0.1
    done
    kill -9 "$VICTIM" 2>/dev/null || fail "worker w3 ended before it could be killed (round $round)"
    wait "$VICTIM" 2>/dev/null || true
done
# The survivors wait for the dead worker's leases to expire and answer those prompts too.
wait "$W1" || fail "worker w1: $(tail -5 "$T/w1.run.log")"
wait "$W2" || fail "worker w2: $(tail -5 "$T/w2.run.log")"
"$ML" data query --workspace "$PG" \
    "SELECT (SELECT COUNT(*) FROM prompts), (SELECT COUNT(*) FROM answers), (SELECT COUNT(DISTINCT prompt_id) FROM answers), (SELECT COUNT(*) FROM prompts WHERE state <> 'answered')" \
    | tail -1 > "$T/fault.txt"
[ "$(cat "$T/fault.txt")" = "$(printf '%s\t%s\t%s\t0' "$N" "$N" "$N")" ] \
    || fail "fault run: prompts, answers, distinct answered, unanswered = $(cat "$T/fault.txt")"
"$ML" data status --workspace "$PG" --json > "$T/fault-status.json"
python3 - "$T/fault-status.json" <<'PY' || fail "fault-run status: $(cat "$T/fault-status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
ids = sorted(w["id"] for w in s["workers"])
assert ids == ["w1", "w2", "w3"], ids
assert sum(w["answered"] for w in s["workers"]) == s["answered"] == s["prompts"], s
PY
echo "data.sh: ok"
