#!/usr/bin/env python3
"""Weight-level check of a GGUF LoRA written by `ml convert gguf-lora`, for any supported family (llama, qwen3, gemma3):

    verify_lora_llamacpp.py ADAPTER_DIR BASE.gguf LORA.gguf ARCH

llama.cpp's own `llama-export-lora` merges LORA.gguf into BASE.gguf (an F32 or F16 GGUF of the adapter's base model,
e.g. from `ml convert mlx-to-gguf`); for every adapted module the merged weight minus the base weight must equal
scale * (a @ b)^T from the MLX adapter (ADAPTER_DIR/adapters.safetensors, adapter_config.json) — with llama.cpp's
rope permutation of the rows (`LlamaModel.permute` of convert_hf_to_gguf.py, re-done here with NumPy
reshape/swapaxes) for q_proj and k_proj where ARCH is llama, and unpermuted for qwen3 and gemma3 — and every base
tensor the adapter does not touch must come out unchanged. Head counts come from BASE.gguf.

Needs numpy and safetensors (both in $SWIFT_ML_HOME/mlx-venv) and llama-export-lora next to llama-server
($SWIFT_ML_HOME/bin/llama-server's directory, or LLAMA_BIN). Run by scripts/tests/families-lora.sh; prints one line
of figures and exits non-zero on any mismatch.
"""
import json, os, struct, subprocess, sys, tempfile

import numpy as np
from safetensors.numpy import load_file

MODULES = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
           "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down"}
PERMUTED = {"llama"}


def read_gguf(path):
    """Metadata and F32/F16 tensors (as float64 arrays of shape reversed(ggml dims)) of a GGUF file."""
    data = open(path, "rb").read()
    pos = 0

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def string():
        nonlocal pos
        n = take("Q")
        pos += n
        return data[pos - n:pos].decode()

    scalars = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

    def value(kind):
        if kind == 8:
            return string()
        if kind == 9:
            inner, n = take("I"), take("Q")
            return [value(inner) for _ in range(n)]
        return take(scalars[kind])

    assert data[:4] == b"GGUF", path
    pos = 4
    _version, n_tensors, n_kv = take("I"), take("Q"), take("Q")
    meta = {}
    for _ in range(n_kv):
        key = string()
        meta[key] = value(take("I"))
    infos = []
    for _ in range(n_tensors):
        name = string()
        dims = [take("Q") for _ in range(take("I"))]
        infos.append((name, dims, take("I"), take("Q")))
    alignment = meta.get("general.alignment", 32)
    start = (pos + alignment - 1) // alignment * alignment
    tensors = {}
    for name, dims, kind, offset in infos:
        dtype = {0: np.float32, 1: np.float16}.get(kind)
        if dtype is None:
            continue
        count = int(np.prod(dims))
        array = np.frombuffer(data, dtype=dtype, count=count, offset=start + offset)
        tensors[name] = array.astype(np.float64).reshape(list(reversed(dims)))
    return meta, tensors


def permute(w, n_head, n_head_kv):  # convert_hf_to_gguf.py LlamaModel.permute
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def main():
    adapter_dir, base_path, lora_path, arch = sys.argv[1:5]
    server = os.path.join(os.environ.get("SWIFT_ML_HOME", os.path.expanduser("~/.cache/swift-ml")), "bin/llama-server")
    llama_bin = os.environ.get("LLAMA_BIN", os.path.dirname(os.path.realpath(server)))
    mlx = load_file(os.path.join(adapter_dir, "adapters.safetensors"))
    scale = json.load(open(os.path.join(adapter_dir, "adapter_config.json")))["lora_parameters"].get("scale", 20.0)
    with tempfile.TemporaryDirectory() as work:
        merged_path = os.path.join(work, "merged.gguf")
        subprocess.run([os.path.join(llama_bin, "llama-export-lora"), "-m", base_path, "--lora", lora_path, "-o", merged_path],
                       check=True, capture_output=True, env=dict(os.environ, LD_LIBRARY_PATH=llama_bin), stdin=subprocess.DEVNULL)
        meta, base = read_gguf(base_path)
        _, merged = read_gguf(merged_path)
    assert meta["general.architecture"] == arch, (meta["general.architecture"], arch)
    n_head = meta[f"{arch}.attention.head_count"]
    n_head_kv = meta.get(f"{arch}.attention.head_count_kv", n_head)
    adapted, worst, permuted = set(), 0.0, 0
    for key, a in mlx.items():
        if not key.endswith(".lora_a"):
            continue
        path = key[: -len(".lora_a")]
        parts = path.split(".")
        layer, module = int(parts[parts.index("layers") + 1]), parts[-1]
        name = f"blk.{layer}.{MODULES[module]}.weight"
        expected = scale * (a.astype(np.float64) @ mlx[path + ".lora_b"].astype(np.float64)).T  # HF layout [out, in]
        if arch in PERMUTED and module in ("q_proj", "k_proj"):
            unpermuted = expected
            expected = permute(expected, n_head, n_head if module == "q_proj" else n_head_kv)
            permuted += 1
            # The check must be able to fail: the permutation has to matter for this adapter's values.
            assert np.abs(expected - unpermuted).max() > 0.1 * np.abs(expected).max(), f"{path}: permutation does not matter"
        delta = merged[name] - base[name]
        error = np.abs(delta - expected).max() / max(np.abs(expected).max(), 1e-30)
        worst = max(worst, error)
        assert error < 1e-3, f"{name}: merged - base differs from scale * (a @ b)^T by {error:.2e} (relative)"
        adapted.add(name)
    untouched = [name for name in base if name not in adapted]
    for name in untouched:
        assert np.array_equal(base[name], merged[name]), f"{name} is not adapted but changed in the merge"
    print(json.dumps({"architecture": arch, "adapted_tensors": len(adapted), "rope_permuted": permuted,
                      "untouched_tensors": len(untouched), "worst_relative_error": float(f"{worst:.3g}")}))


if __name__ == "__main__":
    main()
