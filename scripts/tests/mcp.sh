#!/usr/bin/env bash
# swift-ml for other programs: `ml mcp` over stdio and `ml serve --mcp` over HTTP, driven by the official Python
# MCP client (installed by scripts/setup into the tools venv), and the /v1/ml REST API with curl and its OpenAPI
# document checked by openapi-spec-validator.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
ML="${BIN:-$(swift build --show-bin-path)}/ml"
PYTHON="$HOME_DIR/venv/bin/python"
fail() { echo "mcp.sh: FAIL: $*" >&2; exit 1; }
"$PYTHON" -c "import mcp" 2>/dev/null || fail "the mcp client is missing from $HOME_DIR/venv (run scripts/setup)"
T="$(mktemp -d /tmp/ml-mcp-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT

# Two probe-result files in the reference's shape: probes a–c pass before; a, b and d–i after.
python3 - "$T" <<'PY'
import json, sys
ids = "abcdefghij"
for name, passing in (("old.json", "abc"), ("new.json", "abdefghi")):
    probes = {f"probe-{i}": {"passed": i in passing, "response": ""} for i in ids}
    correct = sum(p["passed"] for p in probes.values())
    json.dump({"accuracy": 100 * correct / len(ids), "correct": correct, "total": len(ids), "by_category": {},
               "probes": probes}, open(f"{sys.argv[1]}/{name}", "w"))
PY
# Three answers scored by `ml score`: what ml_score must give again.
cat > "$T/items.jsonl" <<'JSONL'
{"id": "q1", "prompt": "What is 6 times 7?", "response": "6 times 7 is 42.", "model": "m", "correct_answer": "42"}
{"id": "q2", "prompt": "Name a colour.", "response": "Blue, like the sky on a clear day, is a calm colour.", "model": "m"}
{"id": "q3", "prompt": "What is 2 + 2?", "response": "It is 5.", "model": "m", "correct_answer": "4"}
JSONL
"$ML" score --input "$T/items.jsonl" --output "$T/cli.scores.json" > /dev/null || fail "ml score"
"$PYTHON" scripts/tests/mcp_client.py stdio "$ML" "$T" old.json new.json || fail "the MCP client's checks over stdio"

# Judge suites: ml_score with the server's judge (a scripted judge server, ml-judge-server, a fake peer) gives what
# `ml score` gives with the same judge.
"$(dirname "$ML")/ml-judge-server" --delay-ms 1 > "$T/judge-port" &
JUDGE=$!
trap 'kill $JUDGE 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do [ -s "$T/judge-port" ] && break; sleep 0.1; done
[ -s "$T/judge-port" ] || fail "ml-judge-server did not start"
JUDGE_URL="http://127.0.0.1:$(head -n1 "$T/judge-port")"
"$ML" score --input "$T/items.jsonl" --output "$T/judged.scores.json" --suites heuristic,semantic \
    --judge-url "$JUDGE_URL" --judge-model scripted > /dev/null || fail "ml score with the judge"
"$PYTHON" scripts/tests/mcp_client.py judged "$ML" "$T" "$JUDGE_URL" || fail "ml_score with the judge"
kill $JUDGE 2>/dev/null; wait $JUDGE 2>/dev/null || true

# ml serve --mcp: the same tools over streamable HTTP at /mcp, behind the bearer key and the Host rule.
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
KEY="test-key-$$"
"$ML" serve --mcp --root "$T" --bind "127.0.0.1:$PORT" --api-key "$KEY" > "$T/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
    kill -0 $SERVER 2>/dev/null || { cat "$T/serve.log" >&2; fail "ml serve --mcp exited"; }
    sleep 0.2
done
rm -f "$T"/tool.scores.json* "$T/probe.json" "$T/report.html"
"$PYTHON" scripts/tests/mcp_client.py http "http://127.0.0.1:$PORT/mcp" "$KEY" "$T" old.json new.json \
    || { cat "$T/serve.log" >&2; fail "the MCP client's checks over HTTP"; }
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
# Without the key: 401; for another host name: 421; a message before initialize: 400.
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -d "$init" "http://127.0.0.1:$PORT/mcp")"
[ "$code" = 401 ] || fail "/mcp without the key answered $code"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" -H 'Host: evil.example' \
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -d "$init" "http://127.0.0.1:$PORT/mcp")"
[ "$code" = 421 ] || fail "/mcp for another host answered $code"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' "http://127.0.0.1:$PORT/mcp")"
[ "$code" = 400 ] || fail "/mcp without a session answered $code"

# REST: the reference's envelope and shapes, behind the same key.
API="http://127.0.0.1:$PORT/v1/ml"
AUTH=(-H "Authorization: Bearer $KEY")
code="$(curl -s -o /dev/null -w '%{http_code}' "$API/backends")"
[ "$code" = 401 ] || fail "/v1/ml/backends without the key answered $code"
curl -sf "${AUTH[@]}" "$API/backends" > "$T/backends.json" || fail "/v1/ml/backends"
curl -sf "${AUTH[@]}" "$API/status" > "$T/status.json" || fail "/v1/ml/status"
curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"prompt": "Say hello.", "max_tokens": 8, "temperature": 0}' \
    "$API/generate" > "$T/generate.json" || fail "/v1/ml/generate"
for body in '{}' '{"prompt": 3}' '{"prompt": "hi", "backend": "elsewhere"}' 'not json'; do
    code="$(curl -s -o "$T/bad.json" -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' -d "$body" "$API/generate")"
    [ "$code" = 400 ] || fail "/v1/ml/generate with $body answered $code"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["success"] is False and d["error"]["code"] == "INVALID_REQUEST" and d["error"]["message"], d' "$T/bad.json" \
        || fail "/v1/ml/generate with $body: $(cat "$T/bad.json")"
done
curl -sf "${AUTH[@]}" "$API/openapi.json" > "$T/openapi.json" || fail "/v1/ml/openapi.json"
"$PYTHON" - "$T" <<'PY' || fail "REST shapes"
import json, sys
from openapi_spec_validator import validate
t = sys.argv[1]
backends = json.load(open(f"{t}/backends.json"))
assert backends["success"] is True, backends
names = {b["name"]: b for b in backends["data"]}
assert {"llama", "openai"} <= set(names) and names["llama"]["available"] is True, backends
status = json.load(open(f"{t}/status.json"))["data"]
assert status["ready"] is True and "llama" in status["backends"] and status["has_judge"] is True, status
assert "latest_checkpoints" in status and isinstance(status["notes"], list), status
generated = json.load(open(f"{t}/generate.json"))
assert generated["success"] is True and generated["data"]["text"].strip(), generated
assert generated["data"]["finish_reason"] in ("stop", "length"), generated
spec = json.load(open(f"{t}/openapi.json"))
validate(spec)
assert set(spec["paths"]) == {"/v1/ml/backends", "/v1/ml/status", "/v1/ml/generate", "/v1/ml/score", "/v1/ml/probe",
                              "/v1/ml/probe/{id}", "/v1/ml/probe/{id}/events"}, spec["paths"].keys()
PY

# REST scoring: a batch gives `ml score`'s per-item results; files are refused here.
"$PYTHON" - "$T" "$API" "$KEY" <<'PY' || fail "REST /v1/ml/score and /v1/ml/probe"
import json, sys, time, urllib.request, urllib.error
t, api, key = sys.argv[1:4]

def call(method, path, body=None, expect=200):
    request = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    assert status == expect, (method, path, body, status, raw)
    return json.loads(raw), headers

items = [json.loads(line) for line in open(f"{t}/items.jsonl")]
cli = [json.loads(line) for line in open(f"{t}/cli.scores.json.items.jsonl")]
scored, _ = call("POST", "/score", {"items": items})
assert scored["success"] is True and scored["data"]["results"] == cli, scored
pair, _ = call("POST", "/score", {"prompt": "What is 6 times 7?", "response": "42", "correct_answer": "42"})
assert pair["data"]["results"][0]["standard"]["correct"] is True, pair
for body, code in (({"input": "items.jsonl"}, "INVALID_REQUEST"), ({"prompt": "x"}, "INVALID_REQUEST"),
                   ({"items": [{"prompt": 1}]}, "INVALID_REQUEST")):
    refused, _ = call("POST", "/score", body, expect=400)
    assert refused["success"] is False and refused["error"]["code"] == code, refused

# A probe job: started (202 + Location), its progress streamed as server-sent events, then its result polled.
started, headers = call("POST", "/probe", {"categories": ["arithmetic"], "max_tokens": 48}, expect=202)
job = started["data"]
assert job["state"] == "running" and headers["Location"] == "/v1/ml/probe/" + job["id"], (job, dict(headers))
stream = urllib.request.urlopen(urllib.request.Request(f"{api}/probe/{job['id']}/events", headers={"Authorization": f"Bearer {key}"}),
                                timeout=120)
assert stream.headers["Content-Type"] == "text/event-stream", dict(stream.headers)
events = []
for block in stream.read().decode().split("\n\n"):
    if block.strip():
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
progress = [data for kind, data in events if kind == "progress"]
assert events[-1][0] == "done" and events[-1][1]["state"] == "succeeded", events[-1]
total = events[-1][1]["result"]["total"]
assert [p["done"] for p in progress] == list(range(1, total + 1)) and all(p["total"] == total for p in progress), progress
polled, _ = call("GET", f"/probe/{job['id']}")
assert polled["data"]["state"] == "succeeded" and polled["data"]["result"]["total"] == total, polled

# Two long jobs run at once, a third is refused (429); deleting cancels them.
long = {"max_tokens": 512, "concurrency": 1}
ids = [call("POST", "/probe", long, expect=202)[0]["data"]["id"] for _ in range(2)]
busy, _ = call("POST", "/probe", long, expect=429)
assert busy["error"]["code"] == "BUSY", busy
for job_id in ids:
    call("DELETE", f"/probe/{job_id}")
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    states = [call("GET", f"/probe/{job_id}")[0]["data"]["state"] for job_id in ids]
    if states == ["cancelled", "cancelled"]:
        break
    time.sleep(0.2)
assert states == ["cancelled", "cancelled"], states
refused, _ = call("POST", "/probe", {"samples": 99}, expect=400)
assert "'samples'" in refused["error"]["message"], refused
missing, _ = call("GET", "/probe/no-such-job", expect=404)
assert missing["error"]["code"] == "NOT_FOUND", missing
print("REST score and probe jobs: all passed")
PY
echo "mcp.sh: all passed" >&2
