#!/usr/bin/env python3
"""Writes MLX-layout LoRA checkpoints for SmolLM2-135M (30 layers, hidden 576, 9 heads, 3 KV heads):
    make_checkpoints.py RUN_DIR ITERATION [ITERATION …]
Each iteration becomes RUN_DIR/<iteration, 7 digits>_adapters.safetensors (rank 8 on the attention projections,
small random weights seeded by the iteration), with one adapter_config.json and a final adapters.safetensors."""
import json, os, sys
import numpy as np
from safetensors.numpy import save_file

LAYERS, HIDDEN, HEADS, KV_HEADS, RANK = 30, 576, 9, 3, 8
HEAD_DIM = HIDDEN // HEADS
OUT = {"q_proj": HIDDEN, "k_proj": KV_HEADS * HEAD_DIM, "v_proj": KV_HEADS * HEAD_DIM, "o_proj": HIDDEN}

def adapter(seed):
    rng = np.random.default_rng(seed)
    tensors = {}
    for layer in range(LAYERS):
        for module, out in OUT.items():
            path = f"model.layers.{layer}.self_attn.{module}"
            tensors[f"{path}.lora_a"] = (rng.standard_normal((HIDDEN, RANK)) * 0.02).astype(np.float32)
            tensors[f"{path}.lora_b"] = (rng.standard_normal((RANK, out)) * 0.002).astype(np.float32)
    return tensors

run_dir, iterations = sys.argv[1], [int(a) for a in sys.argv[2:]]
os.makedirs(run_dir, exist_ok=True)
with open(os.path.join(run_dir, "adapter_config.json"), "w") as f:
    json.dump({"num_layers": LAYERS, "fine_tune_type": "lora",
               "lora_parameters": {"rank": RANK, "scale": 2.0, "dropout": 0.0,
                                   "keys": ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"]}}, f)
for iteration in iterations:
    save_file(adapter(iteration), os.path.join(run_dir, f"{iteration:07d}_adapters.safetensors"))
save_file(adapter(iterations[-1]), os.path.join(run_dir, "adapters.safetensors"))
