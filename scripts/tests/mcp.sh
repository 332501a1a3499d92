#!/usr/bin/env bash
# `ml mcp` driven over stdio by the official Python MCP client (installed by scripts/setup into the tools venv).
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
echo "mcp.sh: all passed" >&2
