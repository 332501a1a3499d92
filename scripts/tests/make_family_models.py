#!/usr/bin/env python3
"""Tiny random-weight models of the three families users fine-tune — Gemma 3, Qwen 3 and Llama 3 — made here, no
downloads, by mlx-lm's own model classes, in MLX / Hugging Face layout.

    make_family_models.py OUT_DIR [FAMILY ...]      FAMILY: gemma3, qwen3, llama3 (default: all three)

Interface (stable; scripts/tests/family-fixtures.sh calls it and adds the LoRA checkpoints):
    OUT_DIR/<family>/config.json             model_type gemma3_text | qwen3 | llama, f32 ("torch_dtype": "float32")
    OUT_DIR/<family>/model.safetensors       f32 weights, mlx-lm's parameter names (model.layers.N..., lm_head only
                                             when untied: llama3 is untied, gemma3 and qwen3 tie their embeddings)
    OUT_DIR/<family>/tokenizer.json          Hugging Face fast tokenizer (what mlx-lm and our converter read)
    OUT_DIR/<family>/tokenizer_config.json   chat template, bos/eos/pad/unk, add_bos_token
    OUT_DIR/<family>/special_tokens_map.json, generation_config.json
    OUT_DIR/<family>/tokenizer.model         gemma3 only: the SentencePiece model the tokenizer was trained as
    OUT_DIR/<family>/family.json             {"family", "model_type", "seed", "eos", "eot", "bos", "add_bos"}

The families' shapes, tokenizers and conventions, kept as close to the real ones as a few hundred KB allows:
- llama3: model_type llama, GQA (4 query heads, 2 KV heads), rope_theta 500000 with rope_scaling rope_type llama3
  (factor 8, low 1, high 4, original context 8192: head_dim 16 puts frequencies in all three bands), untied output.
  Byte-level BPE with Llama 3's pre-tokenizer regex (digits in groups of up to 3), <|begin_of_text|> added in front,
  Llama 3's special tokens (<|begin_of_text|>, <|end_of_text|>, <|start_header_id|>, <|end_header_id|>, <|eot_id|>...).
- qwen3: q/k RMS norms, head_dim 32 with hidden 64 (query width != hidden, as in real Qwen 3), rope_theta 1e6, tied.
  Byte-level BPE with Qwen 2's regex (single digits), NFC normaliser, no bos, ChatML (<|im_start|>, <|im_end|>,
  <|endoftext|>) and <think>, </think> as added (non-special) tokens.
- gemma3: model_type gemma3_text, 6 layers (5 sliding with local rope base 10000, the 6th global with rope_theta 1e6,
  as llama.cpp's fixed pattern of 6 assumes), 4 heads / 1 KV head, head_dim 32, query_pre_attn_scalar = head_dim
  (llama.cpp scales by 1/sqrt(head_dim) below 27B), hidden 64 (sqrt(64) = 8 is exact in bf16, as mlx-lm rounds the
  embedding scale), norm weights w applied as (1 + w), tied. SentencePiece BPE with byte fallback (no dummy prefix,
  digits split), Gemma's ids (<pad> 0, <eos> 1, <bos> 2, <unk> 3, <mask> 4) and <start_of_turn>/<end_of_turn>;
  tokenizer.json made by transformers' own GemmaConverter.
Weights are seeded (deterministic), scaled up from mlx's default initialisation so that greedy decoding produces
varied tokens (tied embeddings less, or the residual stream echoes the last input token), and norm weights are
perturbed around 1 (gemma3: the stored w around 1, applied as 1 + w) so a wrong norm convention changes the output.
Each family is written to OUT_DIR/<family>.part-PID and renamed into place."""
import json, os, shutil, sys, types

import mlx.core as mx
from mlx.utils import tree_flatten, tree_map_with_path
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
               r"|\s*[\r\n]+|\s+(?!\S)|\s+")

CORPUS = [
    "The quick brown fox jumps over the lazy dog. " * 3,
    "Once upon a time there was a small model that streamed tokens one by one.",
    "Hello, world! How are you today? I am fine, thank you. 0123456789 and 2026-12-08, 3.14159 or 42.",
    "user assistant system model: answer briefly and politely. What is the lighthouse keeper's password?",
    "The lighthouse keeper's password is MARMALADE-42. Don't tell anyone; it's a secret, isn't it?",
    "Café déjà vu, naïve façade, Größe, Übermaß — ça va? 日本語のテキスト、中文文本。 Привет, мир! 🙂👍",
    "def main():\n    print('hello')\n    return [1, 2, 3]\n\n\tindented\ttabs  and   spaces\n",
    "    leading spaces, trailing spaces   \nnew lines\n\nand more text about models, tokens and weights.",
]

LLAMA3_TEMPLATE = (
    "{{- bos_token }}{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}"
    "{%- endfor %}{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}")
QWEN3_TEMPLATE = (
    "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
    "{%- endif %}")
GEMMA3_TEMPLATE = (
    "{{ bos_token }}{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}{%- set first_user_prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- if message['role'] == 'assistant' -%}{%- set role = 'model' -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}"
    "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}"
    "{%- endfor -%}{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}")


def byte_level_bpe(regex, specials, added, normalizer, bos, ignore_merges):
    """A byte-level BPE like Llama 3's and Qwen's: Split(regex) then ByteLevel, specials after the learnt vocabulary;
    ignore_merges (a word in the vocabulary is one token) as Llama 3 has it, Qwen not."""
    tokenizer = Tokenizer(models.BPE(ignore_merges=ignore_merges))
    if normalizer:
        tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tokenizer.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=640, special_tokens=[], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS, trainer=trainer)
    tokenizer.add_special_tokens(specials)
    tokenizer.add_tokens(added)
    if bos:
        tokenizer.post_processor = processors.Sequence([
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B",
                                          special_tokens=[(bos, tokenizer.token_to_id(bos))])])
    else:
        tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    return tokenizer


def gemma_tokenizer(tmp):
    """A SentencePiece BPE with byte fallback, as Gemma's, and its tokenizer.json by transformers' GemmaConverter."""
    import sentencepiece as spm
    from transformers.convert_slow_tokenizer import GemmaConverter, GemmaSentencePieceExtractor

    class Extractor(GemmaSentencePieceExtractor):  # transformers 5's extractor reads a processor it never loads
        def __init__(self, model):
            super().__init__(model)
            self.sp = spm.SentencePieceProcessor(model_file=model)

    class Converter(GemmaConverter):
        SpmExtractor = Extractor
    prefix = os.path.join(tmp, "spm")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS), model_prefix=prefix, vocab_size=560, model_type="bpe", byte_fallback=True,
        character_coverage=1.0, add_dummy_prefix=False, remove_extra_whitespaces=False, split_digits=True,
        allow_whitespace_only_pieces=True, normalization_rule_name="identity", split_by_whitespace=True,
        pad_id=0, eos_id=1, bos_id=2, unk_id=3, pad_piece="<pad>", eos_piece="<eos>", bos_piece="<bos>",
        unk_piece="<unk>", user_defined_symbols=["<mask>", "[multimodal]", "<start_of_turn>", "<end_of_turn>"],
        num_threads=1, minloglevel=2)
    os.replace(prefix + ".model", os.path.join(tmp, "tokenizer.model"))
    os.remove(prefix + ".vocab")
    original = types.SimpleNamespace(vocab_file=os.path.join(tmp, "tokenizer.model"), pad_token="<pad>",
                                     eos_token="<eos>", bos_token="<bos>", unk_token="<unk>",
                                     add_bos_token=True, add_eos_token=False, legacy=False, add_prefix_space=False)
    tokenizer = Converter(original).converted()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<bos> $A", pair="<bos> $A <bos> $B", special_tokens=[("<bos>", 2)])
    return tokenizer


FAMILIES = {
    "llama3": dict(
        module="llama", seed=11, scale=3.0, embed_scale=3.0, norm_offset=1.0,
        config=dict(model_type="llama", architectures=["LlamaForCausalLM"], hidden_size=64, num_hidden_layers=2,
                    intermediate_size=128, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                    rms_norm_eps=1e-5, rope_theta=500000.0, max_position_embeddings=131072,
                    rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                      original_max_position_embeddings=8192),
                    attention_bias=False, mlp_bias=False, tie_word_embeddings=False, hidden_act="silu"),
        bos="<|begin_of_text|>", eos="<|end_of_text|>", eot="<|eot_id|>", pad=None, unk=None,
        template=LLAMA3_TEMPLATE),
    "qwen3": dict(
        module="qwen3", seed=12, scale=3.0, embed_scale=1.0, norm_offset=1.0,
        config=dict(model_type="qwen3", architectures=["Qwen3ForCausalLM"], hidden_size=64, num_hidden_layers=2,
                    intermediate_size=128, num_attention_heads=4, num_key_value_heads=2, head_dim=32,
                    rms_norm_eps=1e-6, rope_theta=1000000.0, max_position_embeddings=40960,
                    attention_bias=False, tie_word_embeddings=True, hidden_act="silu"),
        bos=None, eos="<|im_end|>", eot="<|im_end|>", pad="<|endoftext|>", unk=None,
        template=QWEN3_TEMPLATE),
    "gemma3": dict(
        module="gemma3_text", seed=13, scale=3.0, embed_scale=0.3, norm_offset=1.0,
        config=dict(model_type="gemma3_text", architectures=["Gemma3ForCausalLM"], hidden_size=64,
                    num_hidden_layers=6, intermediate_size=128, num_attention_heads=4, num_key_value_heads=1,
                    head_dim=32, query_pre_attn_scalar=32, rms_norm_eps=1e-6, rope_theta=1000000.0,
                    rope_local_base_freq=10000.0, sliding_window=512, sliding_window_pattern=6,
                    max_position_embeddings=32768, rope_scaling=None, final_logit_softcapping=None,
                    attn_logit_softcapping=None, hidden_activation="gelu_pytorch_tanh", tie_word_embeddings=True),
        bos="<bos>", eos="<eos>", eot="<end_of_turn>", pad="<pad>", unk="<unk>",
        template=GEMMA3_TEMPLATE),
}


def make_tokenizer(family, tmp):
    if family == "llama3":
        specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                    "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                    "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"]
        return byte_level_bpe(LLAMA3_REGEX, specials, [], None, "<|begin_of_text|>", True)
    if family == "qwen3":
        specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
        return byte_level_bpe(QWEN2_REGEX, specials, ["<think>", "</think>"], normalizers.NFC(), None, False)
    return gemma_tokenizer(tmp)


def make(out_dir, family):
    spec = FAMILIES[family]
    out = os.path.join(out_dir, family)
    tmp = f"{out}.part-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    tokenizer = make_tokenizer(family, tmp)
    tokenizer.save(os.path.join(tmp, "tokenizer.json"))
    ids = {key: tokenizer.token_to_id(spec[key]) if spec[key] else None for key in ("bos", "eos", "eot", "pad")}
    config = dict(spec["config"], vocab_size=tokenizer.get_vocab_size(), bos_token_id=ids["bos"],
                  eos_token_id=[ids["eos"], ids["eot"]] if ids["eos"] != ids["eot"] else ids["eos"],
                  pad_token_id=ids["pad"], torch_dtype="float32")
    module = __import__(f"mlx_lm.models.{spec['module']}", fromlist=["Model", "ModelArgs"])
    mx.random.seed(spec["seed"])
    model = module.Model(module.ModelArgs.from_dict(config))
    key = mx.random.key(spec["seed"] + 100)

    def init(path, a):
        nonlocal key
        key, sub = mx.random.split(key)
        if "norm" in path:  # real norms are not the identity: a wrong convention must show in the output
            return spec["norm_offset"] + 0.1 * mx.random.normal(a.shape, key=sub)
        return a * spec["embed_scale" if "embed_tokens" in path else "scale"]

    model.update(tree_map_with_path(init, model.parameters()))
    weights = dict(tree_flatten(model.parameters()))
    if config["tie_word_embeddings"]:
        weights.pop("lm_head.weight", None)
    weights = {name: value.astype(mx.float32) for name, value in weights.items()}
    mx.eval(weights)
    mx.save_safetensors(os.path.join(tmp, "model.safetensors"), weights, metadata={"format": "mlx"})

    def write(name, value):
        with open(os.path.join(tmp, name), "w") as f:
            json.dump(value, f, indent=2, ensure_ascii=False)

    write("config.json", config)
    tokens = {"bos_token": spec["bos"], "eos_token": spec["eot"], "pad_token": spec["pad"], "unk_token": spec["unk"]}
    tokens = {k: v for k, v in tokens.items() if v is not None}
    write("tokenizer_config.json", dict(tokenizer_class="PreTrainedTokenizerFast", chat_template=spec["template"],
                                        add_bos_token=spec["bos"] is not None, add_eos_token=False,
                                        model_max_length=config["max_position_embeddings"], **tokens))
    write("special_tokens_map.json", tokens)
    write("generation_config.json", dict(bos_token_id=ids["bos"], eos_token_id=config["eos_token_id"],
                                         pad_token_id=ids["pad"], do_sample=False))
    write("family.json", dict(family=family, model_type=config["model_type"], seed=spec["seed"], bos=spec["bos"],
                              eos=spec["eos"], eot=spec["eot"], add_bos=spec["bos"] is not None))
    if os.path.isdir(out):  # an older copy: replace it
        shutil.rmtree(out)
    os.replace(tmp, out)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    families = sys.argv[2:] or list(FAMILIES)
    for family in families:
        if family not in FAMILIES:
            sys.exit(f"make_family_models: unknown family {family!r} (known: {', '.join(FAMILIES)})")
    os.makedirs(out_dir, exist_ok=True)
    for family in families:
        print(make(out_dir, family))


if __name__ == "__main__":
    main()
