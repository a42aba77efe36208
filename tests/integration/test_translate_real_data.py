"""Translators on real data slices: MAFAND human translations for MasakhaNER2, Apertium on Europarl-NER es."""

from __future__ import annotations

import pytest

from projner.utils.paths import data_root


def _path(*parts: str):  # type: ignore[no-untyped-def]
    root = data_root()
    p = root.joinpath(*parts) if root else None
    if p is None or not p.exists():
        pytest.skip(f"dataset not found: {p or '/'.join(parts)}")
    return p


def test_mafand_translations_cover_lug_test() -> None:
    _path("masakhaner2", "masakhaner2_to_mafand.tsv")
    from projner.translate.parallel import mafand_translations

    mapping = mafand_translations("lug", "test")
    # PROVENANCE/README: 1411 of 1412 lug test sentences have a MAFAND English translation.
    assert len(mapping) == 1411
    assert all(v.strip() for v in mapping.values())


def test_mafand_runs_translate_split_twi_sentences() -> None:
    """twi test: 105 sentences have no one-to-one MAFAND line; 100 of them are pieces of 47 MAFAND lines."""
    _path("masakhaner2", "twi", "test.txt")
    _path("mafand-mt", "en-twi", "train.twi")
    from projner.data.registry import masakhaner2_mafand_translations, masakhaner2_to_mafand

    one = masakhaner2_to_mafand("twi", "test")
    translations, runs = masakhaner2_mafand_translations("twi", "test")
    assert sum(t is None for t in one) == 105
    assert len(runs) == 47 and sum(b - a for a, b in runs) == 100
    assert all(one[a] is None and translations[a] for a, _ in runs)


def test_parallel_file_translator_on_mafand_lug() -> None:
    path = _path("masakhaner2", "lug", "test.txt")
    from projner.io import read_all
    from projner.translate import detokenize
    from projner.translate.parallel import ParallelFileTranslator, mafand_translations

    sents = read_all(path)[:100]
    mapping = mafand_translations("lug", "test")
    texts = [detokenize(s.tokens, "lug") for s in sents]
    t = ParallelFileTranslator.from_aligned(
        texts, [mapping.get(i) for i in range(len(sents))], from_lang="lug", to_lang="en"
    )
    out = t.translate(texts, "lug", "en")
    assert len(out) == 100
    assert sum(bool(o) for o in out) == sum(i in mapping for i in range(100))


def test_apertium_europarl_es_slice() -> None:
    from projner.translate.apertium import apertium_available, installed_modes

    if not apertium_available() or "spa-eng" not in installed_modes():
        pytest.skip("apertium spa-eng not installed")
    path = _path("europarl-ner", "es-europarl.test.conll02")
    from projner.io import read_all
    from projner.translate import detokenize, get_translator, tokenize

    sents = read_all(path, format="conll02")[:50]
    texts = [detokenize(s.tokens, "es") for s in sents]
    out = get_translator("apertium").translate(texts, "es", "en")
    assert len(out) == 50 and all(out)
    one = [get_translator("apertium").translate([t], "es", "en")[0] for t in texts[:5]]
    assert out[:5] == one  # batching never mixes sentences
    assert all(tokenize(o, "en") for o in out)
