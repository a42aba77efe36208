"""Apertium: mode routing (pure) and real translation when the Debian packages are installed."""

from __future__ import annotations

import pytest

from projner.core.types import ProjnerError
from projner.translate import get_translator
from projner.translate.apertium import apertium_available, installed_modes, route

MODES = ["eng-spa", "spa-eng", "spa-eng_US", "spa-ita", "ita-spa", "en-gl"]


def test_route_direct_and_pivot() -> None:
    assert route("en", "es", MODES) == ["eng-spa"]
    assert route("spa", "eng", MODES) == ["spa-eng"]
    assert route("it", "en", MODES) == ["ita-spa", "spa-eng"]
    assert route("en", "it", MODES) == ["eng-spa", "spa-ita"]
    assert route("en", "gl", MODES) == ["en-gl"]  # 2-letter mode names are understood too
    assert route("en", "en", MODES) == []


def test_route_missing_pair() -> None:
    with pytest.raises(ProjnerError, match="no Apertium mode chain"):
        route("en", "lug", MODES)


needs_apertium = pytest.mark.skipif(
    not apertium_available() or "eng-spa" not in installed_modes(), reason="apertium eng-spa not installed"
)


@needs_apertium
def test_batch_keeps_line_count_and_order() -> None:
    t = get_translator("apertium")
    texts = [
        "Angela Merkel lives in Berlin.",
        "",
        "Two\nlines here.",
        "@ * # / < > { } \\",
        "Hello world.",
        ".",
    ]
    out = t.translate(texts, "en", "es")
    assert len(out) == len(texts)
    assert "Berlín" in out[0] and out[1] == "" and out[4] == "Hola Mundo."
    assert "\n" not in "".join(out)
    one_by_one = [t.translate([x], "en", "es")[0] for x in texts]
    assert out == one_by_one


@needs_apertium
def test_italian_pivot() -> None:
    if "ita-spa" not in installed_modes():
        pytest.skip("apertium spa-ita not installed")
    out = get_translator("apertium").translate(["Il presidente."], "it", "en")
    assert out == ["The president."]


@needs_apertium
def test_sentences_without_final_punctuation_do_not_mix() -> None:
    # With one sentence per line Apertium moves words across lines ("Barack Obama" → "Berlina de"); the
    # blank-line separator makes every input its own sentence.
    texts = ["Barack Obama", "Angela Merkel", "Berlin", "The house"]
    out = get_translator("apertium").translate(texts, "en", "es")
    assert out == ["Barack Obama", "Angela Merkel", "Berlín", "La casa"]


def test_piece_count_drift_is_bisected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A fake apertium that upper-cases its input but glues the first two sentences together whenever it
    # gets more than one: the translator must detect the drift and still return one output per input.
    fake = tmp_path / "fake-apertium"
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import sys\n"
        "if '-l' in sys.argv: print('eng-spa'); sys.exit(0)\n"
        "if '-V' in sys.argv: print('fake'); sys.exit(0)\n"
        "parts = sys.stdin.read().strip().split('\\n\\n')\n"
        "if len(parts) > 1: parts = [parts[0] + ' ' + parts[1]] + parts[2:]\n"
        "print('\\n\\n'.join(p.upper() for p in parts))\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    from projner.translate.apertium import ApertiumTranslator

    t = ApertiumTranslator(executable=str(fake))
    assert t.translate(["a b", "c", "", "d e", "f"], "en", "es") == ["A B", "C", "", "D E", "F"]
