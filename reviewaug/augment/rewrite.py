"""Offline rewriting: sentence-level rules, a local transformers model, and retrieval from same-item reviews.

Rules (meaning and polarity kept):

* :func:`sentence_reorder` shuffles independent sentences; a sentence that opens with a connective or a pronoun
  ("But...", "It...") stays glued to the one before it.
* :func:`contractions` expands ("don't" → "do not") or contracts ("it is" → "it's").
* :func:`clause_reorder` swaps coordinated adjectives ("cheap and sturdy" → "sturdy and cheap") and moves a
  fronted subordinate clause to the end or back ("Because it is light, I take it everywhere." ↔ "I take it
  everywhere because it is light.").
* :func:`summary_recombine` puts the review's summary before or after its text.

Models: :class:`Rewrite` runs any local transformers causal or seq2seq model with batched ``generate``. Each row
samples with its own ``torch.Generator`` seeded from the row's generator, through a logits processor, so the
result does not depend on the global torch seed.

Retrieval: :class:`RetrievalRewrite` replaces one sentence with the nearest sentence (MiniLM) of the same VADER
polarity from another review of the same item.

Example:
    >>> import numpy as np
    >>> contractions("It is great and I do not regret it.", np.random.default_rng(0), mode="contract")
    "It's great and I don't regret it."
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from reviewaug.augment.constraints import is_protected
from reviewaug.augment.core import Row, RowWise, _check_lengths

__all__ = [
    "split_sentences",
    "sentence_reorder",
    "contractions",
    "clause_reorder",
    "summary_recombine",
    "SentenceReorder",
    "Contractions",
    "ClauseReorder",
    "SummaryRecombine",
    "Rewrite",
    "RetrievalRewrite",
]

# ---------------------------------------------------------------------------------------------- sentences

_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after ``.``, ``!`` or ``?`` followed by space), whitespace stripped.

    Example:
        >>> split_sentences("Works well. But it is loud!  Buy it.")
        ['Works well.', 'But it is loud!', 'Buy it.']
    """
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


# openers that tie a sentence to the one before it
_DEPENDENT = frozenset(
    """but however also so then and or it its it's this that these those they them their he she his her which
    although though yet still plus otherwise therefore thus besides again too anyway instead meanwhile hence
    nevertheless nonetheless furthermore moreover additionally as because since nor even unfortunately luckily
    overall after afterwards later finally""".split()
)


def _first_word(sentence: str) -> str:
    m = re.match(r"\W*([A-Za-z']+)", sentence)
    return m.group(1).lower().replace("’", "'") if m else ""


def sentence_reorder(text: str, rng: np.random.Generator) -> str:
    """Shuffle the independent sentence blocks of ``text``; sentences opening with a connective or pronoun stay
    attached to the sentence before them. Unchanged when there is only one block.

    Example:
        >>> import numpy as np
        >>> sentence_reorder("Works well. It is loud.", np.random.default_rng(0))
        'Works well. It is loud.'
    """
    sents = split_sentences(text)
    if len(sents) < 2:
        return text
    blocks: list[list[str]] = []
    for s in sents:
        if blocks and _first_word(s) in _DEPENDENT:
            blocks[-1].append(s)
        else:
            blocks.append([s])
    if len(blocks) < 2:
        return text
    order = rng.permutation(len(blocks))
    if list(order) == list(range(len(blocks))):  # one more draw, not a loop: cheap and still deterministic
        order = np.roll(order, 1)
    return " ".join(" ".join(blocks[int(i)]) for i in order)


# ------------------------------------------------------------------------------------------- contractions

_EXPAND = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "isn't": "is not", "aren't": "are not",
    "wasn't": "was not", "weren't": "were not", "won't": "will not", "wouldn't": "would not",
    "shouldn't": "should not", "couldn't": "could not", "can't": "cannot", "haven't": "have not",
    "hasn't": "has not", "hadn't": "had not", "i'm": "i am", "it's": "it is", "that's": "that is",
    "there's": "there is", "i've": "i have", "you're": "you are", "they're": "they are", "we're": "we are",
    "i'll": "i will", "it'll": "it will", "you'll": "you will", "they'll": "they will", "we'll": "we will",
    "he's": "he is", "she's": "she is", "what's": "what is", "let's": "let us", "you've": "you have",
    "we've": "we have", "they've": "they have",
}  # fmt: skip
_CONTRACT = {v: k for k, v in _EXPAND.items() if k not in ("let's",)}
_TOKEN = re.compile(r"[\w'’]+")  # the words of a matched contraction or expansion ("don't", "do", "not")
_EXPAND_RE = re.compile(r"\b(" + "|".join(re.escape(k).replace("'", "['’]") for k in _EXPAND) + r")\b", re.I)
_CONTRACT_RE = re.compile(
    r"\b("
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_CONTRACT, key=len, reverse=True))
    + r")\b",
    re.I,
)


def _case_like(template: str, new: str) -> str:
    if template.isupper() and len(template) > 1:
        return new.upper()
    if template[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _fix_i(s: str) -> str:
    return re.sub(r"\bi\b", "I", s)


def contractions(
    text: str,
    rng: np.random.Generator,
    *,
    mode: str = "auto",
    p: float = 1.0,
    protected: frozenset[str] | None = None,
) -> str:
    """Expand or contract common English contractions; each occurrence changes with probability ``p``.

    ``mode``: ``"expand"``, ``"contract"`` or ``"auto"`` (the row's generator picks one; when the text has
    nothing to change that way, the other is used). "it's" followed by "been"/"got" expands to "it has".
    ``protected`` (a row's protected words): when given, an occurrence holding a protected word or a negation
    ("don't", "do not") is left as it is.

    Example:
        >>> import numpy as np
        >>> contractions("I can't say it's bad.", np.random.default_rng(0), mode="expand")
        'I cannot say it is bad.'
    """
    if mode not in ("auto", "expand", "contract"):
        raise ValueError(f"contractions(mode=...) must be 'auto', 'expand' or 'contract', got {mode!r}")
    if not text:
        return text

    def free(m: re.Match[str]) -> bool:
        return protected is None or not any(is_protected(w, protected) for w in _TOKEN.findall(m.group(0)))

    if mode == "auto":
        first = "expand" if rng.random() < 0.5 else "contract"
        other = "contract" if first == "expand" else "expand"
        has = {
            "expand": any(map(free, _EXPAND_RE.finditer(text))),
            "contract": any(map(free, _CONTRACT_RE.finditer(text))),
        }
        mode = first if has[first] or not has[other] else other
    pattern = _EXPAND_RE if mode == "expand" else _CONTRACT_RE
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    draws = rng.random(len(matches))  # one per occurrence, protected or not: the others draw the same
    out, last = [], 0
    for m, d in zip(matches, draws):
        if d >= p or not free(m):
            continue
        src = m.group(0)
        key = re.sub(r"\s+", " ", src.lower().replace("’", "'"))
        if mode == "expand":
            new = _EXPAND[key]
            if key == "it's" and re.match(r"\s+(been|got)\b", text[m.end() :], re.I):
                new = "it has"
        else:
            new = _CONTRACT[key]
            if "’" in text:
                new = new.replace("'", "’")
        new = _case_like(src, new)
        if key.startswith("i ") or key.startswith("i'"):
            new = _fix_i(new)
        out.append(text[last : m.start()] + new)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------------------------------------ clause reorder

_SUBORD = ("because", "since", "although", "though", "while", "when", "if", "once", "unless", "whenever")
_FRONTED = re.compile(r"^(" + "|".join(_SUBORD) + r")\s+([^,;:]+?),\s+([^,;:]+?)([.!?]*)$", re.I)
_TRAILING = re.compile(r"^([^,;:]+?)\s+(" + "|".join(_SUBORD) + r")\s+([^,;:]+?)([.!?]*)$", re.I)
_COORD = re.compile(r"\b([A-Za-z]+), ([A-Za-z]+),? and ([A-Za-z]+)\b|\b([A-Za-z]+) and ([A-Za-z]+)\b")
_KEEP_CASE = {"i", "i'm", "i've", "i'll", "i'd"}


def _is_adjective(word: str) -> bool:
    from reviewaug.augment.synonyms import _known_pos

    low = word.lower()
    return low.isalpha() and len(low) > 2 and _known_pos(low) == ("a",)


def _lower_first(s: str) -> str:
    first = s.split(" ", 1)[0]
    if first.lower().replace("’", "'") in _KEEP_CASE or (first[:1].isupper() and first[1:2].isupper()):
        return s
    if first[:1].isupper() and first[1:].islower() and first.lower() not in _COMMON_OPENERS:
        return s  # probably a name ("Fender makes...")
    return s[:1].lower() + s[1:]


_COMMON_OPENERS = frozenset(
    """the a an this that these those it its my our your their his her we you they there he she some all most
    every each no one any many much i'm its""".split()
)


def _reorder_sentence(sent: str, rng: np.random.Generator) -> str | None:
    m = _FRONTED.match(sent)
    if m:
        sub, clause, main, punct = m.groups()
        return f"{main[:1].upper()}{main[1:]} {sub.lower()} {_lower_first(clause)}{punct}"
    m = _TRAILING.match(sent)
    if m and len(m.group(1).split()) >= 2 and len(m.group(3).split()) >= 2:
        main, sub, clause, punct = m.groups()
        return f"{sub[:1].upper()}{sub[1:].lower()} {clause}, {_lower_first(main)}{punct}"
    return None


def clause_reorder(text: str, rng: np.random.Generator) -> str:
    """Reorder clauses of one sentence chosen by the row's generator: move a subordinate clause ("because...",
    "when...") to the other end, else permute coordinated adjectives ("light, cheap and loud").

    Example:
        >>> import numpy as np
        >>> clause_reorder("Because it is light, I take it everywhere.", np.random.default_rng(0))
        'I take it everywhere because it is light.'
    """
    sents = split_sentences(text)
    if not sents:
        return text
    options: list[tuple[int, str]] = []
    for i, s in enumerate(sents):
        new = _reorder_sentence(s, rng)
        if new and new != s:
            options.append((i, new))
            continue
        for m in _COORD.finditer(s):
            items = [g for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]) if g]
            if len(set(w.lower() for w in items)) == len(items) and all(_is_adjective(w) for w in items):
                perm = list(range(len(items)))
                perm = perm[1:] + perm[:1]  # rotate: always a different order
                rep = items[perm[0]] if len(items) == 2 else f"{items[perm[0]]}, {items[perm[1]]}"
                joined = f"{rep} and {items[perm[-1]]}"
                if items[0][:1].isupper():
                    joined = joined[:1].upper() + joined[1:].lower() if joined[1:] else joined
                new_s = s[: m.start()] + joined + s[m.end() :]
                if new_s != s:
                    options.append((i, new_s))
                    break
    if not options:
        return text
    i, new = options[int(rng.integers(len(options)))]
    if not text.startswith(sents[0]) or len(sents) == 1:
        return new if len(sents) == 1 else " ".join(new if j == i else s for j, s in enumerate(sents))
    # keep the original spacing: replace the sentence in place
    start = 0
    for j, s in enumerate(sents):
        k = text.find(s, start)
        if j == i and k >= 0:
            return text[:k] + new + text[k + len(s) :]
        start = k + len(s) if k >= 0 else start
    return " ".join(new if j == i else s for j, s in enumerate(sents))


# --------------------------------------------------------------------------------------- summary + text


def summary_recombine(text: str, summary: str | None, rng: np.random.Generator) -> str:
    """Put the review's ``summary`` (its title) before or after its text, as a sentence of its own.

    Unchanged when the summary is empty or already part of the text.

    Example:
        >>> import numpy as np
        >>> summary_recombine("Holds tune well.", "Solid tuner", np.random.default_rng(1))
        'Holds tune well. Solid tuner.'
    """
    s = (summary or "").strip()
    if not s or not text.strip() or s.lower() in text.lower():
        return text
    if s[-1] not in ".!?":
        s += "."
    t = text.strip()
    if t[-1] not in ".!?\"')":
        t += "."
    return f"{s} {t}" if rng.random() < 0.5 else f"{t} {s}"


@dataclass(frozen=True)
class SentenceReorder(RowWise):
    """Augmenter: :func:`sentence_reorder`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> SentenceReorder()(["One."], [Row.make("One.")])
        ['One.']
    """

    name: str = "sentence_reorder"

    def apply(self, text: str, row: Row) -> str:
        return sentence_reorder(text, row.rng)


@dataclass(frozen=True)
class Contractions(RowWise):
    """Augmenter: :func:`contractions`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> Contractions(mode="expand")(["It's ok"], [Row.make("It's ok")])
        ['It is ok']
    """

    mode: str = "auto"
    p: float = 1.0
    respect_protected: bool = True
    name: str = "contractions"

    def __post_init__(self) -> None:
        if self.mode not in ("auto", "expand", "contract"):
            raise ValueError(
                f"Contractions(mode=...) must be 'auto', 'expand' or 'contract', got {self.mode!r}"
            )
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"Contractions(p=...) must lie in [0, 1], got {self.p}")

    def apply(self, text: str, row: Row) -> str:
        return contractions(
            text,
            row.rng,
            mode=self.mode,
            p=self.p,
            protected=row.protected if self.respect_protected else None,
        )


@dataclass(frozen=True)
class ClauseReorder(RowWise):
    """Augmenter: :func:`clause_reorder`.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> ClauseReorder()(["Cheap and sturdy."], [Row.make("Cheap and sturdy.")])
        ['Sturdy and cheap.']
    """

    name: str = "clause_reorder"

    def apply(self, text: str, row: Row) -> str:
        return clause_reorder(text, row.rng)


@dataclass(frozen=True)
class SummaryRecombine(RowWise):
    """Augmenter: :func:`summary_recombine` with the row's ``summary`` feature.

    Example:
        >>> from reviewaug.augment.core import Row
        >>> SummaryRecombine()(["Fine."], [Row.make("Fine.", features={"summary": ""})])
        ['Fine.']
    """

    name: str = "summary_mix"

    def apply(self, text: str, row: Row) -> str:
        return summary_recombine(text, row.features.get("summary"), row.rng)


# ------------------------------------------------------------------------------------------ model rewrite

_MODELS: dict[tuple[str, str], tuple[Any, Any, bool]] = {}


def _load_model(path: str, kind: str) -> tuple[Any, Any, bool]:
    """(model, tokenizer, is_seq2seq) for a local folder, loaded once per process."""
    key = (str(path), kind)
    if key in _MODELS:
        return _MODELS[key]
    from reviewaug.resources import ResourceMissing

    p = Path(path)
    if not p.exists():
        raise ResourceMissing(
            f"Rewrite: model folder {p} does not exist. Pass model=PATH to a local transformers model folder "
            "(config.json, weights and tokenizer files), e.g. a generator trained with `reviewaug gan train`."
        )
    try:
        import transformers
    except ImportError as e:
        raise ResourceMissing("Rewrite needs transformers and torch: pip install 'reviewaug[gan]'") from e
    config = transformers.AutoConfig.from_pretrained(str(p), local_files_only=True)
    seq2seq = bool(getattr(config, "is_encoder_decoder", False)) if kind == "auto" else kind == "seq2seq"
    if kind not in ("auto", "causal", "seq2seq"):
        raise ValueError(f"Rewrite(kind=...) must be 'auto', 'causal' or 'seq2seq', got {kind!r}")
    auto = transformers.AutoModelForSeq2SeqLM if seq2seq else transformers.AutoModelForCausalLM
    model = auto.from_pretrained(str(p), local_files_only=True)
    model.eval()
    tok = transformers.AutoTokenizer.from_pretrained(str(p), local_files_only=True)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token if tok.eos_token is not None else tok.unk_token
    if not seq2seq:
        tok.padding_side = "left"
        tok.truncation_side = "left"  # a continuation must follow the end of its prompt
    _MODELS[key] = (model, tok, seq2seq)
    return _MODELS[key]


def _row_sampler(generators: list[Any], temperature: float, top_k: int, top_p: float) -> Any:
    """A logits processor that draws each row's next token with that row's own ``torch.Generator``.

    It returns scores that are 0 at the drawn token and -inf elsewhere, so greedy ``generate`` takes exactly the
    drawn token: batched generation with the library's caching, and per-row deterministic sampling.
    """
    import torch
    from transformers import LogitsProcessor

    class RowSampler(LogitsProcessor):
        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            logits = scores.float() / max(temperature, 1e-5)
            if top_k and top_k > 0:
                kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            probs = torch.softmax(logits, dim=-1)
            if 0.0 < top_p < 1.0:
                sp, si = torch.sort(probs, descending=True, dim=-1)
                drop = sp.cumsum(-1) - sp > top_p
                sp = sp.masked_fill(drop, 0.0)
                probs = torch.zeros_like(probs).scatter(-1, si, sp)
            out = torch.full_like(scores, float("-inf"))
            for i in range(probs.shape[0]):
                row = probs[i] if float(probs[i].sum()) > 0 else torch.ones_like(probs[i])
                tok = torch.multinomial(row, 1, generator=generators[i])
                out[i, tok] = 0.0
            return out

    return RowSampler()


_CUT = re.compile(r"^(.*[.!?])[^.!?]*$", re.S)


@dataclass(frozen=True)
class Rewrite:
    """Rewrite texts with a local transformers model (causal or seq2seq), batched, sampling per row.

    ``mode="continue"`` (causal models such as a review language model): keep the first ``keep`` share of the
    words and let the model write the rest, cut after its last full sentence. ``mode="paraphrase"``: the model
    reads ``prompt`` (``{text}`` is replaced by the review) and its output replaces the text; the default
    prompt is ``"paraphrase: {text}"`` for seq2seq models and ``"Review: {text}\\nRewritten review:"`` for causal
    ones (their output stops at the first newline). Rows whose output is empty keep their text.

    ``prompt`` may also hold ``{stars}`` (the row's rating rounded to 1..5) and ``{keywords}`` (its first three
    keywords); in continue mode ``{text}`` is the kept prefix (default prompt ``"{text}"``). For the in-house
    review language model (``reviewaug gan train``), whose sequences start with a rating token:
    ``Rewrite(model="runs/gan-quick/generator", prompt="<|r{stars}|><|kw|>{keywords}<|text|>{text}")``.

    Example:
        >>> Rewrite(model="runs/my-lm", keep=0.4).mode  # doctest: +SKIP
        'continue'
    """

    model: str | None = None
    kind: str = "auto"
    mode: str = "auto"
    prompt: str | None = None
    keep: float = 0.5
    max_new_tokens: int = 64
    temperature: float = 0.8
    top_k: int = 50
    top_p: float = 0.95
    batch_size: int = 16
    name: str = "rewrite"

    def __post_init__(self) -> None:
        if not self.model:
            raise ValueError(
                "Rewrite needs model=PATH, a local transformers model folder (causal or seq2seq). No model ships "
                "with reviewaug; train the review language model with `reviewaug gan train` or point at any local "
                "checkpoint. The rule-based and retrieval rewrites need no model."
            )
        if self.mode not in ("auto", "continue", "paraphrase"):
            raise ValueError(
                f"Rewrite(mode=...) must be 'auto', 'continue' or 'paraphrase', got {self.mode!r}"
            )
        if not 0.0 < self.keep < 1.0:
            raise ValueError(f"Rewrite(keep=...) must lie in (0, 1), got {self.keep}")

    def _prompts(
        self, texts: Sequence[str], rows: Sequence[Row], seq2seq: bool, mode: str
    ) -> tuple[list[str], list[str]]:
        """(model inputs, kept prefixes); the prefixes are empty in paraphrase mode."""
        kept = []
        if mode == "continue":
            for t in texts:
                words = t.split()
                kept.append(" ".join(words[: max(1, int(len(words) * self.keep))]))
            tpl = self.prompt or "{text}"
        else:
            kept = [""] * len(texts)
            tpl = self.prompt or ("paraphrase: {text}" if seq2seq else "Review: {text}\nRewritten review:")
        out = []
        for t, k, row in zip(texts, kept, rows):
            rating = row.features.get("rating")
            stars = min(5, max(1, int(round(float(rating))))) if rating is not None else 5
            kws = ", ".join(str(x) for x in (row.features.get("keywords") or ())[:3])
            out.append(
                tpl.replace("{text}", k if mode == "continue" else t)
                .replace("{stars}", str(stars))
                .replace("{keywords}", kws)
            )
        return out, kept

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        import torch

        model, tok, seq2seq = _load_model(str(self.model), self.kind)
        mode = self.mode if self.mode != "auto" else ("paraphrase" if seq2seq else "continue")
        if mode == "continue" and seq2seq:
            raise ValueError("Rewrite(mode='continue') needs a causal model; this one is seq2seq")
        out = list(texts)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        # every row draws its seed, whatever its batch
        seeds = {i: int(rows[i].rng.integers(2**63 - 1)) for i in todo}
        for b in range(0, len(todo), self.batch_size):
            idx = todo[b : b + self.batch_size]
            prompts, kept = self._prompts([texts[i] for i in idx], [rows[i] for i in idx], seq2seq, mode)
            gens = [torch.Generator().manual_seed(seeds[i]) for i in idx]
            limit = getattr(model.config, "n_positions", None) or getattr(
                model.config, "max_position_embeddings", 1024
            )
            enc = tok(prompts, return_tensors="pt", padding=True, truncation=True,
                      max_length=max(8, limit - self.max_new_tokens))  # fmt: skip
            enc.pop("token_type_ids", None)
            with torch.no_grad():
                ids = model.generate(
                    **enc,
                    max_new_tokens=self.max_new_tokens,
                    do_sample=False,
                    num_beams=1,
                    logits_processor=[_row_sampler(gens, self.temperature, self.top_k, self.top_p)],
                    pad_token_id=tok.pad_token_id,
                )
            new = ids if seq2seq else ids[:, enc["input_ids"].shape[1] :]
            for k, i in enumerate(idx):
                gen = tok.decode(new[k], skip_special_tokens=True)
                if mode == "continue":
                    m = _CUT.match(gen)
                    gen = (m.group(1) if m else gen).strip()
                    result = (kept[k] + (" " if gen and gen[:1] not in ".,;:!?" else "") + gen).strip()
                else:
                    result = gen.split("\n")[0].strip() if not seq2seq else gen.strip()
                if result and result != texts[i]:
                    out[i] = result
                    rows[i].ops.append(self.name)
        return out


# ---------------------------------------------------------------------------------------- retrieval rewrite

_INDEX: dict[str, Any] = {}


def _corpus_sentences(corpus: str) -> dict[str, list[tuple[str, str]]]:
    """item_id → [(review_id, sentence)] of a corpus file (or ``"default"``), once per process."""
    key = f"sents:{corpus}"
    if key not in _INDEX:
        from reviewaug.io import load_reviews

        ds = load_reviews(str(_corpus_path(corpus)))
        by_item: dict[str, list[tuple[str, str]]] = {}
        for rid, item, text in zip(ds["review_id"], ds["item_id"], ds["text"]):
            for s in split_sentences(text or ""):
                if len(s.split()) >= 3:
                    by_item.setdefault(str(item), []).append((str(rid), s))
        _INDEX[key] = by_item
    return _INDEX[key]


def _corpus_path(corpus: str) -> Path:
    if corpus == "default":
        from reviewaug.io import default_corpus_path

        return default_corpus_path()
    return Path(corpus)


def _cache_folder(corpus: str) -> Path:
    """Where a corpus's per-item sentence embeddings are kept: keyed by the file's path, size and mtime."""
    from reviewaug.augment.core import stable_hash
    from reviewaug.resources import cache_dir

    p = _corpus_path(corpus).resolve()
    st = p.stat()
    key = stable_hash(f"{p}|{st.st_size}|{st.st_mtime_ns}|minilm|v1")
    return cache_dir() / "retrieval" / f"{key:016x}"


def _item_index(corpus: str, items: Sequence[str]) -> dict[str, tuple[list[tuple[str, str]], np.ndarray, np.ndarray]]:  # fmt: skip
    """item_id → (sentences, unit MiniLM embeddings, VADER compound), embedding missing items in one call.

    Embeddings are kept per process and on disk (``<cache>/retrieval/``), so an item is encoded once.
    """
    from reviewaug.augment.core import stable_hash
    from reviewaug.augment.similarity import encode
    from reviewaug.features.sentiment import polarity_scores

    sents = _corpus_sentences(corpus)
    cache: dict[str, Any] = _INDEX.setdefault(f"emb:{corpus}", {})
    folder = _cache_folder(corpus)
    missing = []
    for it in dict.fromkeys(items):
        if it in cache or it not in sents:
            continue
        f = folder / f"{stable_hash(it):016x}.npz"
        if f.exists():
            with np.load(f) as z:
                if z["emb"].shape[0] == len(sents[it]):
                    cache[it] = (sents[it], z["emb"].astype(np.float32), z["pol"])
                    continue
        missing.append(it)
    if missing:
        flat = [s for it in missing for _, s in sents[it]]
        emb = encode(flat, batch_size=128)
        pol = polarity_scores(flat)
        k = 0
        for it in missing:
            n = len(sents[it])
            cache[it] = (sents[it], emb[k : k + n], pol[k : k + n])
            k += n
        _save_items(folder, missing, cache)
    return {it: cache[it] for it in items if it in cache}


_SAVE_WARNED = False


def _save_items(folder: Path, items: Sequence[str], cache: dict[str, Any]) -> None:
    """Write the items' embeddings to the disk cache; where the cache folder cannot be written, keep them in
    this process only and say so once (the next process encodes them again)."""
    from reviewaug.augment.core import stable_hash

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for it in items:
            _, emb, pol = cache[it]
            tmp = folder / f".{stable_hash(it):016x}.tmp.npz"
            np.savez(tmp, emb=emb.astype(np.float16), pol=pol)
            tmp.replace(folder / f"{stable_hash(it):016x}.npz")
    except OSError as e:
        global _SAVE_WARNED
        if not _SAVE_WARNED:
            _SAVE_WARNED = True
            warnings.warn(
                f"reviewaug: cannot write the retrieval cache in {folder} ({e.strerror or e}); sentence embeddings "
                "are kept in this process only. Set REVIEWAUG_CACHE to a writable folder to keep them.",
                RuntimeWarning,
                stacklevel=3,
            )


def _signs(pol: np.ndarray, margin: float) -> np.ndarray:
    return np.where(pol > margin, 1, np.where(pol < -margin, -1, 0))


@dataclass(frozen=True)
class RetrievalRewrite:
    """Replace one sentence per row with its nearest MiniLM neighbour of the same VADER polarity sign, taken
    from another review of the same item in ``corpus`` (a review file, or ``"default"`` for the real corpus).

    Rows need ``item_id`` (and ``review_id``, to skip their own review) among their features; a row whose item
    is not in the corpus, or whose best neighbour is below ``min_similarity``, is left unchanged. Sentences that
    hold one of the row's keywords or a number are not replaced (sentiment words may go: the replacement has the
    same polarity sign). Sentence embeddings are computed once per item and process.

    Example:
        >>> RetrievalRewrite(corpus="reviews.jsonl", min_similarity=0.5).name  # doctest: +SKIP
        'retrieval'
    """

    corpus: str = "default"
    min_similarity: float = 0.5
    margin: float = 0.05
    respect_protected: bool = True
    name: str = "retrieval"

    def __call__(self, texts: Sequence[str], rows: Sequence[Row]) -> list[str]:
        _check_lengths(texts, rows)
        from reviewaug.augment.similarity import encode
        from reviewaug.augment.tokens import is_word, split_tokens
        from reviewaug.features.sentiment import polarity_scores

        out = list(texts)
        plans: list[tuple[int, list[str], int]] = []
        for i, (t, row) in enumerate(zip(texts, rows)):
            item = row.features.get("item_id")
            sents = split_sentences(t) if t else []
            # a replaced sentence loses its words: keywords and numbers must not go; sentiment words may, since
            # the replacement has the same polarity sign
            keep = {w for kw in row.features.get("keywords") or () for w in str(kw).lower().split()}
            ok = [
                j
                for j, s in enumerate(sents)
                if len(s.split()) >= 3
                and not (
                    self.respect_protected
                    and any(
                        w.lower() in keep or any(c.isdigit() for c in w)
                        for w in split_tokens(s)
                        if is_word(w)
                    )
                )
            ]
            if item is None or not ok:
                continue
            plans.append((i, sents, ok[int(row.rng.integers(len(ok)))]))
        if not plans:
            return out
        index = _item_index(self.corpus, [str(rows[i].features["item_id"]) for i, _, _ in plans])
        plans = [p for p in plans if str(rows[p[0]].features["item_id"]) in index]
        if not plans:
            return out
        queries = [sents[j] for _, sents, j in plans]
        q = encode(queries, batch_size=128)
        qsign = _signs(polarity_scores(queries), self.margin)
        for (i, sents, j), qe, sign in zip(plans, q, qsign):
            row = rows[i]
            cand, emb, pol = index[str(row.features["item_id"])]
            own = str(row.features.get("review_id", ""))
            mask = (_signs(pol, self.margin) == sign) & np.array(
                [rid != own and s != sents[j] for rid, s in cand], dtype=bool
            )
            if not mask.any():
                continue
            sims = np.where(mask, emb @ qe, -np.inf)
            best = int(np.argmax(sims))
            if sims[best] < self.min_similarity:
                continue
            new_sents = list(sents)
            new_sents[j] = cand[best][1]
            out[i] = " ".join(new_sents)
            row.ops.append(self.name)
        return out
