#!/usr/bin/env python3
"""Checks an MLX model directory from the Python side, for the gguf-to-mlx tests and figures.

  mlx_model_check.py tokenize DIR   stdin: JSON list of texts. stdout: JSON {"tokenizers": [[ids]...],
                                    "mlx_lm": [[ids]...]}: each text encoded without added special tokens by
                                    the `tokenizers` package on DIR/tokenizer.json and by mlx-lm's tokenizer.
  mlx_model_check.py generate DIR   stdin: JSON list of user prompts. stdout: JSON list of {"prompt": the text of
                                    the chat template applied (with the generation prompt), "ids": the first
                                    MAX_TOKENS (default 32) greedy token ids mlx-lm generates for it, EOS excluded,
                                    "text": those ids decoded}.
Run it with the MLX virtual environment's python ($SWIFT_ML_HOME/mlx-venv/bin/python).
"""
import json
import os
import sys


def tokenize(model_dir, texts):
    from tokenizers import Tokenizer
    from mlx_lm.tokenizer_utils import load as load_tokenizer
    from pathlib import Path

    raw = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    wrapper = load_tokenizer(Path(model_dir))
    return {
        "tokenizers": [raw.encode(t, add_special_tokens=False).ids for t in texts],
        "mlx_lm": [wrapper.encode(t, add_special_tokens=False) for t in texts],
    }


def generate(model_dir, prompts, max_tokens):
    import mlx.core as mx
    from mlx_lm import load
    from mlx_lm.generate import generate_step

    model, tokenizer = load(model_dir)
    eos = set(tokenizer.eos_token_ids)
    results = []
    for prompt in prompts:
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], add_generation_prompt=True, tokenize=False)
        ids = tokenizer.encode(text, add_special_tokens=False)
        out = []
        # generate_step's default sampler is greedy (argmax).
        for token, _ in generate_step(mx.array(ids), model, max_tokens=max_tokens):
            token = int(token)
            if token in eos:
                break
            out.append(token)
        results.append({"prompt": text, "ids": out, "text": tokenizer.decode(out)})
    return results


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("tokenize", "generate"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    mode, model_dir = sys.argv[1], sys.argv[2]
    inputs = json.load(sys.stdin)
    if mode == "tokenize":
        result = tokenize(model_dir, inputs)
    else:
        result = generate(model_dir, inputs, int(os.environ.get("MAX_TOKENS", "32")))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
