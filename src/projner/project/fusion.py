"""Fusion of the heuristic and candidate matching (beyond the paper).

The two projection families fail differently: the heuristic is precise but drops entities (length filter,
split runs), matching always finds *some* span but occasionally a wrong one. Fusion uses their agreement:

* ``mode="bonus"`` (default): candidate matching where an entity–candidate entry gets ``+bonus`` when the
  candidate is exactly a span the heuristic projects for that entity. Agreement therefore wins ties and
  near-ties; elsewhere matching decides. Recall stays that of matching.
* ``mode="agree"``: only spans both methods produce for the same entity (high precision, lower recall).

Span scores (and so the sentence confidence) are the Dice score, multiplied by ``disagree_weight`` when the
heuristic did not propose the same span — a disagreement is a useful warning when filtering training data.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from projner.core.types import ParallelExample, Span
from projner.project.base import Projection, Projector, register_projector
from projner.project.exact import exact_entries
from projner.project.greedy import greedy_entries
from projner.project.heuristic import HeuristicProjector
from projner.project.matching import MatchingProjector

FusionMode = Literal["bonus", "agree"]


class FusionProjector(Projector):
    name = "fusion"

    def __init__(
        self,
        mode: FusionMode = "bonus",
        bonus: float = 0.1,
        disagree_weight: float = 0.5,
        heuristic: dict[str, Any] | None = None,
        matching: dict[str, Any] | None = None,
    ) -> None:
        if mode not in ("bonus", "agree"):
            raise ValueError(f"mode must be 'bonus' or 'agree', got {mode!r}")
        self.mode = mode
        self.bonus = bonus
        self.disagree_weight = disagree_weight
        self.heuristic = HeuristicProjector(**(heuristic or {}))
        self.matching = MatchingProjector(**(matching or {}))
        self.params = {
            "mode": mode,
            "bonus": bonus,
            "disagree_weight": disagree_weight,
            "heuristic": self.heuristic.params,
            "matching": self.matching.params,
        }

    def project_links(self, example: ParallelExample) -> list[Projection]:
        return self.matching.with_source_rules(example, self._project_links)

    def _project_links(self, example: ParallelExample) -> list[Projection]:
        agreed = {(p.source, p.span.start, p.span.end) for p in self.heuristic.project_links(example)}
        links = self.matching.link_matrix(example)
        dense, starts, ends = self.matching.dense_scores(example, links=links)
        rows, cols = np.nonzero(dense > self.matching.min_score)
        dice = dense[rows, cols]
        agree = np.fromiter(
            ((int(r), int(starts[c]), int(ends[c])) in agreed for r, c in zip(rows, cols, strict=True)),
            dtype=bool,
            count=rows.size,
        )
        if self.mode == "agree":
            rows, cols, dice, agree = rows[agree], cols[agree], dice[agree], agree[agree]
        # the matching settings hold here too: target-NER bonus, then name completion of the chosen spans
        vals = self.matching.with_ner_bonus(example, rows, cols, dice, starts, ends) + self.bonus * agree
        if self.matching.solver == "exact":
            chosen = exact_entries(rows, cols, vals, starts, ends, dense.shape[0], self.matching.shortcut)
        else:
            chosen = greedy_entries(rows, cols, vals, starts, ends)
        ents = example.source_spans
        out = []
        for r, c, _ in chosen:
            p, q = int(starts[c]), int(ends[c])
            score = float(dense[r, c]) * (1.0 if (r, p, q) in agreed else self.disagree_weight)
            out.append(Projection(r, Span(p, q, ents[r].label, score)))
        return self.matching.complete(example, out, links)


register_projector("fusion", FusionProjector)
