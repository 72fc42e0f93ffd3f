"""SeqGAN-style review generator: byte-level BPE tokenizer, GPT-2 generator, Transformer discriminator,
MLE + adversarial training with resume, evaluation (BLEU / self-BLEU / FED / rating agreement) and augmenters.

Importing this package loads no torch; models load on first use.

Example:
    >>> from reviewaug.gan import preset
    >>> preset("tiny").n_layer
    2
"""

from .augment import GanSynthesize, LmInfill, synthesize
from .evaluate import bleu_against, distinct_n, frechet_distance, generate, load_generator, self_bleu, sweep
from .model import PRESETS, GanConfig, build_discriminator, build_generator, preset
from .tokenizer import encode_prompt, load_tokenizer, train_tokenizer
from .train import temporal_split, train

__all__ = [
    "GanConfig",
    "PRESETS",
    "preset",
    "build_generator",
    "build_discriminator",
    "train_tokenizer",
    "load_tokenizer",
    "encode_prompt",
    "train",
    "temporal_split",
    "generate",
    "load_generator",
    "sweep",
    "bleu_against",
    "self_bleu",
    "distinct_n",
    "frechet_distance",
    "GanSynthesize",
    "LmInfill",
    "synthesize",
]
