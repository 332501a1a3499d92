#!/usr/bin/env python3
"""Writes a tiny, randomly initialised llama in MLX / Hugging Face layout for the MLX backend's tests:
    make_tiny_mlx_model.py OUT_DIR [--smollm2-shape]
With --smollm2-shape the layers have SmolLM2-135M's sizes (30 layers, hidden 576, 9 heads, 3 KV heads, MLP 1536;
f32), for speed measurements: random weights cost the same time as trained ones (the vocabulary stays small).
OUT_DIR gets config.json, model.safetensors, tokenizer.json (a BPE over printable ASCII trained on a fixed text,
with "▁" for spaces and <unk> for anything else: every token decodes to whole characters, so a random model's
output streams token by token, never held back as an unfinished UTF-8 sequence), tokenizer_config.json with a
ChatML chat template. The model streams tokens; it is not clever.
Deterministic (fixed seeds). Written to OUT_DIR.part-PID and renamed, so an interrupted run leaves nothing half made."""
import json, os, shutil, sys

import mlx.core as mx
from mlx.utils import tree_flatten, tree_map_with_path
from mlx_lm.models.llama import Model, ModelArgs
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

out = sys.argv[1]
bench_shape = "--smollm2-shape" in sys.argv[2:]
tmp = f"{out}.part-{os.getpid()}"
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)

specials = ["<unk>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]
tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
tokenizer.decoder = decoders.Metaspace()
corpus = [
    "The quick brown fox jumps over the lazy dog. " * 4,
    "Once upon a time there was a small model that streamed tokens one by one.",
    "Hello, world! How are you today? I am fine, thank you. 0123456789",
    "user assistant system: answer briefly and politely.",
]
trainer = trainers.BpeTrainer(vocab_size=384, special_tokens=specials,
                              initial_alphabet=[chr(c) for c in range(33, 127)] + ["\u2581", "\n"],
                              show_progress=False)
tokenizer.train_from_iterator(corpus, trainer=trainer)
tokenizer.save(os.path.join(tmp, "tokenizer.json"))
vocab = tokenizer.get_vocab_size()

config = {
    "model_type": "llama", "architectures": ["LlamaForCausalLM"],
    "hidden_size": 64, "num_hidden_layers": 2, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
    "rms_norm_eps": 1e-5, "vocab_size": vocab, "rope_theta": 10000.0,
    "max_position_embeddings": 2048, "tie_word_embeddings": True,
    **({"hidden_size": 576, "num_hidden_layers": 30, "intermediate_size": 1536, "num_attention_heads": 9,
        "num_key_value_heads": 3, "head_dim": 64} if bench_shape else {}),
    "bos_token_id": None, "eos_token_id": tokenizer.token_to_id("<|im_end|>"), "torch_dtype": "float32",
}
mx.random.seed(7)
model = Model(ModelArgs.from_dict(config))
# Default initialisation makes a model that repeats one token; larger weights give varied text (still nonsense).
model.update(tree_map_with_path(lambda path, a: a if "norm" in path else a * 3.0, model.parameters()))
mx.eval(model.parameters())
mx.save_safetensors(os.path.join(tmp, "model.safetensors"), dict(tree_flatten(model.parameters())),
                    metadata={"format": "mlx"})
with open(os.path.join(tmp, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
template = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
            "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
with open(os.path.join(tmp, "tokenizer_config.json"), "w") as f:
    json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "eos_token": "<|im_end|>",
               "bos_token": None, "unk_token": "<unk>", "pad_token": "<|endoftext|>",
               "model_max_length": 2048, "chat_template": template}, f, indent=2)
if os.path.isdir(out):  # made meanwhile by another run: keep theirs
    shutil.rmtree(tmp)
else:
    os.replace(tmp, out)
print(out)
