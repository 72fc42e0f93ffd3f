"""Byte-level BPE tokenizer with control tokens for the rating bucket and a keyword prefix.

A training sequence looks like::

    <|r4|> <|kw|> strap , tone <|text|> the strap holds well and the tone ... <|eos|>

or, without keywords, ``<|r4|> <|text|> ... <|eos|>``. The tokenizer is trained with ``tokenizers`` on the
training reviews and wrapped in a :class:`transformers.PreTrainedTokenizerFast`, so
``AutoTokenizer.from_pretrained(folder)`` loads it.

Example:
    >>> tok = train_tokenizer(["good strings", "bad strap"] * 20, vocab_size=300)
    >>> ids = encode_prompt(tok, rating=5, keywords=["strap"])
    >>> tok.convert_ids_to_tokens(ids)[0]
    '<|r5|>'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from transformers import PreTrainedTokenizerFast

__all__ = [
    "PAD",
    "EOS",
    "KW",
    "TEXT",
    "RATING_TOKENS",
    "rating_token",
    "train_tokenizer",
    "load_tokenizer",
    "encode_prompt",
    "encode_example",
    "decode_text",
]

PAD = "<|pad|>"
EOS = "<|eos|>"
KW = "<|kw|>"
TEXT = "<|text|>"
RATING_TOKENS = tuple(f"<|r{r}|>" for r in range(1, 6))
SPECIAL_TOKENS = [PAD, EOS, KW, TEXT, *RATING_TOKENS]


def rating_token(rating: float) -> str:
    """The control token of a star rating (rounded and clipped to 1..5).

    Example:
        >>> rating_token(4.4)
        '<|r4|>'
    """
    r = int(round(float(rating)))
    return RATING_TOKENS[min(5, max(1, r)) - 1]


def train_tokenizer(
    texts: Iterable[str], vocab_size: int = 4000, min_frequency: int = 2
) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE on ``texts`` and wrap it as a ``PreTrainedTokenizerFast``.

    Example:
        >>> tok = train_tokenizer(["a b c"] * 5, vocab_size=280)
        >>> tok.pad_token, tok.eos_token
        ('<|pad|>', '<|eos|>')
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator((t for t in texts if t), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token=PAD,
        eos_token=EOS,
        bos_token=EOS,
        unk_token=None,
        additional_special_tokens=[KW, TEXT, *RATING_TOKENS],
        clean_up_tokenization_spaces=False,
    )


def load_tokenizer(path: str) -> PreTrainedTokenizerFast:
    """Load a tokenizer saved with ``save_pretrained`` (clear error if the folder lacks one).

    Example:
        >>> load_tokenizer("/nonexistent")  # doctest: +SKIP
    """
    from pathlib import Path

    from transformers import AutoTokenizer

    if not (Path(path) / "tokenizer.json").exists():
        raise FileNotFoundError(
            f"no tokenizer.json in {path}; train a generator first with `reviewaug gan train --out {path}`"
        )
    return AutoTokenizer.from_pretrained(str(path))


def encode_prompt(
    tok: PreTrainedTokenizerFast, rating: float, keywords: Sequence[str] = (), max_len: int | None = None
) -> list[int]:
    """Token ids of the control prefix: rating token, optional keywords, then ``<|text|>``.

    With ``max_len`` keywords are dropped from the end until the prefix fits (long YAKE phrases would otherwise
    push a sequence past the model's context).

    Example:
        >>> tok = train_tokenizer(["good strings"] * 5, vocab_size=280)
        >>> tok.convert_ids_to_tokens(encode_prompt(tok, 2))
        ['<|r2|>', '<|text|>']
        >>> len(encode_prompt(tok, 2, ["good strings good strings"] * 9, max_len=4))
        2
    """
    kws = [k.strip() for k in keywords if k and k.strip()]
    while True:
        ids = [tok.convert_tokens_to_ids(rating_token(rating))]
        if kws:
            ids.append(tok.convert_tokens_to_ids(KW))
            ids.extend(tok.encode(" , ".join(kws), add_special_tokens=False))
        ids.append(tok.convert_tokens_to_ids(TEXT))
        if max_len is None or len(ids) <= max_len or not kws:
            return ids
        kws = kws[:-1]


def encode_example(
    tok: PreTrainedTokenizerFast,
    text: str,
    rating: float,
    keywords: Sequence[str] = (),
    max_text_tokens: int = 64,
    max_prompt: int | None = None,
) -> tuple[list[int], int]:
    """``(ids, prompt_len)`` of one training sequence; the text is cut to ``max_text_tokens`` (EOS included).

    Example:
        >>> tok = train_tokenizer(["good strings"] * 5, vocab_size=280)
        >>> ids, n = encode_example(tok, "good strings", 5)
        >>> n, tok.convert_ids_to_tokens(ids)[-1]
        (2, '<|eos|>')
    """
    prompt = encode_prompt(tok, rating, keywords, max_len=max_prompt)
    body = tok.encode(text, add_special_tokens=False, truncation=True, max_length=max(1, max_text_tokens - 1))
    return prompt + body + [tok.eos_token_id], len(prompt)


def decode_text(tok: PreTrainedTokenizerFast, ids: Sequence[int]) -> str:
    """Decode generated text ids, stopping at the first EOS and dropping control tokens.

    Example:
        >>> tok = train_tokenizer(["good strings"] * 5, vocab_size=280)
        >>> decode_text(tok, tok.encode(" good strings", add_special_tokens=False) + [tok.eos_token_id, 5])
        'good strings'
    """
    eos = tok.eos_token_id
    out: list[int] = []
    for i in ids:
        if i == eos:
            break
        out.append(int(i))
    return tok.decode(out, skip_special_tokens=True).strip()
