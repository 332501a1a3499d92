#!/usr/bin/env bash
# `ml serve` on the real default model, checked with the official `openai` Python client, curl and signals.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
PY="$HOME_DIR/venv/bin/python"
ML="$(swift build --show-bin-path)/ml"
fail() { echo "serve.sh: FAIL: $*" >&2; [ -n "${LOG:-}" ] && tail -20 "$LOG" >&2; exit 1; }
"$PY" -c "import openai" || fail "the openai package is missing: run scripts/setup"

PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
KEY="test-key-$RANDOM"
LOG="$(mktemp)"
ML_API_KEY="$KEY" "$ML" serve --bind "127.0.0.1:$PORT" --max-body 65536 > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "ml serve did not become healthy"

# The official client: models, chat (whole and streamed), completions, wrong key, unknown model.
BASE="http://127.0.0.1:$PORT/v1" KEY="$KEY" "$PY" - <<'PY' || fail "openai client checks"
import os, openai
base, key = os.environ["BASE"], os.environ["KEY"]
client = openai.OpenAI(base_url=base, api_key=key)
models = [m.id for m in client.models.list()]
assert models == ["SmolLM2-135M-Instruct.Q4_1.gguf"], models
model = models[0]
chat = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Say hello."}], max_tokens=8, temperature=0)
assert chat.choices[0].message.role == "assistant" and chat.choices[0].message.content, chat
assert chat.choices[0].finish_reason in ("stop", "length"), chat
assert chat.usage.prompt_tokens > 0 and chat.usage.completion_tokens > 0, chat.usage
pieces, finish, usage = [], None, None
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Count to five."}],
                                            max_tokens=12, temperature=0, stream=True, stream_options={"include_usage": True}):
    if chunk.usage: usage = chunk.usage
    for choice in chunk.choices:
        if choice.delta.content: pieces.append(choice.delta.content)
        if choice.finish_reason: finish = choice.finish_reason
assert len(pieces) > 1 and finish in ("stop", "length") and usage and usage.completion_tokens > 0, (pieces, finish, usage)
completion = client.completions.create(model=model, prompt="The capital of France is", max_tokens=4, temperature=0)
assert "Paris" in completion.choices[0].text, completion
try:
    openai.OpenAI(base_url=base, api_key="wrong").models.list()
    raise AssertionError("a wrong key was accepted")
except openai.AuthenticationError as error:
    assert error.status_code == 401
try:
    client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
    raise AssertionError("an unknown model was accepted")
except openai.NotFoundError as error:
    assert error.status_code == 404
print("openai client: ok")
PY

# Raw SSE, byte for byte in structure: every event is one "data: " line, [DONE] last.
curl -sN "http://127.0.0.1:$PORT/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -d '{"messages":[{"role":"user","content":"Hi"}],"stream":true,"max_tokens":4,"temperature":0}' > "$LOG.sse"
"$PY" - "$LOG.sse" <<'PY' || fail "raw SSE format"
import json, sys
raw = open(sys.argv[1], "rb").read().decode()
assert raw.endswith("data: [DONE]\n\n"), raw[-80:]
events = raw.split("\n\n")[:-1]
assert all(e.startswith("data: ") and "\n" not in e for e in events), events
chunks = [json.loads(e[6:]) for e in events[:-1]]
assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}, chunks[0]
assert chunks[-1]["choices"][0]["finish_reason"] in ("stop", "length"), chunks[-1]
assert all(c["object"] == "chat.completion.chunk" and c["id"] == chunks[0]["id"] for c in chunks)
PY
rm -f "$LOG.sse"

# Body limit.
status="$(head -c 100000 /dev/zero | tr '\0' ' ' | curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" --data-binary @- "http://127.0.0.1:$PORT/v1/chat/completions")"
[ "$status" = 413 ] || fail "an oversized body gave $status, not 413"

# Issue 19 on the real server: the bearer scheme in any case; a wrong method is a 405 with Allow; an integer past
# 64 bits is a 400 naming the field (it used to wrap to 3 tokens).
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: bearer $KEY" "http://127.0.0.1:$PORT/v1/models")"
[ "$status" = 200 ] || fail "'bearer KEY' gave $status, not 200"
allow="$(curl -s -o /dev/null -D - -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/chat/completions" | tr -d '\r' | awk -F': ' 'tolower($1) == "allow" { print $2 }')"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/chat/completions")"
[ "$status" = 405 ] && [ "$allow" = POST ] || fail "GET /v1/chat/completions gave $status (Allow: $allow), not 405 (Allow: POST)"
curl -s -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/chat/completions" \
    -d '{"messages":[{"role":"user","content":"Hi"}],"max_tokens":18446744073709551619}' > "$LOG.big"
grep -q '"invalid_max_tokens"' "$LOG.big" || fail "max_tokens 2^64+3 was not rejected: $(cat "$LOG.big")"
rm -f "$LOG.big"

# The model server killed during a whole (non-streamed) reply: an error status, never a 200 with a cut body; ml serve
# logs the death and the restart, and the next request is served.
LLAMA_PID="$(pgrep -P "$SERVER" -f llama-server || true)"
[ -n "$LLAMA_PID" ] || fail "no llama-server child of ml serve"
# (Greedy counting runs to the token limit, so the reply is long.)
curl -s -o "$LOG.whole" -w '%{http_code}' "http://127.0.0.1:$PORT/v1/completions" -H "Authorization: Bearer $KEY" \
    -d '{"prompt":"Count: 1, 2, 3,","max_tokens":2000,"temperature":0}' > "$LOG.status" &
CURL=$!
# Kill it only once it is decoding (its /slots shows tokens), or the kill lands before the first token on a busy
# machine and the request is rightly retried on the fresh server.
LLAMA_PORT="$(tr '\0' '\n' < "/proc/$LLAMA_PID/cmdline" | grep -A1 -x -- '--port' | tail -1)"
for _ in $(seq 1 300); do
    curl -s "http://127.0.0.1:$LLAMA_PORT/slots" | grep -Eq '"n_decoded": ?[1-9]' && break
    sleep 0.1
done
kill -KILL "$LLAMA_PID"
wait "$CURL" || true
status="$(cat "$LOG.status")"
[ "$status" = 502 ] || [ "$status" = 503 ] || fail "a whole reply cut by the model server's death gave $status: $(head -c 200 "$LOG.whole")"
"$PY" -c 'import json, sys; assert json.load(open(sys.argv[1]))["error"]["type"] == "server_error"' "$LOG.whole" \
    || fail "the error reply is not a whole OpenAI error: $(head -c 200 "$LOG.whole")"
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/chat/completions" \
    -d '{"messages":[{"role":"user","content":"Hi"}],"max_tokens":4}')"
[ "$status" = 200 ] || fail "the request after the model server's death gave $status"
grep -q "llama-server (pid $LLAMA_PID) exited" "$LOG" || fail "ml serve did not log the model server's death"
grep -q "llama-server restarted" "$LOG" || fail "ml serve did not log the restart"
rm -f "$LOG.whole" "$LOG.status"

# Graceful shutdown: a request in flight finishes, then the server and its llama-server exit.
LLAMA_PID="$(pgrep -P "$SERVER" -f llama-server || true)"
curl -sN "http://127.0.0.1:$PORT/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -d '{"messages":[{"role":"user","content":"List the numbers from 1 to 100."}],"stream":true,"max_tokens":120,"temperature":0}' > "$LOG.inflight" &
CURL=$!
sleep 0.5
kill -TERM "$SERVER"
wait "$CURL" || true
grep -q "data: \[DONE\]" "$LOG.inflight" || fail "the in-flight request did not finish during graceful shutdown"
rm -f "$LOG.inflight"
wait "$SERVER" || fail "ml serve exited with an error after SIGTERM"
if [ -n "$LLAMA_PID" ] && kill -0 "$LLAMA_PID" 2>/dev/null; then fail "llama-server $LLAMA_PID outlived ml serve"; fi
trap 'rm -f "$LOG"' EXIT
# SIGTERM during a stream longer than --drain-timeout: the stream ends with an error event and [DONE] (not cut), the
# server says so and exits 0.
ML_API_KEY="$KEY" "$ML" serve --bind "127.0.0.1:$PORT" --drain-timeout 1 > "$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sN "http://127.0.0.1:$PORT/v1/completions" -H "Authorization: Bearer $KEY" \
    -d '{"prompt":"Count: 1, 2, 3,","stream":true,"max_tokens":2000,"temperature":0}' > "$LOG.long" &
CURL=$!
sleep 1
kill -TERM "$SERVER"
wait "$CURL" || fail "the stream cut at shutdown was not a complete HTTP body"
"$PY" - "$LOG.long" <<'PY' || fail "the stream cut at shutdown did not end properly"
import json, sys
raw = open(sys.argv[1]).read()
assert raw.endswith("data: [DONE]\n\n"), raw[-200:]
last = json.loads(raw.split("\n\n")[-3][6:])
assert last["error"]["code"] == "shutting_down", last
PY
wait "$SERVER" || fail "ml serve exited with an error after the drain timeout"
grep -q "drain timeout passed" "$LOG" || fail "ml serve did not log the requests it ended: $(tail -5 "$LOG")"
rm -f "$LOG.long"
trap 'rm -f "$LOG"' EXIT
echo "serve.sh: all passed" >&2
