#!/usr/bin/env python3
"""Checks for scripts/tests/families.sh, run with the mlx-venv's Python:

    family_check.py agree URL MODEL_DIR [N]
        llama-server at URL against mlx-lm on MODEL_DIR (an MLX / Hugging Face directory of the same weights):
        greedy continuation of a fixed prompt (the HF tokenizer's ids, sent as ids to both), first N tokens (default
        16); and llama-server's /tokenize against the HF tokenizer's ids on texts with non-ASCII, leading spaces,
        digits and newlines (with and without special tokens). Prints one JSON line of counts; exits 1 on any
        difference, naming it.
    family_check.py tensors ORIGINAL_DIR ROUND_TRIP_DIR MODEL_TYPE
        Every tensor of ROUND_TRIP_DIR/model.safetensors equals ORIGINAL_DIR's bit for bit, and no tensor is missing
        or extra (a tied lm_head is absent from both). For gemma3_text the norm weights are expected as llama.cpp's
        convention makes them after the trip: float32(float32(w + 1) - 1).
"""
import json, sys, urllib.request

PROMPT = "The lighthouse keeper's password is"
TEXTS = [
    "Hello, world!",
    " leading space and  two  spaces",
    "   three leading spaces",
    "digits 0123456789 and 3.14159, 2026-12-08",
    "Café déjà vu — naïve façade, Größe Übermaß",
    "日本語のテキスト、中文文本。 Привет, мир! 🙂👍",
    "line one\nline two\n\n\tindented\ttabs",
    "don't won't it's I'M We'LL",
    "MARMALADE-42 lighthouse keeper",
]


def post(url, path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def agree(url, model_dir, n):
    import mlx.core as mx
    from mlx_lm import load
    from mlx_lm.generate import generate_step

    model, tokenizer = load(model_dir)
    hf = tokenizer._tokenizer
    prompt = hf.encode(PROMPT)
    reference = []
    for (token, _), _ in zip(generate_step(mx.array(prompt), model, max_tokens=n), range(n)):
        reference.append(int(token))
    answer = post(url, "/completion", {"prompt": prompt, "n_predict": n, "temperature": 0, "top_k": 1,
                                       "ignore_eos": True, "cache_prompt": False, "return_tokens": True})
    served = [int(t) for t in answer.get("tokens", [])]
    equal = sum(1 for a, b in zip(reference, served) if a == b)
    problems = []
    if served != reference:
        problems.append(f"greedy: mlx-lm {reference} but llama-server {served} for prompt ids {prompt}")
    tokenize_equal = 0
    for text in TEXTS:
        ok = True
        for special in (False, True):
            expected = hf.encode(text, add_special_tokens=special)
            got = post(url, "/tokenize", {"content": text, "add_special": special})["tokens"]
            if got != expected:
                ok = False
                problems.append(f"tokenize {text!r} (add_special={special}): HF {expected} but llama-server {got}")
        tokenize_equal += ok
    print(json.dumps({"greedy_equal": equal, "greedy_n": n, "tokenize_equal": tokenize_equal,
                      "tokenize_texts": len(TEXTS), "prompt_ids": prompt, "tokens": reference}))
    for problem in problems:
        print("family_check: " + problem, file=sys.stderr)
    return 1 if problems else 0


def tensors(original_dir, round_trip_dir, model_type):
    import numpy as np
    from safetensors.numpy import load_file

    original = load_file(f"{original_dir}/model.safetensors")
    trip = load_file(f"{round_trip_dir}/model.safetensors")
    problems = []
    if set(original) != set(trip):
        problems.append(f"names differ: only original {sorted(set(original) - set(trip))}, "
                        f"only round trip {sorted(set(trip) - set(original))}")
    exact = 0
    for name in sorted(set(original) & set(trip)):
        a, b = original[name], trip[name]
        if model_type == "gemma3_text" and name.endswith("norm.weight"):
            one = np.float32(1)
            a = ((a.astype(np.float32) + one).astype(np.float32) - one).astype(np.float32)
        if a.shape != b.shape or a.dtype != b.dtype or a.tobytes() != b.tobytes():
            problems.append(f"{name}: {a.dtype}{list(a.shape)} vs {b.dtype}{list(b.shape)}, "
                            f"max difference {float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.shape == b.shape else 'n/a'}")
        else:
            exact += 1
    print(json.dumps({"tensors": len(original), "bit_exact": exact}))
    for problem in problems:
        print("family_check: " + problem, file=sys.stderr)
    return 1 if problems else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "agree":
        return agree(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 16)
    if len(sys.argv) == 5 and sys.argv[1] == "tensors":
        return tensors(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
