"""Word alignment: the :class:`Aligner` interface, a registry of named aligners, and the result cache.

Typical use (links are ``(source index, target index)``)::

    from projner.align import get_aligner
    aligner = get_aligner("e5-inter")              # the default: SimAlign ArgMax on multilingual-e5-small
    for alignment in aligner.align([(["Merkel", "met", "Obama"], ["Merkel", "traf", "Obama"])]):
        print(alignment.to_pharaoh())

Registered names (see docs/aligners.md): :data:`ALIGNERS`. Keyword arguments override a name's defaults, e.g.
``get_aligner("e5-itermax", layer=6)`` or ``get_aligner("embedding", model="/path/to/hf-model", method="inter")``.
Importing this module is cheap; torch and transformers load on first alignment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from projner.align.base import DEFAULT_BATCH_SIZE, Aligner, CachedAligner, TrainableAligner, chunked
from projner.core.types import ConfigError, ProjnerError
from projner.utils.cache import StageCache

DEFAULT_ALIGNER = "e5-inter-thot"
"""The offline default: SimAlign ArgMax on multilingual-e5-small (layer 8), its gaps filled with seeded eflomal
links (SIL Thot, trained on the input itself) onto capitalised target words, after moving target words e5 linked
twice to eflomal's unaligned source word (``reassign``, session 10). Chosen on data other than the test sets: on UNER-PUD de/pt, ArgMax beat IterMax (the paper's setting, ``e5-itermax``) by about 1 projection F1 at
every layer, and the fill added +0.3 / +0.7 F1; on the MasakhaNER2 dev splits it added +0.8 translate-test F1 on
average, no language lower (docs/benchmarks/projection.md, docs/benchmarks.md). It trains on its whole input, so
it does not stream; ``--engine`` runs train the filler per shard."""

DEFAULT_EMBEDDING_ALIGNER = "e5-inter"
"""The default streaming, embedding-only aligner (the primary of the default; the aligner study's reference)."""


@dataclass(frozen=True)
class AlignerSpec:
    factory: str  # "embedding" | "eflomal" | "thot" | "exact" | "lexicon" | "fill"
    defaults: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def _e5(method: str, desc: str) -> AlignerSpec:
    return AlignerSpec(
        "embedding", {"model": "e5-small", "layer": 8, "method": method, "token_type": "bpe"}, desc
    )


_SPECS: dict[str, AlignerSpec] = {
    "e5-itermax": _e5("itermax", "SimAlign IterMax on multilingual-e5-small layer 8, sub-word level"),
    "e5-inter": _e5("inter", "SimAlign ArgMax (mutual argmax / intersection), e5-small layer 8, sub-words"),
    "e5-inter-thot": AlignerSpec(
        "fill",
        {
            "primary": "e5-inter",
            "secondary": "thot-eflomal-inter",
            "fill_target": "capitalised",
            "reassign": True,
        },
        "default. e5-inter, gaps filled with seeded eflomal (SIL Thot) intersection links onto capitalised target "
        "words, after moving doubly linked target words to eflomal's unaligned source word (reassign); eflomal "
        "trains on the input + extra_files / fit",
    ),
    "e5-argmax": _e5("inter", "alias of e5-inter"),
    "e5-match": _e5("mwmf", "SimAlign Match (max-weight bipartite matching), e5-small layer 8, sub-words"),
    "e5-mwmf": _e5("mwmf", "alias of e5-match"),
    "e5-softmax": AlignerSpec(
        "embedding",
        {
            "model": "e5-small",
            "layer": 8,
            "method": "softmax",
            "token_type": "bpe",
            "softmax_threshold": 0.001,
        },
        "awesome-align softmax extraction (threshold 0.001, no fine-tuning), e5-small layer 8",
    ),
    "e5-fwd": _e5("fwd", "forward argmax only (every source sub-word links to its best target sub-word)"),
    "e5-rev": _e5("rev", "reverse argmax only"),
    "embedding": AlignerSpec(
        "embedding",
        {"model": "e5-small", "layer": 8, "method": "itermax", "token_type": "bpe"},
        "any Hugging Face encoder: pass model=<dir or hub name>, layer, method, token_type",
    ),
    "eflomal": AlignerSpec(
        "eflomal", {"symmetrization": "grow-diag-final-and"}, "eflomal + grow-diag-final-and"
    ),
    "eflomal-gdfa": AlignerSpec("eflomal", {"symmetrization": "grow-diag-final-and"}, "alias of eflomal"),
    "eflomal-gdf": AlignerSpec("eflomal", {"symmetrization": "grow-diag-final"}, "eflomal + grow-diag-final"),
    "eflomal-gd": AlignerSpec("eflomal", {"symmetrization": "grow-diag"}, "eflomal + grow-diag"),
    "eflomal-inter": AlignerSpec("eflomal", {"symmetrization": "intersection"}, "eflomal, intersection"),
    "eflomal-union": AlignerSpec("eflomal", {"symmetrization": "union"}, "eflomal, union"),
    "eflomal-fwd": AlignerSpec("eflomal", {"symmetrization": "fwd"}, "eflomal forward direction only"),
    "eflomal-rev": AlignerSpec("eflomal", {"symmetrization": "rev"}, "eflomal reverse direction only"),
    "thot-eflomal": AlignerSpec(
        "thot",
        {"model": "eflomal", "symmetrization": "grow-diag-final-and"},
        "seeded eflomal (SIL Thot) + gdfa",
    ),
    "thot-eflomal-inter": AlignerSpec(
        "thot",
        {"model": "eflomal", "symmetrization": "intersection"},
        "seeded eflomal (SIL Thot), intersection",
    ),
    "thot-fastalign": AlignerSpec(
        "thot",
        {"model": "fast_align", "symmetrization": "grow-diag-final-and"},
        "FastAlign (SIL Thot) + gdfa",
    ),
    "exact-match": AlignerSpec("exact", {}, "link tokens with equal (lower-cased) strings; a baseline"),
    "lexicon": AlignerSpec(
        "lexicon",
        {"min_len": 4},
        "link words a bilingual lexicon lists as translations; lexicon=freedict:LANG or a word-pair file",
    ),
    "fill": AlignerSpec(
        "fill",
        {"primary": DEFAULT_EMBEDDING_ALIGNER, "secondary": "lexicon"},
        "primary's links + secondary's links between words the primary left unaligned (primary=, secondary=)",
    ),
    "e5-inter-lex": AlignerSpec(
        "fill",
        {"primary": "e5-inter", "secondary": "lexicon"},
        "e5-inter, gaps filled from a bilingual lexicon (lexicon=freedict:LANG or a word-pair file)",
    ),
    "e5-inter-eflomal": AlignerSpec(
        "fill",
        {"primary": "e5-inter", "secondary": "eflomal-inter", "fill_target": "capitalised"},
        "e5-inter, gaps filled with eflomal intersection links onto capitalised target words (names); eflomal "
        "is trained on the input + extra_files / fit (translate-test --extra-parallel)",
    ),
}

ALIGNERS: tuple[str, ...] = tuple(_SPECS)
"""Names accepted by :func:`get_aligner`."""


def describe_aligners() -> dict[str, str]:
    return {name: spec.description for name, spec in _SPECS.items()}


def aligner_defaults(name: str) -> dict[str, Any]:
    """The registered default parameters of aligner ``name`` (a copy), e.g. a fill's primary and secondary."""
    if name not in _SPECS:
        raise ConfigError(f"unknown aligner {name!r}; known: {', '.join(ALIGNERS)}")
    return dict(_SPECS[name].defaults)


def _fill(
    *,
    name: str,
    primary: str,
    secondary: str,
    primary_args: dict[str, Any] | None = None,
    secondary_args: dict[str, Any] | None = None,
    fill_target: str = "any",
    reassign: bool = False,
    cache: bool | StageCache = False,
    **secondary_kwargs: Any,
) -> Aligner:
    """A :class:`~projner.align.combine.FillAligner`; keyword arguments it does not know go to the secondary
    (``get_aligner("e5-inter-lex", lexicon="freedict:deu")``). The primary is cached on its own, so its links
    are shared with plain runs of the same aligner."""
    from projner.align.combine import FillAligner

    first = get_aligner(primary, cache=cache, **(primary_args or {}))
    second = get_aligner(secondary, cache=False, **{**(secondary_args or {}), **secondary_kwargs})
    return FillAligner(first, second, name=name, fill_target=fill_target, reassign=reassign)


def _factory(kind: str) -> Callable[..., Aligner]:
    if kind == "fill":
        return _fill
    if kind == "lexicon":
        from projner.align.lexicon import LexiconAligner

        return LexiconAligner
    if kind == "embedding":
        from projner.align.embedding import EmbeddingAligner

        return EmbeddingAligner
    if kind == "eflomal":
        from projner.align.eflomal import EflomalAligner

        return EflomalAligner
    if kind == "thot":
        from projner.align.thot import ThotAligner

        return ThotAligner
    from projner.align.simple import ExactMatchAligner

    return ExactMatchAligner


def get_aligner(name: str = DEFAULT_ALIGNER, *, cache: bool | StageCache = True, **kwargs: Any) -> Aligner:
    """Build the aligner registered as ``name``; ``kwargs`` override its defaults.

    By default (``cache=True``) it is wrapped in :class:`CachedAligner` (results stored under the user cache, keyed by name,
    parameters and input); ``cache=False`` returns the bare aligner; pass a :class:`StageCache` to choose the location.
    """
    if name not in _SPECS:
        raise ConfigError(f"unknown aligner {name!r}; known: {', '.join(ALIGNERS)}")
    spec = _SPECS[name]
    params = {**spec.defaults, **kwargs}
    if spec.factory == "fill":
        params["cache"] = cache
    try:
        aligner = _factory(spec.factory)(name=name, **params)
    except ProjnerError as exc:
        if spec.factory == "fill":  # a member's error: say which aligner the user asked for
            raise ConfigError(f"aligner {name!r}: {exc}") from exc
        raise
    except (TypeError, ValueError) as exc:  # an unknown keyword or a bad value from --aligner-arg
        raise ConfigError(f"bad parameters for aligner {name!r}: {exc}") from exc
    if cache is False:
        return aligner
    return CachedAligner(aligner, cache if isinstance(cache, StageCache) else None)


__all__ = [
    "ALIGNERS",
    "aligner_defaults",
    "DEFAULT_ALIGNER",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_EMBEDDING_ALIGNER",
    "Aligner",
    "CachedAligner",
    "TrainableAligner",
    "chunked",
    "describe_aligners",
    "get_aligner",
]
