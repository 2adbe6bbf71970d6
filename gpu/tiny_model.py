"""A tiny, randomly initialised ColQwen2, built offline: for tests, benchmarks and smoke runs.

It is saved with `save_pretrained` like any real checkpoint, so the engine loads it by path
through exactly the code that loads `vidore/colqwen2-v1.0`. Its numbers mean nothing; its
shapes, masks and code paths are the real ones.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
_CORPUS = [
    "Describe the image.",
    "What is the revenue growth in the annual report for 2024?",
    "Which team owns the quarterly budget and the hiring plan?",
    "user assistant system the of and to in is for on with page table figure chart",
    "invoice total amount due date customer address product price quantity",
]


def build_tiny_colqwen2(path: Path, *, max_visual_tokens: int = 64, seed: int = 0) -> Path:
    """Write a tiny ColQwen2 checkpoint (model, tokenizer, image processor) to `path`."""
    import torch
    from colpali_engine.models import ColQwen2, ColQwen2Processor
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2VLConfig
    from transformers.models.qwen2_vl import Qwen2VLImageProcessor, Qwen2VLVideoProcessor

    path.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token=None))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    bpe.train_from_iterator(_CORPUS * 20, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=bpe,
        eos_token="<|im_end|>",  # noqa: S106  (a special token, not a secret)
        pad_token="<|endoftext|>",  # noqa: S106
        additional_special_tokens=SPECIAL_TOKENS[1:],
    )
    image_processor = Qwen2VLImageProcessor(
        min_pixels=4 * 28 * 28,
        max_pixels=max_visual_tokens * 28 * 28,
        size={"shortest_edge": 4 * 28 * 28, "longest_edge": max_visual_tokens * 28 * 28},
    )
    processor = ColQwen2Processor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        video_processor=Qwen2VLVideoProcessor(),
    )

    def token_id(token: str) -> int:
        found = tokenizer.convert_tokens_to_ids(token)
        assert isinstance(found, int)
        return found

    config = Qwen2VLConfig(
        text_config={
            "vocab_size": len(tokenizer),
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "max_position_embeddings": 4096,
            "rope_parameters": {
                "rope_type": "default",
                "rope_theta": 10000.0,
                "mrope_section": [2, 3, 3],
            },
            "bos_token_id": token_id("<|endoftext|>"),
            "eos_token_id": token_id("<|im_end|>"),
            "pad_token_id": token_id("<|endoftext|>"),
        },
        vision_config={
            "depth": 2,
            "embed_dim": 32,
            "hidden_size": 64,
            "num_heads": 2,
            "mlp_ratio": 2,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
        },
        image_token_id=token_id("<|image_pad|>"),
        video_token_id=token_id("<|video_pad|>"),
        vision_start_token_id=token_id("<|vision_start|>"),
        vision_end_token_id=token_id("<|vision_end|>"),
    )
    torch.manual_seed(seed)
    model = ColQwen2(config).eval()
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--max-visual-tokens", type=int, default=64)
    args = parser.parse_args()
    print(build_tiny_colqwen2(args.path, max_visual_tokens=args.max_visual_tokens))


if __name__ == "__main__":
    main()
