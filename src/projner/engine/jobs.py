"""Sharded versions of ``projner align / project / translate-test / translate-train``: job builders and runners.

Inputs are streamed with :mod:`projner.io` (any format it reads, Parquet included) and zipped with count checks:
when one parallel input ends before the other the run stops with an :class:`InputError` naming the shorter file
and never merges a partial output. The job configuration (fingerprints of the input files + every option that
changes the output) names the run directory, so re-running the same command resumes where a killed run stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from projner.core.types import InputError, Sentence
from projner.engine.base import Job, JobReport, OutputSpec, StageSpec
from projner.engine.engines import Engine

_STAGES = "projner.engine.stages"


def input_fingerprint(path: str | Path | None) -> str | None:
    """Hash of a file's bytes (a directory: of its files), or the name itself for a dataset name."""
    from projner.utils.cache import file_fingerprint, fingerprint

    if path is None:
        return None
    p = Path(path)
    if p.is_file():
        return file_fingerprint(p)
    if p.is_dir():
        return fingerprint(
            sorted((str(f.relative_to(p)), file_fingerprint(f)) for f in p.rglob("*") if f.is_file())
        )
    try:
        from projner.data import registry

        if registry.is_dataset_name(str(path)):
            return fingerprint(str(path), file_fingerprint(registry.resolve(str(path))))
    except Exception:  # a name the registry cannot resolve is reported by the reader itself
        pass
    return fingerprint(str(path))


def zip_inputs(
    streams: list[Iterable[Any]], names: list[str], what: str = "sentences"
) -> Iterator[tuple[Any, ...]]:
    """Zip parallel streams; if their lengths differ raise an :class:`InputError` naming the shorter input."""
    its = [iter(s) for s in streams]
    n = 0
    sentinel = object()
    while True:
        items = [next(it, sentinel) for it in its]
        ended = [k for k, x in enumerate(items) if x is sentinel]
        if len(ended) == len(items):
            return
        if ended:
            short = names[ended[0]]
            longer = names[next(k for k in range(len(items)) if k not in ended)]
            raise InputError(
                f"ends after {n} {what} but {longer} has more; line/sentence i of one input must be parallel "
                f"to line/sentence i of the other",
                short,
            )
        n += 1
        yield tuple(items)


def translation_lines(path: str | Path) -> Iterator[str | None]:
    """Lines of a translation file (BOM and CR removed, non-UTF-8 reported with its line); blank → ``None``."""
    from projner.io._base import iter_lines

    for _, line in iter_lines(path):
        yield line if line.strip() else None


def _tokens(path: str | Path, fmt: str | None) -> Iterator[list[str]]:
    from projner import io

    for sent in io.read(path, fmt):
        yield list(sent.tokens)


# ------------------------------------------------------------------------------------------------------ align


def align_job(
    source: Path,
    target: Path,
    output: Path,
    aligner: str,
    aligner_kwargs: dict[str, Any],
    source_format: str | None = None,
    target_format: str | None = None,
    cache: bool = True,
    batch_size: int = 256,
) -> Job:
    from projner.align import get_aligner

    probe = get_aligner(aligner, cache=False, **aligner_kwargs)
    if not getattr(probe, "streaming", True) and not getattr(probe, "shardable", False):
        raise InputError(
            f"aligner {aligner!r} trains on the whole corpus, so it cannot be sharded; run without --engine "
            "(or choose an embedding aligner such as e5-inter, or a fill such as e5-inter-thot)"
        )
    config = {
        "inputs": [input_fingerprint(source), input_fingerprint(target)],
        "formats": [source_format, target_format],
        "aligner": aligner,
        "params": probe.params(),
    }
    records = zip_inputs(
        [_tokens(source, source_format), _tokens(target, target_format)], [str(source), str(target)]
    )
    stage = StageSpec(
        f"{_STAGES}:AlignProcessor",
        {"aligner": aligner, "aligner_kwargs": aligner_kwargs, "cache": cache, "batch_size": batch_size},
        heavy=aligner != "exact-match",
    )
    return Job("align", config, records, stage, [OutputSpec("out", Path(output))], f"align ({aligner})")


# ---------------------------------------------------------------------------------------------------- project


def project_job(
    source: Path,
    target: Path,
    output: Path,
    *,
    projector: str,
    params: dict[str, Any],
    labels: list[str] | None,
    label_filter: str = "before",
    alignments: Path | None = None,
    reverse_alignments: bool = False,
    aligner: str | None = None,
    aligner_kwargs: dict[str, Any] | None = None,
    source_format: str | None = None,
    target_format: str | None = None,
    out_format: str = "conll",
    confidence_out: Path | None = None,
    aligner_cache: bool = True,
    set_completion: dict[str, Any] | None = None,
) -> Job:
    """``set_completion``: settings of :func:`projner.project.set_completion.complete_from_set`, run per shard
    (its evidence is the shard), or None for none."""
    from projner import io
    from projner.project.pipeline import CONFIDENCE_HEADER, read_pharaoh

    streams: list[Iterable[Any]] = [io.read(source, source_format), io.read(target, target_format)]
    names = [str(source), str(target)]
    if alignments is not None:
        streams.append(read_pharaoh(alignments, reverse=reverse_alignments))
        names.append(str(alignments))
        records: Iterable[Any] = zip_inputs(streams, names, "lines/sentences")
    else:
        records = (r + (None,) for r in zip_inputs(streams, names))
    config = {
        "inputs": [input_fingerprint(source), input_fingerprint(target), input_fingerprint(alignments)],
        "formats": [source_format, target_format, out_format],
        "reverse": reverse_alignments,
        "projector": projector,
        "params": params,
        "labels": labels,
        "label_filter": label_filter,
        "aligner": aligner,
        "aligner_kwargs": aligner_kwargs or {},
    }
    if set_completion is not None:  # only then, so that the fingerprints of earlier runs stay valid
        config["set_completion"] = set_completion
    stage = StageSpec(
        f"{_STAGES}:ProjectProcessor",
        {
            "projector": projector,
            "params": params,
            "labels": labels,
            "label_filter": label_filter,
            "out_format": out_format,
            "aligner": aligner,
            "aligner_kwargs": aligner_kwargs or {},
            "source_path": str(source),
            "target_path": str(target),
            "aligner_cache": aligner_cache,
            "set_completion": set_completion,
        },
        heavy=aligner is not None and aligner != "exact-match",
    )
    outputs = [OutputSpec("out", Path(output))]
    if confidence_out is not None:
        outputs.append(
            OutputSpec(
                "confidence",
                Path(confidence_out),
                header=CONFIDENCE_HEADER,
            )
        )
    return Job("project", config, records, stage, outputs, f"project ({projector})")


# ----------------------------------------------------------------------------------------------- translate-*


def translate_test_job(
    target: str,
    output: Path,
    options: dict[str, Any],
    *,
    target_format: str | None,
    translation: Path | None = None,
    translations: list[str | None] | None = None,
    runs: Sequence[tuple[int, int]] = (),
) -> Job:
    """``translation``: a file of English lines; ``translations``: a given list (MAFAND); neither: translate.

    ``runs`` (with ``translations``): ranges of sentences that share one translation, as for
    :func:`projner.pipeline.translate_test.translate_test`. Each member's record carries the whole run
    (:class:`~projner.pipeline.translate_test.RunMember`), so a run that crosses a shard boundary is still projected
    as one sequence.
    """
    from projner import io

    targets = io.read(target, target_format)
    given = translation is not None or translations is not None
    if runs and translations is None:
        raise ValueError("runs need the translations list")
    if translation is not None:
        records: Iterable[Any] = zip_inputs(
            [targets, translation_lines(translation)], [str(target), str(translation)]
        )
    elif translations is not None:
        records = zip_inputs([targets, translations], [str(target), "the MAFAND translations"])
        if runs:
            records = _with_run_members(records, target, target_format, translations, runs)
    else:
        records = ((t, None) for t in targets)
    from projner.utils.cache import fingerprint

    config = {
        "inputs": [
            input_fingerprint(target),
            input_fingerprint(translation),
            None if translations is None else fingerprint(translations),
        ],
        **({"runs": [list(r) for r in sorted(runs)]} if runs else {}),
        "format": target_format,
        "options": options,
    }
    stage = StageSpec(f"{_STAGES}:TranslateTestProcessor", {"options": options, "given": given}, heavy=True)
    return Job("translate-test", config, records, stage, [OutputSpec("out", Path(output))], "translate-test")


def _with_run_members(
    records: Iterable[tuple[Any, ...]],
    target: str,
    target_format: str | None,
    translations: Sequence[str | None],
    runs: Sequence[tuple[int, int]],
) -> Iterator[tuple[Any, ...]]:
    """``(target, translation, RunMember | None)`` records; the run members' tokens come from one extra pass over
    the target file that keeps only the (few) sentences inside runs."""
    from projner import io
    from projner.pipeline.translate_test import run_members

    inside = {k for start, stop in runs for k in range(start, stop)}  # run_members checks the runs
    tokens: dict[int, list[str]] = {
        k: s.tokens for k, s in enumerate(io.read(target, target_format)) if k in inside
    }
    members = run_members(runs, translations, tokens)
    for k, (sentence, translation) in enumerate(records):
        yield sentence, translation, members.get(k)


def _labelled(sources: Iterable[Sentence], path: str) -> Iterator[Sentence]:
    for k, s in enumerate(sources):
        if s.tags is None:
            raise InputError(
                f"sentence {k + 1} has no NER tags; translate-train needs labelled English", path
            )
        yield s


def translate_train_job(
    source: str,
    output: Path,
    options: dict[str, Any],
    *,
    source_format: str | None,
    out_format: str = "conll",
    translation: Path | None = None,
) -> Job:
    from projner import io

    sources = _labelled(io.read(source, source_format), str(source))
    if translation is not None:
        records: Iterable[Any] = zip_inputs(
            [sources, translation_lines(translation)], [str(source), str(translation)]
        )
    else:
        records = ((s, None) for s in sources)
    config = {
        "inputs": [input_fingerprint(source), input_fingerprint(translation)],
        "format": source_format,
        "out_format": out_format,
        "options": options,
    }
    stage = StageSpec(
        f"{_STAGES}:TranslateTrainProcessor",
        {"options": options, "given": translation is not None, "out_format": out_format},
        heavy=True,
    )
    outputs = [OutputSpec("out", Path(output))]
    if out_format == "conll":
        outputs.append(
            OutputSpec(
                "confidence",
                Path(f"{output}.confidence.tsv"),
                header="sentence\tid\tsource_index\tconfidence\n",
                numbered=True,
            )
        )
    return Job("translate-train", config, records, stage, outputs, "translate-train")


def run(engine: Engine, job: Job) -> JobReport:
    """Run ``job`` on ``engine``; a thin seam for the CLIs and tests."""
    return engine.run(job)
