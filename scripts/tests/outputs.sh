#!/usr/bin/env bash
# Issue 25 (defects 1-3): no command writes over its own inputs. Walks every command's output flags from
# `ml --experimental-dump-help` — a flag named like an output with no case here fails the test, so a new command
# cannot skip the check — and runs each case with the output pointed at one of the command's inputs (same path,
# symlink, hard link, or a directory holding it): the command must exit non-zero, say why, and leave the input
# byte for byte as it was. Then kill -9 during `ml data export` over an earlier export, several times: the
# directory always holds one whole export whose manifest matches its files. No model server needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOME_DIR="${SWIFT_ML_HOME:-$HOME/.cache/swift-ml}"
PY="$HOME_DIR/venv/bin/python"
ML="${BIN:-$(swift build --show-bin-path)}/ml"
T="$(mktemp -d /tmp/ml-outputs-test.XXXXXX)"
trap 'rm -rf "$T"' EXIT
fail() { echo "outputs.sh: FAIL: $*" >&2; exit 1; }
sum() { find "$1" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }

# --- The walk: every output flag of every command has a case below -------------------------------------------
"$ML" --experimental-dump-help > "$T/help.json"
"$PY" - "$T/help.json" > "$T/flags.txt" <<'PY'
import json, sys
OUTPUT_NAMES = {"output", "output-dir", "answers", "db", "influx-buffer", "work-dir"}
def walk(command, path):
    for arg in command.get("arguments", []):
        for name in arg.get("names", []):
            if name.get("kind") == "long" and name["name"] in OUTPUT_NAMES:
                print(" ".join(path + ["--" + name["name"]]))
    for sub in command.get("subcommands", []):
        walk(sub, path + [sub["commandName"]])
walk(json.load(open(sys.argv[1]))["command"], [])
PY
[ -s "$T/flags.txt" ] || fail "the walk found no output flag at all"

# Inputs: any bytes do where the command refuses before reading; real ones where it must parse them first.
mkdir -p "$T/in" "$T/D" "$T/run"
printf '{"id": "a", "prompt": "p", "response": "r", "model": "m"}\n' > "$T/in/in.jsonl"
printf '[]\n' > "$T/in/probes.json"
head -c 4096 /dev/urandom > "$T/in/model.gguf"
"$ML" data import --workspace "$T/in/ws.sqlite" --kind golden "$T/in/in.jsonl" > /dev/null
"$ML" data import --workspace "$T/D/train.jsonl" --kind golden "$T/in/in.jsonl" > /dev/null
"$PY" scripts/tests/make_checkpoints.py "$T/run" 100 > /dev/null
ln -s "$T/in/in.jsonl" "$T/in/link.jsonl"
ln "$T/in/in.jsonl" "$T/in/hard.jsonl"

covered=()
# refused FLAG-LINE INPUT -- ARGS...: the command must fail, say why, and leave INPUT (file or directory) unchanged.
refused() {
    local key="$1" input="$2"; shift 3
    local before; before="$(sum "$input")"
    if "$ML" "$@" > "$T/out.txt" 2> "$T/err.txt" < /dev/null; then fail "$key: exited 0 ($*)"; fi
    grep -qE "same file as|refusing|not a directory|already exists" "$T/err.txt" || fail "$key: no clear refusal: $(head -c 600 "$T/err.txt")"
    grep -q "NSCocoaErrorDomain" "$T/err.txt" && fail "$key: raw Cocoa error: $(cat "$T/err.txt")"
    [ "$(sum "$input")" = "$before" ] || fail "$key: changed its input $input"
    covered+=("$key")
}
I="$T/in/in.jsonl"; W="$T/in/ws.sqlite"; G="$T/in/model.gguf"
A="$T/run/0000100_adapters.safetensors"; C="$T/run/adapter_config.json"
refused "score --output" "$I" -- score --input "$I" --output "$T/in/link.jsonl"
refused "probe --output" "$T/in/probes.json" -- probe --probes "$T/in/probes.json" --output "$T/in/probes.json"
refused "probe --answers" "$G" -- probe --model "$G" --answers "$G"
refused "report --output" "$W" -- report --store "$W" --output "$W"
refused "report --output" "$I" -- report --scores "$I" --output "$T/in/hard.jsonl"
refused "report --output" "$W" -- report --workspace "$W" --output "$W"
refused "data export --output" "$T/D" -- data export --workspace "$T/D/train.jsonl" --output "$T/D"
refused "data export --output" "$W" -- data export --workspace "$W" --output "$W"
refused "convert peft --output-dir" "$T/run" -- convert peft --input "$A" --config "$C" --output-dir "$T/run"
refused "convert gguf-lora --output" "$A" -- convert gguf-lora --input "$A" --config "$C" --output "$A"
refused "convert gguf-to-mlx --output" "$G" -- convert gguf-to-mlx --input "$G" --output "$G"
mkdir -p "$T/in/mlx" && printf '{}' > "$T/in/mlx/config.json" && printf 'weights' > "$T/in/mlx/model.safetensors"
refused "convert mlx-to-gguf --output" "$T/in/mlx" -- convert mlx-to-gguf --input "$T/in/mlx" --output "$T/in/mlx/model.safetensors"
refused "ingest --db" "$I" -- ingest --content "$I" --model m --run-id r --db "$I"
refused "ingest --influx-buffer" "$I" -- ingest --content "$I" --model m --run-id r --influx-buffer "$I"
refused "agent --db" "$G" -- agent --one-shot --adapter-base "$T/run" --base-model "$G" --db "$G"
refused "agent --influx-buffer" "$G" -- agent --one-shot --adapter-base "$T/run" --base-model "$G" --influx-buffer "$G"
refused "agent --work-dir" "$T/run" -- agent --one-shot --adapter-base "$T/run" --base-model "$G" --work-dir "$T/run"
refused "data import --workspace" "$I" -- data import --workspace "$I" --kind seeds "$I"
while read -r flag; do
    printf '%s\n' "${covered[@]}" | grep -qxF "$flag" || fail "no test points '$flag' at one of the command's inputs: add a case"
done < "$T/flags.txt"

# --- kill -9 during an export over an earlier one: always one whole export -------------------------------------
"$PY" - "$T/big.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(30000):
        f.write(json.dumps({"id": f"g{i}", "prompt": f"Prompt number {i}: " + "words " * 40,
                            "response": "An answer with some length to it. " * 12}) + "\n")
PY
"$ML" data import --workspace "$T/big.sqlite" --kind golden "$T/big.jsonl" > /dev/null
started="$(date +%s.%N)"
"$ML" data export --workspace "$T/big.sqlite" --output "$T/export" --seed 1 > /dev/null
took="$("$PY" -c "import sys; print(round(float(sys.argv[1]) - float(sys.argv[2]), 3))" "$(date +%s.%N)" "$started")"
check_export() {
    "$PY" - "$1" <<'PY' || fail "after kill -9 ($2): the export directory is not one whole export"
import hashlib, json, os, sys
d = sys.argv[1]
manifest = json.load(open(os.path.join(d, "manifest.json")))
names = {f["name"] for f in manifest["files"]} | {"manifest.json"}
assert set(os.listdir(d)) == names, sorted(os.listdir(d))
rows = {}
for f in manifest["files"]:
    data = open(os.path.join(d, f["name"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f["name"]
    rows[f["name"]] = set(data.splitlines())
assert not (rows["train.jsonl"] & (rows["valid.jsonl"] | rows["test.jsonl"])), "rows in two splits"
print(manifest["seed"])
PY
}
seeds=""
# Kills spread over one export's measured time, from before the first file to around the swap.
for fraction in 0.1 0.3 0.5 0.7 0.85 0.95 1.05; do
    delay="$("$PY" -c "import sys; print(round(float(sys.argv[1]) * float(sys.argv[2]), 3))" "$took" "$fraction")"
    "$ML" data export --workspace "$T/big.sqlite" --output "$T/export" --seed 7 > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    seeds+="$(check_export "$T/export" "after $delay s") "
    # A killed run may leave its hidden temporary directory; never a visible file, never inside the export.
    [ -z "$(ls "$T" | grep -v -e '^export$' -e '^big' -e '^in$' -e '^D$' -e '^run$' -e '\.txt$' -e '\.json$')" ] \
        || fail "left visible files: $(ls "$T")"
    "$ML" data export --workspace "$T/big.sqlite" --output "$T/export" --seed 1 > /dev/null
done
echo "outputs.sh: ${#covered[@]} refusals over $(wc -l < "$T/flags.txt") output flags; one export took $took s; seeds found after each kill -9 (1 = the earlier export, 7 = the killed one had finished): $seeds" >&2
