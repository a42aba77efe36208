"""Token-level text predicates shared by several stages (projection, source taggers)."""

from __future__ import annotations

import unicodedata


def is_punct(token: str) -> bool:
    """True when every character of ``token`` is Unicode punctuation (category P*).

    Why one definition: the heuristic projector's punctuation removal, the n-gram candidate exclusion and the
    source taggers' span trimming must agree on what a punctuation token is.
    """
    return bool(token) and all(unicodedata.category(ch).startswith("P") for ch in token)
