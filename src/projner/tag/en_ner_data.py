"""Training data of the ``en-ner`` recipes: WikiANN en, and English *news* built by projection.

Why a projected corpus: the paper's English tagger is XLM-R fine-tuned on CoNLL-03 news, which does not exist
offline, and WikiANN (Wikipedia title fragments) teaches a model to tag whole clauses in running text
(docs/benchmarks/source_taggers.md). The data folder does hold African *news* with gold PER/ORG/LOC in a language
that is almost English: MasakhaNER2 Nigerian Pidgin (``pcm``), whose sentences have human English translations in
MAFAND-MT. Projecting the pcm gold entities onto that English (the toolkit's own translate-train pipeline, pcm → en,
default aligner and projector) gives English news sentences annotated under the MasakhaNER guidelines (titles
outside PER, no bare "government"), which is what a translate-test tagger for MasakhaNER targets needs.

No label of the evaluated target languages is used. Leak guard: a pcm training sentence whose English is also the
English of any MasakhaNER2 ``dev``/``test`` sentence (of any language; e.g. 56 twi test sentences reuse en-pcm
English) is dropped, so no evaluation input is ever trained on. A model trained on this data is *in-language
supervised* for pcm itself; benchmarks flag the pcm row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from projner.core.types import ProjnerError, Sentence

NEWS_LABELS = ("PER", "ORG", "LOC")
NEWS_LANG = "pcm"


@dataclass
class TrainingData:
    """Sentences of one split and a one-line description of where they come from (for the model card)."""

    sentences: list[Sentence]
    description: dict[str, object]


def _data_root() -> Path:
    from projner.utils.paths import data_root

    root = data_root(required=True)
    assert root is not None  # required=True raises instead
    return root


def wikiann_en(split: str) -> TrainingData:
    """WikiANN/PAN-X en ``split`` (``train``/``dev``), PER/ORG/LOC silver labels."""
    from projner.ner.data import describe_file, read_sentences

    path = _data_root() / "wikiann-panx" / "en" / split
    if not path.is_file():
        raise ProjnerError(f"WikiANN en {split} split not found: {path} (needed to train the en-ner model)")
    sentences = read_sentences(path, require_tags=True)
    return TrainingData(sentences, describe_file(path, len(sentences)))


def _masakhaner_split(lang: str, split: str) -> Path:
    """``masakhaner2/<lang>/<split>.txt`` under the data root, checked to exist."""
    path = _data_root() / "masakhaner2" / lang / f"{split}.txt"
    if not path.is_file():
        raise ProjnerError(
            f"MasakhaNER2 {lang} {split} split not found: {path} (needed for the en-ner news data)"
        )
    return path


def held_out_english() -> set[str]:
    """The English of every MasakhaNER2 ``dev``/``test`` sentence with a MAFAND translation (whitespace-normalised).

    These are the translate-test evaluation inputs; a training sentence whose English is one of them is dropped.
    """
    from projner.data.registry import masakhaner2_mafand_rows, masakhaner2_to_mafand
    from projner.translate.parallel import text_key

    pairs = sorted(
        {
            (r.lang, r.ner_split)
            for r in masakhaner2_mafand_rows()
            if r.ner_split in ("dev", "test") and r.link.source_lang == "en"
        }
    )
    keys = {text_key(t) for lang, split in pairs for t in masakhaner2_to_mafand(lang, split) if t}
    keys.discard("")
    return keys


def projected_news_en(
    split: str, lang: str = NEWS_LANG, guard: bool | None = None, aligner: str | None = None
) -> TrainingData:
    """English MAFAND sentences labelled by projecting MasakhaNER2 ``lang``/``split`` gold PER/ORG/LOC onto them.

    Sentences without a MAFAND translation, and (``guard``) those whose English is an evaluation line, are left
    out; the description counts both. ``aligner`` overrides the default aligner (tests). ``guard`` defaults to on for ``train`` only (a dev split is never trained
    on, and its own lines are MAFAND dev lines). Alignment and projection are cached by fingerprint, so a second
    call is fast.
    """
    from projner.data.registry import masakhaner2_to_mafand
    from projner.ner.data import describe_file, read_sentences
    from projner.pipeline.translate_train import TranslateTrainOptions, translate_train
    from projner.translate.parallel import text_key

    path = _masakhaner_split(lang, split)
    sources = read_sentences(path, require_tags=True)
    translations = masakhaner2_to_mafand(lang, split)
    if len(translations) != len(sources):
        raise ProjnerError(f"{len(translations)} MAFAND rows for {len(sources)} sentences of {path}")
    leaked = 0
    if guard is None:
        guard = split == "train"
    if guard:
        held = held_out_english()
        for i, text in enumerate(translations):
            if text and text_key(text) in held:
                translations[i] = None
                leaked += 1
    missing = sum(1 for t in translations if not t) - leaked
    opts = TranslateTrainOptions(target_lang="en", source_lang=lang, labels=NEWS_LABELS, aligner=aligner)
    out = translate_train(sources, opts, translations=translations)
    desc = describe_file(path, len(out.sentences))
    desc["built"] = (
        f"MasakhaNER2 {lang}/{split} gold ({len(sources)} sentences) projected onto MAFAND English with the default "
        f"aligner and projector: {len(out.sentences)} kept, {missing} without translation, {leaked} dropped as "
        f"dev/test English; {out.summary()}"
    )
    return TrainingData(out.sentences, desc)


def pcm_gold(split: str, lang: str = NEWS_LANG) -> TrainingData:
    """MasakhaNER2 ``lang``/``split`` gold itself (Pidgin words, PER/ORG/LOC; DATE dropped), no projection."""
    from projner.core.tags import map_tags
    from projner.ner.data import describe_file, read_sentences

    path = _masakhaner_split(lang, split)
    sentences = read_sentences(path, require_tags=True)
    for s in sentences:
        s.tags = map_tags(s.tags or [], keep=list(NEWS_LABELS))
    return TrainingData(sentences, describe_file(path, len(sentences)))


def projected_news_en_and_pcm(split: str) -> TrainingData:
    """:func:`projected_news_en` followed by :func:`pcm_gold` for ``train`` (twice the news); dev: projected only.

    The pcm sentences add gold boundaries without projection noise, in a language whose names and most words are
    English; the model is then applied to English. This is the data of the ``news`` recipe.

    The leak guard is applied to the English side only: the 4 pcm train sentences it drops (their English is also
    that of pcm dev/test sentences, checked 2026-11-30) stay in the Pidgin half, which only matters for pcm itself,
    whose rows are flagged as in-language anyway.
    """
    news = projected_news_en(split)
    if split != "train":
        return news
    pcm = pcm_gold(split)
    return TrainingData(
        news.sentences + pcm.sentences, {"projected": news.description, "pcm": pcm.description}
    )


DATASETS = {
    "wikiann-en": wikiann_en,
    "news-pcm-en": projected_news_en,
    "news-pcm-en+pcm": projected_news_en_and_pcm,
}
"""Recipe data name → loader(split)."""


def load(name: str, split: str) -> TrainingData:
    if name not in DATASETS:
        raise ProjnerError(
            f"unknown en-ner training data {name!r}; choose one of {', '.join(sorted(DATASETS))}"
        )
    return DATASETS[name](split)
