#!/usr/bin/env bash
# Issue 19: commands never lose a user's file. Outputs never replace one of the command's own inputs (same path,
# symlink, hard link); a bad input leaves an earlier run's files untouched; the score file appears whole or not at
# all, even under kill -9; errors name the file, line or field; unknown tensor types fail. No model server needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
PY="$HOME_DIR/venv/bin/python"
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-files-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "files.sh: FAIL: $*" >&2; exit 1; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
"$PY" -c "import numpy, safetensors" || fail "numpy/safetensors missing from $PY: run scripts/setup"

# --- ml convert never writes over its inputs -------------------------------------------------------------------
"$PY" scripts/tests/make_checkpoints.py "$T/run" 100
A="$T/run/0000100_adapters.safetensors"; C="$T/run/adapter_config.json"
head -c 1000000 /dev/urandom > "$T/base.gguf"   # refused before it is read, so any bytes do
ln -s "$T/base.gguf" "$T/base-link.gguf"; ln "$T/base.gguf" "$T/base-hard.gguf"
before_base="$(sum "$T/base.gguf")"; before_a="$(sum "$A")"; before_c="$(sum "$C")"
expect_refused() {  # DESCRIPTION, then the command
    local what="$1"; shift
    if "$ML" "$@" > "$T/out.txt" 2> "$T/err.txt"; then fail "$what: exited 0"; fi
    grep -q "same file as" "$T/err.txt" || fail "$what: no clear error: $(cat "$T/err.txt")"
}
expect_refused "gguf-lora --output = --base-model" convert gguf-lora --input "$A" --config "$C" --output "$T/base.gguf" --base-model "$T/base.gguf"
expect_refused "gguf-lora --output = symlink of --base-model" convert gguf-lora --input "$A" --config "$C" --output "$T/base-link.gguf" --base-model "$T/base.gguf"
expect_refused "gguf-lora --output = hard link of --base-model" convert gguf-lora --input "$A" --config "$C" --output "$T/base-hard.gguf" --base-model "$T/base.gguf"
expect_refused "gguf-lora --output = --input" convert gguf-lora --input "$A" --config "$C" --output "$A"
expect_refused "gguf-lora --output = --config" convert gguf-lora --input "$A" --config "$C" --output "$T/run/../run/adapter_config.json"
expect_refused "peft --output-dir = the adapter's folder" convert peft --input "$A" --config "$C" --output-dir "$T/run"
[ "$(sum "$T/base.gguf")" = "$before_base" ] || fail "the base model was changed"
[ "$(sum "$A")" = "$before_a" ] || fail "the adapter weights were changed"
[ "$(sum "$C")" = "$before_c" ] || fail "the adapter config was changed"
[ -z "$(ls -A "$T/run" | grep -v -e '_adapters.safetensors$' -e '^adapter_config.json$' -e '^adapters.safetensors$')" ] \
    || fail "left files behind: $(ls -A "$T/run")"
# A legitimate conversion still works and leaves no temporary file.
"$ML" convert peft --input "$A" --config "$C" --output-dir "$T/peft" > /dev/null || fail "a normal conversion failed"
[ -s "$T/peft/adapter_model.safetensors" ] && [ -s "$T/peft/adapter_config.json" ] || fail "conversion output: $(ls -A "$T/peft")"
[ -z "$(ls -A "$T/peft" | grep -e '\.part' -e '\.partial')" ] || fail "temporary files left: $(ls -A "$T/peft")"

# --- ml score: a bad input touches nothing of the previous run; outputs never replace inputs ------------------
for i in $(seq 1 20); do echo "{\"id\": \"q$i\", \"prompt\": \"p\", \"response\": \"An answer, number $i.\", \"model\": \"m\"}"; done > "$T/in.jsonl"
"$ML" score --input "$T/in.jsonl" --output "$T/s.json" > /dev/null || fail "a normal score run failed"
before_j="$(sum "$T/s.json.journal")"; before_i="$(sum "$T/s.json.items.jsonl")"; before_s="$(sum "$T/s.json")"
mkdir "$T/dir.jsonl"
for resume in "" "--resume"; do
    if "$ML" score --input "$T/dir.jsonl" --output "$T/s.json" $resume > "$T/out.txt" 2> "$T/err.txt"; then fail "a directory input exited 0"; fi
    grep -q "dir.jsonl" "$T/err.txt" && grep -q "directory" "$T/err.txt" || fail "the directory is not named: $(cat "$T/err.txt")"
    grep -q "NSCocoaErrorDomain" "$T/err.txt" && fail "raw Cocoa error: $(cat "$T/err.txt")"
    [ "$(sum "$T/s.json.journal")" = "$before_j" ] && [ "$(sum "$T/s.json.items.jsonl")" = "$before_i" ] \
        && [ "$(sum "$T/s.json")" = "$before_s" ] || fail "a directory input ($resume) changed the previous run's files"
done
cp "$T/in.jsonl" "$T/in-copy.jsonl"; before_in="$(sum "$T/in-copy.jsonl")"
expect_refused "score --output = --input" score --input "$T/in-copy.jsonl" --output "$T/in-copy.jsonl"
ln -s "$T/in-copy.jsonl" "$T/in-link.json"
expect_refused "score --output = symlink of --input" score --input "$T/in-copy.jsonl" --output "$T/in-link.json"
[ "$(sum "$T/in-copy.jsonl")" = "$before_in" ] || fail "ml score changed its input"

# Errors name the line and field: a lone surrogate is reported as such, not as "not a string".
printf '%s\n' '{"id": "s1", "prompt": "p", "response": "\ud800", "model": "m"}' > "$T/surrogate.jsonl"
if "$ML" score --input "$T/surrogate.jsonl" --output "$T/sur.json" > /dev/null 2> "$T/err.txt"; then fail "a lone surrogate scored"; fi
grep -q "line 1" "$T/err.txt" && grep -q "'response'" "$T/err.txt" && grep -qi "surrogate\|unicode" "$T/err.txt" \
    || fail "lone surrogate: $(cat "$T/err.txt")"
grep -q "is not a string" "$T/err.txt" && fail "lone surrogate reported as a type error: $(cat "$T/err.txt")"

# kill -9 while the score file is being written leaves the previous one whole (it used to leave a truncated file):
# the run is killed the moment its score file starts to change or its temporary file appears.
"$PY" - "$T/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"id": f"i{i}", "prompt": "Tell me something.", "model": f"m{i % 3}",
                            "response": "I think this is a considered answer with some detail, number %d. " % i * 3}) + "\n")
PY
"$ML" score --input "$T/big.jsonl" --output "$T/big.json" > /dev/null 2>&1 || fail "the big run failed"
before="$(stat -c %i:%s:%Y "$T/big.json")"; before_sum="$(sum "$T/big.json")"
"$ML" score --input "$T/big.jsonl" --output "$T/big.json" > /dev/null 2>&1 &
pid=$!
killed=""
while kill -0 "$pid" 2>/dev/null; do
    if ls -A "$T" | grep -qE '^\.big\.json\.[0-9A-Fa-f-]{36}\.part$' || [ "$(stat -c %i:%s:%Y "$T/big.json")" != "$before" ]; then
        kill -9 "$pid"; killed=yes; break
    fi
    sleep 0.005
done
wait "$pid" 2>/dev/null || true
[ -n "$killed" ] || fail "the run ended before its score file was written: cannot test kill -9 during the write"
"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["metadata"]["items"] == 20000' "$T/big.json" \
    || fail "after kill -9 during the write the score file is not whole ($(stat -c %s "$T/big.json") bytes)"
[ "$(sum "$T/big.json")" = "$before_sum" ] || fail "kill -9 during the write changed the previous score file"
rm -f "$T"/.big.json*.part

# --- ml inspect: an unknown tensor type is named as unknown and fails -------------------------------------------
"$PY" - "$T/unknown.gguf" <<'PY'
import struct, sys
def s(text): b = text.encode(); return struct.pack("<Q", len(b)) + b
header = b"GGUF" + struct.pack("<IQQ", 3, 1, 1)
header += s("general.architecture") + struct.pack("<I", 8) + s("llama")
header += s("t") + struct.pack("<I", 1) + struct.pack("<Q", 32) + struct.pack("<I", 9999) + struct.pack("<Q", 0)
header += b"\0" * ((32 - len(header) % 32) % 32)
open(sys.argv[1], "wb").write(header + b"\0" * 64)
PY
if "$ML" inspect "$T/unknown.gguf" > "$T/out.txt" 2> "$T/err.txt"; then fail "ml inspect exited 0 on an unknown tensor type"; fi
grep -q "unknown(9999)" "$T/out.txt" || fail "the report does not call the type unknown: $(cat "$T/out.txt")"
grep -q "tensor 't' has unknown ggml type 9999" "$T/err.txt" || fail "no error naming the tensor: $(cat "$T/err.txt")"
if "$ML" convert gguf-lora --input "$A" --config "$C" --output "$T/x.gguf" --base-model "$T/unknown.gguf" 2> "$T/err.txt"; then
    fail "a base model with an unknown tensor type was accepted"
fi
grep -q "unknown ggml type 9999" "$T/err.txt" || fail "conversion: $(cat "$T/err.txt")"

echo "files.sh: all passed" >&2
