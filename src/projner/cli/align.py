"""``projner align``: word-align two tokenized files (sentence i with sentence i) and write Pharaoh links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer

from projner.align import DEFAULT_ALIGNER
from projner.cli.engine_options import ENGINE, RAY_ADDRESS, RUN_DIR, SHARD_SIZE
from projner.cli.options import ALIGNER_ARG, parse_key_values
from projner.core.types import InputError


def _tokens(path: Path, fmt: str | None) -> Iterator[list[str]]:
    from projner import io

    for sent in io.read(path, fmt):
        yield list(sent.tokens)


def _count(path: Path, fmt: str | None) -> int:
    return sum(1 for _ in _tokens(path, fmt))


def align(
    source: Path = typer.Option(..., "--source", help="Tokenized source file (any supported format)."),
    target: Path = typer.Option(
        ..., "--target", help="Tokenized target file, sentence i parallel to source i."
    ),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Pharaoh output: one line per pair, 'src-tgt' links."
    ),
    aligner: str = typer.Option(
        DEFAULT_ALIGNER, "--aligner", "-a", help="Aligner name (see `projner models list`)."
    ),
    extra_parallel: tuple[Path, Path] | None = typer.Option(
        None,
        "--extra-parallel",
        help="SRC_FILE TGT_FILE: extra parallel text to train statistical aligners (eflomal) on.",
    ),
    aligner_arg: list[str] = ALIGNER_ARG,
    batch_size: int = typer.Option(256, "--batch-size", help="Pairs per streamed chunk."),
    model: str | None = typer.Option(None, "--model", help="Encoder for embedding aligners: HF dir or name."),
    layer: int | None = typer.Option(
        None, "--layer", help="Encoder layer for embedding aligners (default 8)."
    ),
    source_format: str | None = typer.Option(None, "--source-format", help="Override format detection."),
    target_format: str | None = typer.Option(None, "--target-format", help="Override format detection."),
    cache: bool = typer.Option(
        True, "--cache/--no-cache", help="Reuse cached alignments of identical input."
    ),
    engine: str | None = ENGINE,
    shard_size: int = SHARD_SIZE,
    ray_address: str | None = RAY_ADDRESS,
    run_dir: Path | None = RUN_DIR,
) -> None:
    """Align SOURCE with TARGET and write OUT in Pharaoh format (source index first)."""
    from projner.align import ALIGNERS, get_aligner
    from projner.utils.atomic import atomic_open
    from projner.utils.progress import track

    if aligner not in ALIGNERS:
        raise InputError(f"unknown aligner {aligner!r}; known: {', '.join(ALIGNERS)}")
    aligner_kwargs = parse_key_values(aligner_arg, "--aligner-arg")
    if engine is not None:
        from projner.cli.engine_commands import align_command

        return align_command(locals())
    n_src, n_tgt = _count(source, source_format), _count(target, target_format)
    if n_src != n_tgt:
        raise InputError(
            f"sentence counts differ: {source} has {n_src} sentences, {target} has {n_tgt}; "
            "sentence i of the source must be parallel to sentence i of the target"
        )
    kwargs: dict[str, object] = dict(aligner_kwargs)
    if model is not None:
        kwargs["model"] = model
    if layer is not None:
        kwargs["layer"] = layer
    al = get_aligner(aligner, cache=cache, **kwargs)
    if extra_parallel is not None:
        add = getattr(al, "add_parallel_files", None)
        if add is None:
            raise InputError(f"aligner {aligner!r} does not train on extra parallel data (try eflomal)")
        add(*extra_parallel)
    pairs = zip(_tokens(source, source_format), _tokens(target, target_format), strict=True)
    with atomic_open(output, "w") as fh:
        for alignment in track(al.align(pairs, batch_size=batch_size), f"Aligning ({aligner})", total=n_src):
            fh.write(alignment.to_pharaoh() + "\n")
    from projner.utils.card import write_card

    inputs = {"source": source, "target": target}
    if extra_parallel is not None:
        inputs.update(extra_source=extra_parallel[0], extra_target=extra_parallel[1])
    write_card(output, "align", inputs, {"aligner": aligner, "aligner_kwargs": kwargs}, {"pairs": n_src})
    typer.echo(f"wrote {n_src} alignments to {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("align", help="Word-align two parallel tokenized files; write Pharaoh links.")(align)
