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
"$PYTHON" scripts/tests/mcp_client.py "$ML" "$T" old.json new.json || fail "the MCP client's checks"
echo "mcp.sh: all passed" >&2
