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
"$PYTHON" scripts/tests/mcp_client.py stdio "$ML" "$T" old.json new.json || fail "the MCP client's checks over stdio"

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
assert status["ready"] is True and "llama" in status["backends"] and status["has_judge"] is False, status
assert "latest_checkpoints" in status and isinstance(status["notes"], list), status
generated = json.load(open(f"{t}/generate.json"))
assert generated["success"] is True and generated["data"]["text"].strip(), generated
assert generated["data"]["finish_reason"] in ("stop", "length"), generated
spec = json.load(open(f"{t}/openapi.json"))
validate(spec)
assert set(spec["paths"]) == {"/v1/ml/backends", "/v1/ml/status", "/v1/ml/generate"}, spec["paths"].keys()
PY
echo "mcp.sh: all passed" >&2
