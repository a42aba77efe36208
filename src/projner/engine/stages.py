"""Shard processors of the four sharded commands (align, project, translate-test, translate-train).

Each is built once per worker from picklable keyword arguments (see :class:`~projner.engine.base.StageSpec`) and
turns one :class:`~projner.engine.base.Shard` into the text it contributes to each output. They call the same
pipeline functions as the in-memory commands, so a sharded run writes exactly what an unsharded one would; only
indices are shifted by ``shard.start`` so that counters and sidecars speak of global sentence numbers.
"""

from __future__ import annotations

import dataclasses
import io as _stdio
from collections.abc import Iterable
from typing import Any

from projner.core.types import Alignment, Sentence
from projner.engine.base import Shard, ShardResult


def format_sentences(sentences: Iterable[Sentence], fmt: str, start: int = 0) -> str:
    """The text ``projner.io.write`` would put in a file of format ``fmt`` for these sentences.

    ``start`` is the global number of the first sentence, so that errors name the sentence in the whole input
    (not its position in the shard)."""
    from projner import io
    from projner.core.types import InputError
    from projner.io._base import no_tokens_error

    if fmt in ("hf", "parquet"):
        raise InputError(f"sharded runs (--engine) write text formats (conll, jsonl, ...), not {fmt}")
    sentences = list(sentences)
    if fmt in COLUMN_FORMATS:
        for k, sent in enumerate(sentences):
            if not sent.tokens:
                raise no_tokens_error(sent, start + k)
    buf = _stdio.StringIO()
    io.MODULES[fmt].write(sentences, buf)
    return buf.getvalue()


COLUMN_FORMATS = frozenset({"conll", "conll02", "masakhaner", "wikiann", "uner"})


class AlignProcessor:
    """Records: ``(source tokens, target tokens)`` → Pharaoh lines (source index first)."""

    def __init__(
        self,
        aligner: str,
        aligner_kwargs: dict[str, Any] | None = None,
        cache: bool = True,
        batch_size: int = 256,
    ) -> None:
        from projner.align import get_aligner

        self.aligner = get_aligner(aligner, cache=cache, **(aligner_kwargs or {}))
        self.batch_size = batch_size

    def __call__(self, shard: Shard) -> ShardResult:
        lines = [a.to_pharaoh() + "\n" for a in self.aligner.align(shard.records, batch_size=self.batch_size)]
        if len(lines) != len(shard.records):
            raise RuntimeError(f"aligner returned {len(lines)} alignments for {len(shard.records)} pairs")
        return ShardResult({"out": "".join(lines)}, {"pairs": len(lines)})


class ProjectProcessor:
    """Records: ``(source Sentence, target Sentence, Alignment | None)`` → projected target sentences.

    Alignments are computed here (by ``aligner``) when the records carry ``None``; streams ``out`` (the output
    format) and ``confidence`` (``index, confidence, #source, #projected`` lines as ``projner project`` writes).
    ``set_completion`` (settings, or None): :func:`projner.project.set_completion.complete_examples` over the shard."""

    def __init__(
        self,
        projector: str,
        params: dict[str, Any],
        labels: list[str] | None,
        label_filter: str,
        out_format: str,
        aligner: str | None = None,
        aligner_kwargs: dict[str, Any] | None = None,
        source_path: str | None = None,
        target_path: str | None = None,
        aligner_cache: bool = True,
        set_completion: dict[str, Any] | None = None,
    ) -> None:
        from projner.project import get_projector

        self.projector = get_projector(projector, **params)
        self.set_completion = set_completion
        self.labels = labels
        self.label_filter = label_filter
        self.out_format = out_format
        self.source_path = source_path
        self.target_path = target_path
        self.aligner = None
        if aligner is not None:
            from projner.align import get_aligner

            self.aligner = get_aligner(aligner, cache=aligner_cache, **(aligner_kwargs or {}))

    def __call__(self, shard: Shard) -> ShardResult:
        from projner.project.pipeline import build_examples, confidence_line, projected_sentence

        srcs = [r[0] for r in shard.records]
        tgts = [r[1] for r in shard.records]
        alis: list[Alignment] = [r[2] for r in shard.records]
        if self.aligner is not None:
            alis = list(self.aligner.align([(s.tokens, t.tokens) for s, t in zip(srcs, tgts, strict=True)]))
        examples = build_examples(
            srcs,
            tgts,
            alis,
            self.labels,
            "after" if self.label_filter == "after" else "before",
            self.source_path,
            self.target_path,
        )
        batch = self.projector.project_batch(examples, on_error="report")
        done = list(batch)
        if self.set_completion is not None:
            from projner.project.set_completion import complete_examples

            complete_examples(done, **self.set_completion)
        keep = self.labels if self.label_filter == "after" else None
        out, conf_lines = [], []
        for ex in done:
            out.append(projected_sentence(ex, keep))
            conf_lines.append(confidence_line(ex, shard.start))
        st = batch.stats
        stats = {
            "examples": st.examples,
            "failed": st.failed,
            "source_entities": st.source_entities,
            "projected_entities": st.projected_entities,
            "target_spans": st.target_spans,
            "failures": [[shard.start + i, sid, msg] for i, sid, msg in st.failures],
        }
        return ShardResult(
            {"out": format_sentences(out, self.out_format, shard.start), "confidence": "".join(conf_lines)},
            stats,
        )


_MISSING = None


class TranslateTestProcessor:
    """Records: ``(target Sentence, English translation | None)``; ``given=False``: translate here instead."""

    def __init__(self, options: dict[str, Any], given: bool) -> None:
        from projner.pipeline.translate_test import TranslateTestOptions

        opts = dict(options)
        opts["labels"] = tuple(opts.get("labels") or ())
        self.opts = TranslateTestOptions(**opts)
        self.given = given

    def __call__(self, shard: Shard) -> ShardResult:
        from projner.pipeline.translate_test import expand_run_records, translate_test

        if not self.given:
            out = translate_test([r[0] for r in shard.records], self.opts)
            own = list(range(len(shard.records)))
        else:
            # records of a run carry the whole run (RunMember): it is projected as one sequence in every shard
            # that holds a member, and each shard keeps its own sentences
            records = [(r[0], r[1], r[2] if len(r) > 2 else None) for r in shard.records]
            targets, translations, runs, own = expand_run_records(records)
            out = translate_test(targets, self.opts, translations=translations, runs=runs)
        local = {e: k for k, e in enumerate(own)}  # position in the expanded list -> record of this shard
        examples = [e for e in out.examples if int(e.meta["index"]) in local]  # type: ignore[call-overload]
        stats = {
            "sentences": len(own),
            "missing": [shard.start + local[i] for i in out.missing if i in local],
            "failed": [[shard.start + local[i], msg] for i, msg in out.failed if i in local],
            "source_entities": sum(len(e.source_spans) for e in examples),
            "projected_spans": sum(len(e.target_spans or []) for e in examples),
        }
        sentences = [out.sentences[e] for e in own]
        return ShardResult({"out": format_sentences(sentences, "conll", shard.start)}, stats)


class TranslateTrainProcessor:
    """Records: ``(labelled source Sentence, target translation | None)``; ``given=False``: translate here.

    Streams: ``out`` (conll or jsonl, as ``write_training_set``) and, for conll, ``confidence`` — the sidecar lines
    without their leading sentence number, which the merge adds (a shard cannot know how many sentences earlier
    shards kept)."""

    def __init__(self, options: dict[str, Any], given: bool, out_format: str) -> None:
        from projner.pipeline.translate_train import TranslateTrainOptions

        opts = dict(options)
        if opts.get("labels") is not None:
            opts["labels"] = tuple(opts["labels"])
        self.opts = TranslateTrainOptions(**opts)
        self.given = given
        if out_format not in ("conll", "jsonl"):
            from projner.core.types import InputError

            raise InputError(f"sharded translate-train writes conll or jsonl, not {out_format!r}")
        self.out_format = out_format

    def __call__(self, shard: Shard) -> ShardResult:
        from projner.pipeline.translate_train import _round, jsonl_rows, translate_train

        # Ids default to the sentence's *global* position, as in an unsharded run.
        sources = [
            r[0] if r[0].id is not None else dataclasses.replace(r[0], id=str(shard.start + k))
            for k, r in enumerate(shard.records)
        ]
        translations = [r[1] for r in shard.records] if self.given else None
        out = translate_train(sources, self.opts, translations=translations)
        for s in out.sentences:
            s.meta["source_index"] = shard.start + int(s.meta["source_index"])  # type: ignore[call-overload]
        streams: dict[str, str] = {}
        if self.out_format == "jsonl":
            streams["out"] = format_sentences(jsonl_rows(out.sentences), "jsonl")
        else:
            streams["out"] = format_sentences(out.sentences, "conll")
            streams["confidence"] = "".join(
                f"{s.id or ''}\t{s.meta.get('source_index')}\t{_round(s.meta.get('confidence'))}\n"
                for s in out.sentences
            )
        stats: dict[str, Any] = {
            "counts": out.counts(),
            "dropped": [
                [shard.start + r.index + 1, r.status, r.confidence, r.message]
                for r in out.records
                if r.status != "kept"
            ],
        }
        return ShardResult(streams, stats)
