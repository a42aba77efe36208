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
    """The English of every MasakhaNER2 ``dev``/``test`` sentence with a MAFAND translation (whitespace-normalised),
    including the lines of sentence runs (:func:`projner.data.registry.masakhaner2_mafand_runs`).

    These are the translate-test evaluation inputs; a training sentence whose English is one of them is dropped.
    (The run lines joined the guard after the session-3/4 models were trained; of them only one twi *dev* line is in
    the ``news-multi`` / ``news-multi-no-luo-tsn`` training data, none in ``news`` or ``news-multi-no-lug-twi``.)
    """
    from projner.data.registry import masakhaner2_mafand_rows, masakhaner2_mafand_translations
    from projner.translate.parallel import text_key

    pairs = sorted(
        {
            (r.lang, r.ner_split)
            for r in masakhaner2_mafand_rows()
            if r.ner_split in ("dev", "test") and r.link.source_lang == "en"
        }
    )
    keys = {
        text_key(t) for lang, split in pairs for t in masakhaner2_mafand_translations(lang, split)[0] if t
    }
    keys.discard("")
    return keys


RECIPE_ALIGNER = "e5-inter"
"""The aligner that projects the recipes' gold onto English, pinned: the offline default when the documented models
were built (sessions 3–11). A recipe names a dataset; a later change of the library default (``e5-inter-thot``
since session 11) must not silently change what ``projner models prepare en-ner-news`` builds, or the documented
figures stop being reproducible."""
RECIPE_PROJECTOR = "greedy"
RECIPE_PROJECTOR_PARAMS: dict[str, object] = {"max_len": 10, "unaligned_weight": 0.5}
"""The projector and parameters of the recipes, pinned for the same reason (the library default gained name rules
in sessions 9–12). Equal to :data:`projner.project.pipeline.BASE_PROJECTOR_PARAMS`, written out so that a change
there cannot reach the recipes either."""


def projected_news_en(
    split: str,
    lang: str = NEWS_LANG,
    guard: bool | None = None,
    aligner: str | None = None,
    complete_only: bool = False,
) -> TrainingData:
    """English MAFAND sentences labelled by projecting MasakhaNER2 ``lang``/``split`` gold PER/ORG/LOC onto them.

    Sentences without a MAFAND translation, and (``guard``) those whose English is an evaluation line, are left
    out; the description counts both. ``aligner`` overrides :data:`RECIPE_ALIGNER` (tests). ``guard`` defaults to on
    for ``train`` only (a dev split is never trained on, and its own lines are MAFAND dev lines).
    ``complete_only`` also drops a sentence in which some gold entity found no English span: such a sentence would
    teach the model that a name is not an entity (a false negative), whereas a dropped sentence only costs data.
    Alignment and projection are cached by fingerprint, so a second call is fast.
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
    opts = TranslateTrainOptions(
        target_lang="en",
        source_lang=lang,
        labels=NEWS_LABELS,
        aligner=aligner or RECIPE_ALIGNER,
        projector=RECIPE_PROJECTOR,
        projector_kwargs=dict(RECIPE_PROJECTOR_PARAMS),
    )
    out = translate_train(sources, opts, translations=translations)
    kept = out.sentences
    incomplete = ""
    if complete_only:
        records = {r.index: r for r in out.records}

        def complete(s: Sentence) -> bool:
            record = records[int(str(s.meta["source_index"]))]
            return record.projected_entities == record.source_entities

        kept = [s for s in kept if complete(s)]
        incomplete = f", {len(out.sentences) - len(kept)} dropped as incompletely projected"
    desc = describe_file(path, len(kept))
    desc["built"] = (
        f"MasakhaNER2 {lang}/{split} gold ({len(sources)} sentences) projected onto MAFAND English with aligner "
        f"{opts.aligner} and projector {RECIPE_PROJECTOR} {RECIPE_PROJECTOR_PARAMS}: {len(kept)} kept, "
        f"{missing} without translation, {leaked} dropped as dev/test English{incomplete}; {out.summary()}"
    )
    return TrainingData(kept, desc)


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


ENGLISH_PAIRED = ("pcm", "lug", "luo", "tsn", "twi")
"""MasakhaNER2 languages whose MAFAND-MT pair is with English (the others are paired with French or absent)."""

MULTI = "news-multi"


def news_multi(split: str, exclude: tuple[str, ...] = (), aligner: str | None = None) -> TrainingData:
    """English news projected from the gold of every :data:`ENGLISH_PAIRED` language except ``exclude``.

    ``train``: each language's :func:`projected_news_en` (complete projections only), then the pcm gold sentences
    themselves when pcm is included (as in ``news``). ``dev``: the included languages' projected dev splits.

    Why several languages: ``news`` sees one country's press (Nigeria); Ugandan, Kenyan, Botswanan and Ghanaian
    news bring their own names and institutions. Why ``exclude``: a model meant for translate-test on language X
    must not have seen X's labels, so the benchmark scores X with a model built without X (``news-multi-no-X``);
    the full ``news-multi`` is the model for languages outside the data folder. ``aligner`` as in
    :func:`projected_news_en` (tests).
    """
    unknown = sorted(set(exclude) - set(ENGLISH_PAIRED))
    if unknown:
        raise ProjnerError(
            f"cannot exclude {', '.join(unknown)} from {MULTI}: it is built from {', '.join(ENGLISH_PAIRED)}"
        )
    langs = [lang for lang in ENGLISH_PAIRED if lang not in exclude]
    if not langs:
        raise ProjnerError(f"{MULTI} with every language excluded has no data")
    parts = {
        f"projected:{lang}": projected_news_en(split, lang, aligner=aligner, complete_only=split == "train")
        for lang in langs
    }
    if split == "train" and NEWS_LANG in langs:
        parts[f"gold:{NEWS_LANG}"] = pcm_gold(split)
    sentences = [s for p in parts.values() for s in p.sentences]
    description: dict[str, object] = {key: p.description for key, p in parts.items()}
    return TrainingData(sentences, description)


def multi_name(exclude: tuple[str, ...] = ()) -> str:
    """Data (and recipe) name of :func:`news_multi` without ``exclude``: ``news-multi-no-lug-twi``."""
    return MULTI + "".join(f"-no-{lang}" if i == 0 else f"-{lang}" for i, lang in enumerate(sorted(exclude)))


def parse_multi_name(name: str) -> tuple[str, ...] | None:
    """Inverse of :func:`multi_name`; ``None`` when ``name`` is not a ``news-multi`` name."""
    if name == MULTI:
        return ()
    prefix = MULTI + "-no-"
    if not name.startswith(prefix) or not name[len(prefix) :]:
        return None
    return tuple(name[len(prefix) :].split("-"))


DATASETS = {
    "wikiann-en": wikiann_en,
    "news-pcm-en": projected_news_en,
    "news-pcm-en+pcm": projected_news_en_and_pcm,
}
"""Recipe data name → loader(split)."""


def load(name: str, split: str) -> TrainingData:
    exclude = parse_multi_name(name)
    if exclude is not None:
        return news_multi(split, exclude)
    if name not in DATASETS:
        raise ProjnerError(
            f"unknown en-ner training data {name!r}; choose one of {', '.join(sorted(DATASETS))}"
        )
    return DATASETS[name](split)
