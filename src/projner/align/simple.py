"""A trivial baseline aligner: link tokens whose strings are equal (case-insensitive).

Useful as a lower bound and for plumbing tests; it catches names and numbers copied verbatim between languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from projner.align.base import DEFAULT_BATCH_SIZE, Pair
from projner.core.types import Alignment


class ExactMatchAligner:
    streaming = True

    def __init__(self, lowercase: bool = True, name: str = "exact-match") -> None:
        self.lowercase = lowercase
        self.name = name

    def params(self) -> dict[str, Any]:
        return {"lowercase": self.lowercase}

    def align(self, pairs: Iterable[Pair], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Alignment]:
        for src, tgt in pairs:
            a = np.array([t.lower() if self.lowercase else t for t in src], dtype=object)
            b = np.array([t.lower() if self.lowercase else t for t in tgt], dtype=object)
            if len(a) == 0 or len(b) == 0:
                yield Alignment()
                continue
            yield Alignment.from_matrix(a[:, None] == b[None, :])
