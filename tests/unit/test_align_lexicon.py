"""Bilingual lexicons (word-pair files, FreeDict dictd files) and the fill combination of two aligners."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from projner.align import get_aligner
from projner.align.combine import FillAligner, fill_links
from projner.align.lexicon import (
    Lexicon,
    LexiconAligner,
    dictd_entries,
    load_lexicon,
    normalize,
    read_word_pairs,
    word_match,
)
from projner.core.types import Alignment, InputError
from projner.utils.cache import StageCache

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(n: int) -> str:
    out = _B64[n % 64]
    while n >= 64:
        n //= 64
        out = _B64[n % 64] + out
    return out


def write_dictd(directory: Path, pair: str, entries: list[tuple[str, str]]) -> None:
    """A dictd dictionary in FreeDict's layout: gzip'd entry texts and a base64 offset index."""
    blob, index = b"", []
    for head, text in [("00-database-info", "about\n"), *entries]:
        body = text.encode("utf-8")
        index.append(f"{head}\t{_b64(len(blob))}\t{_b64(len(body))}\n")
        blob += body
    with gzip.open(directory / f"freedict-{pair}.dict.dz", "wb") as fh:
        fh.write(blob)
    (directory / f"freedict-{pair}.index").write_text("".join(index), encoding="utf-8")


ENG_DEU = [
    (
        "committee",
        'committee /kəmˈɪti/\nAusschuss <masc> [pol.]\n      "ad hoc committee"  - Ad-hoc-Ausschuss\n'
        " see: {committees}, {standing committee}\n\n",
    ),
    ("committee", "committee /kəmˈɪti/\n [executive] Vorstand <masc> [adm.]\n         Note: eines Vereins\n"),
    ("agriculture", "agriculture /ˈaɡɹɪkˌʌltʃə/\n1. Landwirtschaft <fem>\n2. Ackerbau <masc>\n"),
    ("the", "the /ðə/\nder, die, das\n"),
    ("Committee on Foreign Affairs", "Committee on Foreign Affairs\nAuswärtiger Ausschuss\n"),
]
DEU_ENG = [("Entwicklung", "Entwicklung /ɛntvˈɪklʊŋ/ <fem, n, sg>\ndevelopment <n>\n   Synonym: {Ausbau}\n")]


def test_normalize_and_word_match() -> None:
    assert normalize("Ausschuß") == normalize("AUSSCHUSS") == "ausschuss"
    assert normalize("Comissão") == "comissao"
    assert word_match("ausschuss", "ausschusses")  # inflection: all but the last two letters shared
    assert word_match("comissao", "comissoes")
    assert not word_match("commission", "committee")  # "commi" is not enough
    assert not word_match("der", "den")  # below the minimum prefix
    assert word_match("der", "der")


def test_dictd_entries_skip_examples_notes_and_brackets(tmp_path: Path) -> None:
    write_dictd(tmp_path, "eng-deu", ENG_DEU)
    pairs = set(dictd_entries(tmp_path / "freedict-eng-deu.index", tmp_path / "freedict-eng-deu.dict.dz"))
    assert ("committee", "Ausschuss") in pairs
    assert ("committee", "Vorstand") in pairs  # " [executive] Vorstand" is a translation with a qualifier
    assert ("agriculture", "Landwirtschaft") in pairs and ("agriculture", "Ackerbau") in pairs
    assert not any("Ad-hoc" in t or "Vereins" in t or "standing" in t for _, t in pairs)
    assert not any(h.startswith("00-database") for h, _ in pairs)


def test_freedict_lexicon_both_directions_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_dictd(tmp_path, "eng-deu", ENG_DEU)
    write_dictd(tmp_path, "deu-eng", DEU_ENG)
    monkeypatch.setenv("PROJNER_DICTD", str(tmp_path))
    monkeypatch.setenv("PROJNER_CACHE", str(tmp_path / "cache"))
    lex = load_lexicon("freedict:de")
    assert lex.translations("Committee") == {"ausschuss", "vorstand"}
    assert lex.translations("committees") == {"ausschuss", "vorstand"}  # plural falls back to the singular
    assert lex.translations("development") == {"entwicklung"}  # from the reverse dictionary
    assert "committee on foreign affairs" not in lex.entries  # multi-word headwords are not word pairs
    assert lex.translations("Committee") == load_lexicon("freedict:eng-deu").translations("Committee")
    assert list((tmp_path / "cache" / "stages" / "lexicon").glob("*.pkl"))  # parsed once, then cached
    with pytest.raises(InputError, match="dict-freedict-eng-ita"):
        load_lexicon("freedict:it")


def test_word_pair_file_and_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "lex.tsv"
    path.write_text("# en\tde\ncommittee\tAusschuss\n\nunion\tUnion\n", encoding="utf-8")
    lex = read_word_pairs(path)
    assert lex.translations("committee") == {"ausschuss"} and len(lex) == 2
    path.write_text("committee\tAusschuss\nunion Union\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lex\.tsv:2: expected"):
        read_word_pairs(path)
    with pytest.raises(InputError, match="not found"):
        read_word_pairs(tmp_path / "missing.tsv")


def test_lexicon_aligner_links_content_words_only() -> None:
    lex = Lexicon.from_pairs([("committee", "Ausschuss"), ("the", "der"), ("agriculture", "Landwirtschaft")])
    al = LexiconAligner(lex)
    src = ["the", "Committee", "on", "Agriculture"]
    tgt = ["der", "Ausschuß", "für", "Landwirtschaft", "und", "Ausschusses"]
    assert al.links(src, tgt).as_set() == {(1, 1), (1, 5), (3, 3)}  # "the"/"der" are too short to link
    assert al.params()["lexicon"] == "pairs"


def test_fill_links_rule() -> None:
    primary = Alignment([(0, 0), (2, 2)])
    secondary = Alignment([(0, 1), (1, 1), (1, 4), (3, 3), (3, 4), (2, 3)])
    out = fill_links(primary, secondary, n_src=4, n_tgt=5)
    # (0, 1), (2, 3): source already aligned; distances |i/4 - j/5|: (1, 1) 0.05 beats (1, 4) 0.55, (3, 4) 0.05
    # beats (3, 3) 0.15; each word takes one link
    assert out.as_set() == {(0, 0), (2, 2), (1, 1), (3, 4)}
    assert fill_links(primary, Alignment(), 4, 5) is primary


class Fixed:
    """An aligner that returns given links and records whether it was fitted."""

    def __init__(self, name: str, links: list[Alignment], streaming: bool = True) -> None:
        self.name, self.links, self.streaming, self.fitted = name, links, streaming, 0

    def params(self) -> dict[str, str]:
        return {"name": self.name}

    def align(self, pairs, batch_size=256):  # type: ignore[no-untyped-def]
        return iter(self.links[: len(list(pairs))])

    def fit(self, extra_pairs) -> None:  # type: ignore[no-untyped-def]
        self.fitted += len(list(extra_pairs))


def test_fill_aligner_streams_fits_and_keys() -> None:
    a = Fixed("a", [Alignment([(0, 0)])])
    b = Fixed("b", [Alignment([(0, 1), (1, 1)])], streaming=False)
    fill = FillAligner(a, b, name="a+b")
    assert not fill.streaming  # a trained member needs every pair at once
    (out,) = fill.align([(["x", "y"], ["u", "v"])])
    assert out.as_set() == {(0, 0), (1, 1)}
    fill.fit([(["p"], ["q"])])
    assert a.fitted == 1 and b.fitted == 1
    assert fill.params()["secondary"] == ["b", {"name": "b"}]


def test_registry_fill_names(tmp_path: Path) -> None:
    lex = tmp_path / "lex.tsv"
    lex.write_text("house\thaus\n", encoding="utf-8")
    al = get_aligner("fill", cache=False, primary="exact-match", lexicon=str(lex))
    assert isinstance(al, FillAligner) and al.secondary.name == "lexicon"
    (out,) = al.align([(["the", "house", "is", "Small"], ["das", "Haus", "ist", "small"])])
    assert out.as_set() == {(3, 3), (1, 1)}  # exact-match links "Small"; the lexicon fills "house" ↔ "Haus"
    cached = get_aligner("e5-inter-lex", cache=StageCache("t", root=tmp_path), lexicon=str(lex))
    assert cached.params()["primary"][0] == "e5-inter"
    assert get_aligner("e5-inter-eflomal", cache=False).params()["secondary"][0] == "eflomal-inter"


def test_fill_onto_capitalised_target_words_only() -> None:
    from projner.align.combine import capitalised_only

    tgt = ["akakiiko", "Kampala", "2020", "ekibuga"]
    links = Alignment([(0, 0), (1, 1), (2, 2), (3, 3)])
    assert capitalised_only(links, tgt).as_set() == {(1, 1), (2, 2)}  # names and numbers, not common nouns
    a = Fixed("a", [Alignment()])
    b = Fixed("b", [links])
    (out,) = FillAligner(a, b, fill_target="capitalised").align([(["w", "x", "y", "z"], tgt)])
    assert out.as_set() == {(1, 1), (2, 2)}
    assert FillAligner(a, b).params()["fill_target"] == "any"
    with pytest.raises(ValueError, match="fill_target"):
        FillAligner(a, b, fill_target="names")
    assert get_aligner("e5-inter-eflomal", cache=False).params()["fill_target"] == "capitalised"
