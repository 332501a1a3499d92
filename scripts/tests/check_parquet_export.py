#!/usr/bin/env python3
"""Checks a Parquet export (ml data export --format parquet) against the JSON-lines export made with the same seed,
reading the Parquet files back with the real DuckDB engine: the same rows in the same order per split, the
reference's columns (prompt, response, system, messages), Snappy on every column chunk, the manifest's row counts
and SHA-256 digests, and the dataset card's YAML header (parsed with PyYAML). Prints one summary line; exits 1 with
the first difference.

Usage: check_parquet_export.py PARQUET_DIR JSONL_DIR
"""
import hashlib
import json
import os
import sys

import duckdb
import yaml

parquet_dir, jsonl_dir = sys.argv[1], sys.argv[2]


def fail(message):
    print(f"check_parquet_export: {message}", file=sys.stderr)
    sys.exit(1)


manifest = json.load(open(os.path.join(parquet_dir, "manifest.json")))
files = {f["name"]: f for f in manifest["files"]}
con = duckdb.connect()
total = 0
hub_splits = {}
for split in ("train", "valid", "test"):
    expected = [json.loads(line)["messages"] for line in open(os.path.join(jsonl_dir, f"{split}.jsonl"), encoding="utf-8")]
    path = os.path.join(parquet_dir, f"{split}.parquet")
    if not expected:
        if os.path.exists(path):
            fail(f"{split}: no rows, yet {path} exists")
        continue
    relation = con.read_parquet(path)
    if relation.columns != ["prompt", "response", "system", "messages"]:
        fail(f"{split}: columns {relation.columns}")
    types = [str(t) for t in relation.types]
    if types != ["VARCHAR"] * 4:
        fail(f"{split}: column types {types}")
    rows = relation.fetchall()
    if len(rows) != len(expected):
        fail(f"{split}: {len(rows)} Parquet rows, {len(expected)} JSON lines")
    for number, ((prompt, response, system, messages), chat) in enumerate(zip(rows, expected), 1):
        users = [m["content"] for m in chat if m["role"] == "user"]
        assistants = [m["content"] for m in chat if m["role"] == "assistant"]
        if json.loads(messages) != chat:
            fail(f"{split} row {number}: messages {messages[:80]!r} differ from the JSON lines")
        if prompt != users[0] or response != assistants[0] or system != "":
            fail(f"{split} row {number}: prompt/response/system differ from the JSON lines")
    codecs = {c for (c,) in con.execute("SELECT DISTINCT compression FROM parquet_metadata(?)", [path]).fetchall()}
    if codecs != {"SNAPPY"}:
        fail(f"{split}: compression {codecs}")
    entry = files.get(f"{split}.parquet")
    if entry is None or entry["rows"] != len(rows):
        fail(f"{split}: manifest entry {entry}")
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if entry["sha256"] != digest:
        fail(f"{split}: manifest sha256 {entry['sha256']} != {digest}")
    hub_splits["validation" if split == "valid" else split] = (f"data/{split}.parquet", len(rows))
    total += len(rows)
if total != manifest["counts"]["total"]:
    fail(f"{total} rows in the Parquet files, manifest says {manifest['counts']['total']}")

card = open(os.path.join(parquet_dir, "README.md"), encoding="utf-8").read()
if hashlib.sha256(card.encode()).hexdigest() != files["README.md"]["sha256"]:
    fail("README.md's digest differs from the manifest's")
if not card.startswith("---\n"):
    fail("the card has no YAML header")
header = yaml.safe_load(card.split("---\n")[1])
config = header["configs"][0]
if config["config_name"] != "default":
    fail(f"config {config}")
paths = {f["split"]: f["path"] for f in config["data_files"]}
if paths != {name: path for name, (path, _) in hub_splits.items()}:
    fail(f"data_files {paths}")
counts = {s["name"]: s["num_examples"] for s in header["dataset_info"]["splits"]}
if counts != {name: rows for name, (_, rows) in hub_splits.items()}:
    fail(f"dataset_info splits {counts}")
features = [(f["name"], f["dtype"]) for f in header["dataset_info"]["features"]]
if features != [("prompt", "string"), ("response", "string"), ("system", "string"), ("messages", "string")]:
    fail(f"features {features}")
license = os.environ.get("EXPECTED_LICENSE", "other")
if header["license"] != license or "text-generation" not in header["task_categories"]:
    fail(f"license {header['license']!r} (expected {license!r}), task_categories {header['task_categories']}")
print(f"parquet export: {total} rows in {len(hub_splits)} splits equal the JSON lines, SNAPPY, digests match, card parses")
