#!/usr/bin/env bash
# The mlx backend through the `ml` command on the real mlx_lm.server and the tiny fixture model: generate with
# memory limits, the unavailable case, and no orphan when `ml serve --backend mlx` is killed with SIGKILL.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
MLX_PY="${SWIFT_ML_MLX_PYTHON:-$HOME_DIR/mlx-venv/bin/python}"
ML="$(swift build --show-bin-path)/ml"
MODEL="$HOME_DIR/fixtures/tiny-mlx-llama-v2"
fail() { echo "mlx.sh: FAIL: $*" >&2; [ -n "${LOG:-}" ] && tail -20 "$LOG" >&2; exit 1; }
"$MLX_PY" -c "import mlx.core, mlx_lm" || fail "Python MLX is missing in $MLX_PY: run scripts/setup"
[ -f "$MODEL/config.json" ] || "$MLX_PY" scripts/tests/make_tiny_mlx_model.py "$MODEL" >/dev/null

"$ML" backends | grep -Eq '^mlx +available' || fail "ml backends does not list mlx as available"
OUT="$("$ML" generate --backend mlx --model "$MODEL" --max-tokens 8 --temperature 0 --mlx-cache-limit 64M \
    --mlx-memory-limit 2G --json "The quick brown fox")" || fail "ml generate --backend mlx failed"
echo "$OUT" | grep -q '"generated_tokens" *: *8' || fail "expected 8 generated tokens: $OUT"
if SWIFT_ML_MLX_PYTHON=/nonexistent/python "$ML" generate --backend mlx --model "$MODEL" x 2>/tmp/mlx-sh-err.$$; then
    fail "generate without MLX succeeded"
fi
grep -q "Python MLX is not installed" /tmp/mlx-sh-err.$$ || fail "no clear reason: $(cat /tmp/mlx-sh-err.$$)"
rm -f /tmp/mlx-sh-err.$$

# No orphan: SIGKILL the owner, its mlx_lm.server must go too (parent-death signal).
PORT="$("$MLX_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
LOG="$(mktemp)"
"$ML" serve --backend mlx --model "$MODEL" --bind "127.0.0.1:$PORT" > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "ml serve --backend mlx did not become healthy"
CHILD="$(pgrep -P "$SERVER" || true)"
[ -n "$CHILD" ] && grep -q mlx_launcher "/proc/$CHILD/cmdline" || fail "no mlx_lm.server child of ml serve"
kill -9 "$SERVER"
for _ in $(seq 1 50); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$CHILD" 2>/dev/null && ! grep -q "State:.*Z" "/proc/$CHILD/status"; then
    kill -9 "$CHILD"; fail "mlx_lm.server $CHILD outlived its killed owner"
fi
echo "mlx.sh: ok"
