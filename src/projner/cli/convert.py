"""``projner convert INPUT OUTPUT``: any supported format to any other, streaming and atomic."""

from __future__ import annotations

import typer


def convert(
    input: str = typer.Argument(
        ..., help="Input file, save_to_disk directory or dataset name (europarl-ner:de)."
    ),
    output: str = typer.Argument(..., help="Output path (a directory for --to hf)."),
    from_fmt: str | None = typer.Option(None, "--from", "--format", help="Input format (default: detected)."),
    to_fmt: str | None = typer.Option(
        None, "--to", help="Output format (default: from the output extension, else the input format)."
    ),
    repair: bool = typer.Option(
        False, "--repair", help="Re-encode invalid IOB2 (e.g. I- after O) as valid IOB2."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language for sentences without one (wikiann output)."
    ),
    labels: str | None = typer.Option(
        None,
        "--labels",
        help="Comma-separated label list: integer jsonl tags in/out, ClassLabel order for hf.",
    ),
    split: str | None = typer.Option(None, "--split", help="Split of an input DatasetDict directory."),
) -> None:
    """Convert between conll, conll02, masakhaner, wikiann, uner, text, jsonl and hf."""
    from pathlib import Path

    from projner import io
    from projner.data import registry

    src_is_name = not Path(input).exists() and registry.is_dataset_name(input) and from_fmt is None
    if src_is_name:
        src_fmt = registry.parse(input).info.format or "conll"
    else:
        src_fmt = from_fmt or io.detect_format(input)
    implied = io.format_for_output(output, default="")  # "" when the output path names no format
    dst_fmt = to_fmt or implied or (src_fmt if src_fmt != "hf" else "conll")
    if to_fmt is None and not implied and Path(output).suffix:
        typer.secho(
            f"note: the extension {Path(output).suffix!r} names no format; writing {dst_fmt} (give --to to choose)",
            fg="yellow",
            err=True,
        )
    label_list = [x.strip() for x in labels.split(",") if x.strip()] if labels else None
    read_opts: dict[str, object] = {}
    if label_list and src_fmt == "jsonl":
        read_opts["labels"] = label_list
    if split and src_fmt == "hf":
        read_opts["split"] = split
    write_opts: dict[str, object] = {}
    if lang:
        write_opts["lang"] = lang
    if label_list and dst_fmt in ("jsonl", "hf"):
        write_opts["labels"] = label_list
    sentences = io.read(input, None if src_is_name else src_fmt, lang=lang, repair=repair, **read_opts)
    n = io.write(sentences, output, dst_fmt, **write_opts)
    from projner.utils.card import write_card

    options = {"from": src_fmt, "to": dst_fmt, "lang": lang, "labels": label_list, "repair": repair}
    write_card(output, "convert", {"input": input}, options, {"sentences": n})
    typer.echo(f"wrote {n} sentences to {output} ({src_fmt} → {dst_fmt})")


def register(app: typer.Typer) -> None:
    app.command("convert", help="Convert NER data between formats (conll, uner, wikiann, jsonl, hf, ...).")(
        convert
    )
