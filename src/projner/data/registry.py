"""Datasets by name: ``name:lang[:split]`` → files under :func:`projner.utils.paths.data_root`.

Everything works from the local folder (``$PROJNER_DATA``, else ``../shared/data``); each entry records its
upstream URL and license so a user knows where the files come from, but nothing is downloaded. A missing folder
or file is an :class:`InputError` naming the path that was expected.

Names::

    europarl-ner:de                 one split (test)            gold NER, sentence-parallel en/de/es/it
    uner-pud:zh                     one split (test)            gold NER; zh is block-permuted w.r.t. en
    masakhaner2:lug:test            train/dev/test              gold NER, 20 African languages
    wikiann:en:train                train/dev/test              silver NER (PAN-X splits)
    mafand-mt:en-lug:train          parallel raw lines          see :func:`read_parallel`
    multi30k:en-de:train            parallel raw lines          splits train, val, test_2016_flickr, ...
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from projner.core.types import InputError, Sentence
from projner.io._base import iter_lines
from projner.utils.paths import data_root

MASAKHANER2_LANGS = [
    "bam",
    "bbj",
    "ewe",
    "fon",
    "hau",
    "ibo",
    "kin",
    "lug",
    "luo",
    "mos",
    "nya",
    "pcm",
    "sna",
    "swa",
    "tsn",
    "twi",
    "wol",
    "xho",
    "yor",
    "zul",
]
MAFAND_PAIRS = [
    "en-amh",
    "en-hau",
    "en-ibo",
    "en-kin",
    "en-lug",
    "en-luo",
    "en-nya",
    "en-pcm",
    "en-sna",
    "en-swa",
    "en-tsn",
    "en-twi",
    "en-xho",
    "en-yor",
    "en-zul",
    "fr-bam",
    "fr-bbj",
    "fr-ewe",
    "fr-fon",
    "fr-mos",
    "fr-wol",
]
MULTI30K_SPLITS = (
    "train",
    "val",
    "test_2016_flickr",
    "test_2017_flickr",
    "test_2017_mscoco",
    "test_2018_flickr",
)


@dataclass(frozen=True)
class DatasetInfo:
    """One registered dataset: where it lives under the data root, what it holds, where it comes from."""

    name: str
    folder: str
    kind: str  # "ner" (tagged sentences) or "parallel" (pairs of raw lines)
    languages: tuple[str, ...]
    splits: tuple[str, ...]
    url: str
    license: str
    description: str
    format: str | None = None  # projner.io format of the NER files
    file: Callable[[str, str], str] | None = field(default=None, compare=False, repr=False)
    default_split: str | None = None

    def folder_path(self) -> Path:
        root = data_root()
        if root is None:
            raise InputError(
                "dataset folder not found: set PROJNER_DATA to the folder holding the datasets "
                "(by default ../shared/data next to the repository)"
            )
        return root / self.folder

    def present(self) -> bool:
        root = data_root()
        return root is not None and (root / self.folder).is_dir()


class DatasetRef(NamedTuple):
    """A parsed name: the dataset, the language (or language pair) and the split."""

    info: DatasetInfo
    lang: str
    split: str

    def __str__(self) -> str:
        return f"{self.info.name}:{self.lang}:{self.split}"


_DATASETS: dict[str, DatasetInfo] = {}


def _register(info: DatasetInfo) -> None:
    _DATASETS[info.name] = info


_register(
    DatasetInfo(
        name="europarl-ner",
        folder="europarl-ner",
        kind="ner",
        languages=("en", "de", "es", "it"),
        splits=("test",),
        default_split="test",
        url="https://github.com/ixa-ehu/ner-evaluation-corpus-europarl",
        license="Europarl terms of use (no known copyright restrictions)",
        description="Gold NER on the same 799 Europarl sentences in en/de/es/it (PER/ORG/LOC/MISC); "
        "the primary gold-parallel projection benchmark (Agerri et al. 2018).",
        format="conll02",
        file=lambda lang, split: f"{lang}-europarl.{split}.conll02",
    )
)
_register(
    DatasetInfo(
        name="uner-pud",
        folder="uner-pud",
        kind="ner",
        languages=("en", "de", "pt", "zh"),
        splits=("test",),
        default_split="test",
        url="https://github.com/UniversalNER (UNER_English-PUD, UNER_German-PUD, UNER_Portuguese-PUD, "
        "UNER_Chinese-PUD)",
        license="CC BY-SA 3.0",
        description="Universal NER v1 on the 1000 Parallel UD sentences (PER/ORG/LOC). de and pt follow the en "
        "order; zh is block-permuted: use uner_zh_to_en() to pair zh with en (Mayhew et al. 2024).",
        format="uner",
        file=lambda lang, split: f"{lang}_pud-ud-{split}.iob2",
    )
)
_register(
    DatasetInfo(
        name="masakhaner2",
        folder="masakhaner2",
        kind="ner",
        languages=tuple(MASAKHANER2_LANGS),
        splits=("train", "dev", "test"),
        url="https://github.com/masakhane-io/masakhane-ner (MasakhaNER2.0/data)",
        license="CC BY-NC 4.0 (non-commercial)",
        description="News NER for 20 African languages (PER/ORG/LOC/DATE); human English/French translations "
        "of many sentences via masakhaner2_to_mafand() (Adelani et al. 2022).",
        format="masakhaner",
        file=lambda lang, split: f"{lang}/{split}.txt",
    )
)
_register(
    DatasetInfo(
        name="wikiann",
        folder="wikiann-panx",
        kind="ner",
        languages=("en", "de", "fr", "nl", "pt"),
        splits=("train", "dev", "test"),
        url="https://github.com/davidsbatista/NER-datasets (WikiANN, Rahimi et al. 2019 splits = XTREME PAN-X)",
        license="none stated (Wikipedia-derived, CC BY-SA text); research use",
        description="Silver Wikipedia NER (PER/ORG/LOC); en/train is the English source-NER training data "
        "(Pan et al. 2017; Rahimi et al. 2019).",
        format="wikiann",
        file=lambda lang, split: f"{lang}/{split}",
    )
)
_register(
    DatasetInfo(
        name="mafand-mt",
        folder="mafand-mt",
        kind="parallel",
        languages=tuple(MAFAND_PAIRS),
        splits=("train", "dev", "test"),
        url="https://github.com/masakhane-io/lafand-mt (data/text_files)",
        license="CC BY-NC 4.0 (non-commercial)",
        description="Human-translated news, en/fr ↔ 21 African languages, line-aligned raw text "
        "(amh, kin, nya, sna, xho: dev and test only) (Adelani et al. 2022).",
    )
)
_register(
    DatasetInfo(
        name="multi30k",
        folder="multi30k",
        kind="parallel",
        languages=("en-de", "en-fr", "en-cs", "de-fr", "de-cs", "fr-cs"),
        splits=MULTI30K_SPLITS,
        url="https://github.com/multi30k/dataset (data/task1/raw)",
        license="non-commercial research and education only (Flickr30K terms)",
        description="Image-caption translations en/de/fr/cs, line-aligned raw text "
        "(cs lacks test_2017_*) (Elliott et al. 2016).",
    )
)
ALIASES = {"wikiann-panx": "wikiann", "panx": "wikiann", "masakhaner": "masakhaner2", "mafand": "mafand-mt"}


def list_datasets() -> list[DatasetInfo]:
    return list(_DATASETS.values())


def get(name: str) -> DatasetInfo:
    key = ALIASES.get(name, name)
    if key not in _DATASETS:
        raise InputError(f"unknown dataset {name!r}; known: {', '.join(_DATASETS)}")
    return _DATASETS[key]


def is_dataset_name(spec: str) -> bool:
    """True when ``spec`` starts with a registered dataset name (``name`` or ``name:...``)."""
    head = spec.split(":", 1)[0]
    return ALIASES.get(head, head) in _DATASETS


def parse(spec: str, require_split: bool = True) -> DatasetRef:
    """Parse ``name:lang[:split]``. A split is required when the dataset has several (no silent default:
    reading ``train`` where ``test`` was meant is a leak)."""
    parts = spec.split(":")
    info = get(parts[0])
    if len(parts) < 2 or not parts[1]:
        raise InputError(
            f"{spec!r}: give a language, e.g. {info.name}:{info.languages[0]}" + _split_hint(info)
        )
    if len(parts) > 3:
        raise InputError(f"{spec!r}: expected name:lang[:split]")
    lang = parts[1]
    split = parts[2] if len(parts) == 3 and parts[2] else (info.default_split or "")
    if info.kind == "parallel":
        lang = _parallel_lang(info, lang)
    elif lang not in info.languages:
        raise InputError(f"{spec!r}: {info.name} has languages {', '.join(info.languages)}")
    if not split and require_split:
        raise InputError(
            f"{spec!r}: {info.name} has splits {', '.join(info.splits)}; e.g. {info.name}:{lang}:test"
        )
    if split and split not in info.splits:
        raise InputError(f"{spec!r}: {info.name} has splits {', '.join(info.splits)}")
    return DatasetRef(info, lang, split)


def _split_hint(info: DatasetInfo) -> str:
    return "" if info.default_split else f":{info.splits[-1]}"


def _parallel_lang(info: DatasetInfo, lang: str) -> str:
    """Normalise a language pair; MAFAND also accepts a single African language or a reversed pair."""
    if info.name == "mafand-mt":
        if "-" not in lang:
            for pair in MAFAND_PAIRS:
                if pair.split("-")[1] == lang:
                    return pair
            raise InputError(f"mafand-mt has no pair for {lang!r}; pairs: {', '.join(MAFAND_PAIRS)}")
        a, _, b = lang.partition("-")
        if lang in MAFAND_PAIRS or f"{b}-{a}" in MAFAND_PAIRS:
            return lang
        raise InputError(f"mafand-mt has no pair {lang!r}; pairs: {', '.join(MAFAND_PAIRS)}")
    a, _, b = lang.partition("-")
    langs = {"en", "de", "fr", "cs"}
    if a in langs and b in langs and a != b:
        return lang
    raise InputError(f"multi30k pairs two of en, de, fr, cs (e.g. en-de), got {lang!r}")


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        raise InputError(f"{what} not found (nearest existing folder: {folder})", str(path))
    return path


def resolve(spec: str | DatasetRef) -> Path:
    """The file holding an NER dataset split, checked to exist."""
    ref = parse(spec) if isinstance(spec, str) else spec
    if ref.info.kind != "ner" or ref.info.file is None:
        raise InputError(f"{ref.info.name} is a parallel text dataset; use read_parallel({str(ref)!r})")
    return _require(ref.info.folder_path() / ref.info.file(ref.lang, ref.split), f"dataset file for {ref}")


def parallel_files(spec: str | DatasetRef) -> tuple[Path, Path]:
    """The two line-aligned files of a parallel dataset, in the order the name gives the languages."""
    ref = parse(spec) if isinstance(spec, str) else spec
    a, _, b = ref.lang.partition("-")
    base = ref.info.folder_path()
    if ref.info.name == "mafand-mt":
        pair = ref.lang if ref.lang in MAFAND_PAIRS else f"{b}-{a}"
        fa, fb = base / pair / f"{ref.split}.{a}", base / pair / f"{ref.split}.{b}"
    elif ref.info.name == "multi30k":
        fa, fb = base / f"{ref.split}.{a}.txt", base / f"{ref.split}.{b}.txt"
    else:
        raise InputError(f"{ref.info.name} is not a parallel text dataset; use projner.io.read({str(ref)!r})")
    return _require(fa, f"{ref} file"), _require(fb, f"{ref} file")


def read_dataset(spec: str, *, repair: bool = False) -> Iterator[Sentence]:
    """Stream the sentences of an NER dataset split; :attr:`Sentence.lang` is set to the dataset language."""
    from projner import io

    ref = parse(spec)
    path = resolve(ref)
    assert ref.info.format is not None
    lang = ref.lang.split("-")[0]
    return io.read(path, ref.info.format, lang=lang, repair=repair)


def read_parallel(spec: str) -> Iterator[tuple[str, str]]:
    """Stream ``(line_a, line_b)`` pairs of raw text from ``mafand-mt:en-lug:train`` or ``multi30k:en-de:val``.

    Lines are returned as they are (untokenised, without the line end). Files of different lengths are an
    error naming both files.
    """
    fa, fb = parallel_files(spec)
    for n, (a, b) in enumerate(itertools.zip_longest(iter_lines(fa), iter_lines(fb))):
        if a is None or b is None:
            longer, shorter = (fa, fb) if b is None else (fb, fa)
            raise InputError(f"{longer} has more lines than {shorter} ({n})", str(longer), n + 1)
        yield a[1], b[1]


# ------------------------------------------------------------------------------------------ cross-dataset maps


class ZhEnLink(NamedTuple):
    zh_index: int
    zh_sent_id: str
    en_index: int
    en_sent_id: str
    cosine: float
    mutual_best: bool


def uner_zh_alignment() -> list[ZhEnLink]:
    """Rows of ``uner-pud/zh_to_en_alignment.tsv`` (derived locally, not upstream), in zh order.

    UNER PUD zh is *not* in the en order: it is a 4-block permutation (zh[0:375]=en[0:375],
    zh[375:750]=en[500:875], zh[750:875]=en[375:500], zh[875:1000]=en[875:1000]), found by matching sentence
    embeddings. Pair zh sentence ``i`` with en sentence ``uner_zh_to_en()[i]``.
    """
    path = _require(get("uner-pud").folder_path() / "zh_to_en_alignment.tsv", "UNER zh→en alignment table")
    rows: list[ZhEnLink] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                ZhEnLink(
                    int(rec["zh_index"]),
                    rec["zh_sent_id"],
                    int(rec["en_index"]),
                    rec["en_sent_id"],
                    float(rec["cosine_me5"]),
                    rec["mutual_best"] == "1",
                )
            )
    rows.sort(key=lambda r: r.zh_index)
    return rows


def uner_zh_to_en() -> list[int]:
    """``mapping[zh_index] = en_index`` for the UNER PUD zh file."""
    return [r.en_index for r in uner_zh_alignment()]


class MafandLink(NamedTuple):
    """Where the human translation of one MasakhaNER 2.0 sentence lives in MAFAND-MT."""

    source_lang: str  # "en" or "fr"
    target_file: str  # e.g. "en-lug/test.lug", relative to the mafand-mt folder
    line_index: int  # 0-based; the source sentence is the same line of the .en/.fr file

    @property
    def source_file(self) -> str:
        stem = self.target_file.rsplit(".", 1)[0]
        return f"{stem}.{self.source_lang}"


MAFAND_MAPPING_COLUMNS = (
    "lang",
    "ner_split",
    "ner_sentence_index",
    "mafand_source_lang",
    "mafand_target_file",
    "mafand_line_index",
)


class MafandMappingRow(NamedTuple):
    """One row of ``masakhaner2_to_mafand.tsv``; ``line`` is its line in the file (the header is line 1), so
    callers that check the row against the MAFAND files can name the offending line."""

    line: int
    lang: str
    ner_split: str
    ner_index: int
    link: MafandLink


def masakhaner2_mafand_path(root: str | Path | None = None) -> Path:
    """The MasakhaNER 2.0 → MAFAND mapping file under ``root`` (default: the data root), checked to exist."""
    folder = Path(root) / get("masakhaner2").folder if root is not None else get("masakhaner2").folder_path()
    return _require(folder / "masakhaner2_to_mafand.tsv", "MasakhaNER 2.0 → MAFAND mapping")


def masakhaner2_mafand_rows(
    lang: str | None = None, split: str | None = None, root: str | Path | None = None
) -> list[MafandMappingRow]:
    """The rows of the mapping in file order, all of them or only those of ``lang`` and/or ``split``.

    The one parser of the file (the registry, translate-test and the study pools all read it through here).
    Rows of other languages/splits are skipped before their numbers are parsed; a malformed kept row is an
    :class:`InputError` naming the file and line. Unlike :func:`masakhaner2_mafand_links` the language is not
    checked against :data:`MASAKHANER2_LANGS` and rows sharing a sentence index are all returned.
    """
    path = masakhaner2_mafand_path(root)
    rows: list[MafandMappingRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in MAFAND_MAPPING_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"mapping header lacks column(s) {', '.join(missing)}", str(path), 1)
        for rec in reader:
            if (lang is not None and rec["lang"] != lang) or (
                split is not None and rec["ner_split"] != split
            ):
                continue
            try:
                link = MafandLink(
                    rec["mafand_source_lang"], rec["mafand_target_file"], int(rec["mafand_line_index"])
                )
                rows.append(
                    MafandMappingRow(
                        reader.line_num, rec["lang"], rec["ner_split"], int(rec["ner_sentence_index"]), link
                    )
                )
            except (TypeError, ValueError) as exc:
                raise InputError(f"bad mapping row ({exc})", str(path), reader.line_num) from exc
    return rows


def masakhaner2_mafand_links(lang: str, split: str) -> dict[int, MafandLink]:
    """NER sentence index → MAFAND line, from ``masakhaner2/masakhaner2_to_mafand.tsv`` (derived locally).

    The first row of a sentence index wins.
    """
    if lang not in MASAKHANER2_LANGS:
        raise InputError(f"masakhaner2 has no language {lang!r}")
    links: dict[int, MafandLink] = {}
    for row in masakhaner2_mafand_rows(lang, split):
        links.setdefault(row.ner_index, row.link)
    return links


class MafandRun(NamedTuple):
    """Consecutive MasakhaNER 2.0 sentences ``start .. stop - 1`` that together are one MAFAND line.

    MasakhaNER 2.0 split some MAFAND lines into several sentences (a line holding two sentences, or a split after a
    quotation mark), so no single sentence equals the line and the mapping file, which matches one sentence to one
    line, leaves them all unmapped (twi test: 100 of its 105 unmapped sentences). Their human translation exists: it
    is the whole line's.
    """

    start: int
    stop: int
    link: MafandLink


MAFAND_RUN_MAX = 4
"""Longest run of consecutive unmapped sentences tried against a MAFAND line (twi/luo/tsn need at most 3)."""


def mafand_match_key(text: str) -> str:
    """The mapping file's matching key: lower-cased, every non-word character deleted (PROVENANCE.md)."""
    import re

    return re.sub(r"\W", "", text.lower())


def masakhaner2_mafand_runs(
    lang: str, split: str, sentences: list[Sentence] | None = None, max_len: int = MAFAND_RUN_MAX
) -> list[MafandRun]:
    """Runs of 2..``max_len`` consecutive *unmapped* sentences whose concatenation is exactly one MAFAND line.

    Same matching rule as the mapping file (:func:`mafand_match_key`, whole-line equality), searched in every
    split file of the language's MAFAND pair, first occurrence in the order train, dev, test. Runs are taken left
    to right, shortest match first, and never overlap. ``sentences`` are those of ``masakhaner2:<lang>:<split>``
    (read when omitted).
    """
    if lang not in MASAKHANER2_LANGS:
        raise InputError(f"masakhaner2 has no language {lang!r}")
    if sentences is None:
        sentences = list(read_dataset(f"masakhaner2:{lang}:{split}"))
    links = masakhaner2_mafand_links(lang, split)
    pair = next((p for p in MAFAND_PAIRS if p.split("-")[1] == lang), None)
    if pair is None:
        return []
    src_lang = pair.split("-")[0]
    folder = get("mafand-mt").folder_path() / pair
    lines: dict[str, MafandLink] = {}
    for part in ("train", "dev", "test"):
        path = folder / f"{part}.{lang}"
        if not path.is_file():
            continue
        for lineno, text in iter_lines(path):
            key = mafand_match_key(text)
            if key:
                lines.setdefault(key, MafandLink(src_lang, f"{pair}/{part}.{lang}", lineno - 1))
    keys = [mafand_match_key("".join(s.tokens)) for s in sentences]
    runs: list[MafandRun] = []
    i = 0
    while i < len(sentences):
        found = None
        if i not in links:
            joined = keys[i]
            for j in range(i + 1, min(i + max_len, len(sentences))):
                if j in links:
                    break
                joined += keys[j]
                link = lines.get(joined)
                if link is not None:
                    found = MafandRun(i, j + 1, link)
                    break
        if found is not None:
            runs.append(found)
            i = found.stop
        else:
            i += 1
    return runs


def masakhaner2_to_mafand(lang: str, split: str, n: int | None = None) -> list[str | None]:
    """For each sentence of ``masakhaner2:<lang>:<split>``, its human English/French translation from
    MAFAND-MT (the raw source line), or ``None`` when the sentence is not in MAFAND.

    This is what MT-free translate-test needs (lug/luo/pcm/tsn/twi have English, bam/ewe/mos/wol/bbj French).
    ``n``: the split's sentence count, when the caller has already read it.
    """
    if n is None:
        n = sum(1 for _ in read_dataset(f"masakhaner2:{lang}:{split}"))
    links = masakhaner2_mafand_links(lang, split)
    wanted: dict[str, dict[int, list[int]]] = {}
    for idx, link in links.items():
        if idx >= n:
            raise InputError(f"mapping names sentence {idx} but masakhaner2:{lang}:{split} has {n} sentences")
        wanted.setdefault(link.source_file, {}).setdefault(link.line_index, []).append(idx)
    out: list[str | None] = [None] * n
    _fill_source_lines(wanted, out)
    return out


def _fill_source_lines(wanted: dict[str, dict[int, list[int]]], out: list[str | None]) -> None:
    """``out[idx] = line`` for every ``wanted[source_file][line_index] = [idx, ...]``, one pass per MAFAND file."""
    mafand = get("mafand-mt").folder_path()
    for rel, lines in wanted.items():
        path = _require(mafand / rel, "MAFAND-MT source file")
        for lineno, text in iter_lines(path):
            for idx in lines.get(lineno - 1, ()):
                out[idx] = text


def masakhaner2_mafand_translations(lang: str, split: str) -> tuple[list[str | None], list[tuple[int, int]]]:
    """:func:`masakhaner2_to_mafand` plus the sentence runs of :func:`masakhaner2_mafand_runs`.

    Returns ``(translations, runs)`` in the form :func:`projner.pipeline.translate_test.translate_test` takes: the
    English (or French) line of a run sits at its first sentence, ``runs`` holds ``(start, stop)``. On MasakhaNER2
    test this gives a human translation to luo 46/46, twi 100/105, tsn 16/17 and pcm 42/48 of the sentences the
    one-to-one mapping leaves without one.
    """
    sentences = list(read_dataset(f"masakhaner2:{lang}:{split}"))  # read once for both
    translations = masakhaner2_to_mafand(lang, split, n=len(sentences))
    runs = masakhaner2_mafand_runs(lang, split, sentences)
    wanted: dict[str, dict[int, list[int]]] = {}
    for run in runs:
        wanted.setdefault(run.link.source_file, {}).setdefault(run.link.line_index, []).append(run.start)
    _fill_source_lines(wanted, translations)
    for run in runs:
        if translations[run.start] is None:  # the source file is shorter than its target file
            path = get("mafand-mt").folder_path() / run.link.source_file
            raise InputError(f"line {run.link.line_index + 1} out of range", str(path))
    return translations, [(r.start, r.stop) for r in runs]
