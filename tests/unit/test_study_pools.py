"""Pool deduplication and nested subsets."""

from __future__ import annotations

from projner.study.pools import Pool, dedupe, normalize, resolve_volume


def test_normalize_ignores_case_spacing_and_punctuation() -> None:
    assert normalize("Hello ,  World!") == normalize("hello, world") == "helloworld"
    assert normalize(" ... ") == ""


def test_dedupe_rules_and_counts() -> None:
    triples = [
        ("A dog runs .", "Ein Hund rennt .", "f:0"),
        ("", "leer", "f:1"),  # empty source
        ("Mapped line", "Gemappt", "f:2"),  # banned by the mapping
        ("Other", "Merkel traf Obama .", "f:3"),  # target equals an evaluation target (different spacing)
        ("Merkel met Obama.", "Etwas anderes", "f:4"),  # source equals an evaluation source
        ("A dog runs.", "ein hund rennt", "f:5"),  # duplicate of f:0 after normalisation
        ("A cat", "Eine Katze", "f:6"),
    ]
    kept, stats = dedupe(triples, ["Merkel met Obama ."], ["Merkel traf Obama."], {"f:2"})
    assert [k[2] for k in kept] == ["f:0", "f:6"]
    assert stats == {
        "raw": 7,
        "empty": 1,
        "mapped_test": 1,
        "match_target": 1,
        "match_source": 1,
        "duplicate": 1,
        "kept": 2,
    }


def test_nested_subsets_and_volumes() -> None:
    pool = Pool("p", [([f"s{i}"], [f"t{i}"]) for i in range(100)])
    a, b = pool.subset(10, seed=1), pool.subset(40, seed=1)
    assert b[:10] == a and len(b) == 40
    assert pool.subset(10, seed=2) != a
    assert pool.subset(0, 0) == [] and len(pool.subset(-1, 0)) == 100
    assert (
        resolve_volume(-1, 100) == 100 and resolve_volume(250, 100) is None and resolve_volume(50, 100) == 50
    )
