"""``projner data list`` and ``projner data show NAME``: what datasets exist locally and what they hold."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import typer

data_app = typer.Typer(
    help="List the registered datasets and show their statistics.",
    no_args_is_help=True,
    add_completion=False,
)


@data_app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Registered datasets, whether they are present under the data root, their languages, splits and license."""
    from rich.console import Console
    from rich.table import Table

    from projner.data.registry import list_datasets
    from projner.utils.paths import data_root

    infos = list_datasets()
    root = data_root()
    if as_json:
        rows = [
            {
                "name": d.name,
                "present": d.present(),
                "path": str(root / d.folder) if root else None,
                "kind": d.kind,
                "languages": list(d.languages),
                "splits": list(d.splits),
                "license": d.license,
                "url": d.url,
            }
            for d in infos
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"datasets under {root if root else '(no data root: set PROJNER_DATA)'}")
    for col in ("name", "present", "kind", "languages", "splits", "license"):
        table.add_column(col, overflow="fold")
    for d in infos:
        table.add_row(
            d.name,
            "[green]yes[/]" if d.present() else "[red]no[/]",
            d.kind,
            " ".join(d.languages),
            " ".join(d.splits),
            d.license,
        )
    Console().print(table)


@data_app.command("show")
def show_cmd(
    name: str = typer.Argument(
        ..., help="Dataset name (masakhaner2:lug:test, europarl-ner:de, mafand-mt:en-lug:train) or a file."
    ),
    fmt: str | None = typer.Option(None, "--format", help="Format of a file (default: detected)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Counts of sentences, tokens and entities per type (all splits when none is given)."""
    from rich.console import Console
    from rich.table import Table

    from projner import io
    from projner.data import registry
    from projner.data.stats import corpus_stats

    console = Console()
    targets: list[tuple[str, Callable[[], Iterator[Any]]]]
    if Path(name).exists() or not registry.is_dataset_name(name):
        targets = [(name, partial(io.read, name, fmt))]
        parallel = False
        title = name
    else:
        head, *rest = name.split(":")
        info = registry.get(head)
        if not rest:
            _describe(console, info)
            return
        ref = registry.parse(name, require_split=False)
        splits = [ref.split] if ref.split else list(info.splits)
        parallel = info.kind == "parallel"
        targets = []
        for split in splits:
            spec = f"{info.name}:{ref.lang}:{split}"
            reader = registry.read_parallel if parallel else registry.read_dataset
            targets.append((spec, partial(reader, spec)))
        title = f"{info.name} ({info.license})"
    results: list[dict[str, Any]] = []
    for label, make in targets:
        if parallel:
            try:
                pairs = tokens_a = tokens_b = 0
                for a, b in make():
                    pairs += 1
                    tokens_a += len(a.split())
                    tokens_b += len(b.split())
            except Exception as exc:  # a missing split of a parallel dataset (e.g. mafand en-amh train)
                if len(targets) == 1:
                    raise
                results.append({"name": label, "error": str(exc)})
                continue
            results.append({"name": label, "pairs": pairs, "words_a": tokens_a, "words_b": tokens_b})
        else:
            st = corpus_stats(make())
            results.append(
                {
                    "name": label,
                    "sentences": st.sentences,
                    "tokens": st.tokens,
                    "entities": st.total_entities if st.tagged else None,
                    "per_type": dict(sorted(st.entities.items())),
                }
            )
    if as_json:
        typer.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    table = Table(title=title)
    if parallel:
        for col in ("split", "pairs", "words (first)", "words (second)"):
            table.add_column(col, justify="right" if col != "split" else "left")
        for r in results:
            if "error" in r:
                table.add_row(str(r["name"]), "[red]missing[/]", "", "")
            else:
                table.add_row(str(r["name"]), f"{r['pairs']:,}", f"{r['words_a']:,}", f"{r['words_b']:,}")
    else:
        types = sorted({t for r in results for t in r["per_type"]})
        table.add_column("data")
        for col in ("sentences", "tokens", "entities", *types):
            table.add_column(col, justify="right")
        for r in results:
            per = r["per_type"]
            ents = "-" if r["entities"] is None else f"{r['entities']:,}"
            table.add_row(
                str(r["name"]),
                f"{r['sentences']:,}",
                f"{r['tokens']:,}",
                ents,
                *(f"{per.get(t, 0):,}" for t in types),
            )
    console.print(table)


def _describe(console: object, info: object) -> None:
    from rich.console import Console

    from projner.data.registry import DatasetInfo

    assert isinstance(console, Console) and isinstance(info, DatasetInfo)
    root_ok = info.present()
    console.print(f"[bold]{info.name}[/] — {info.description}")
    console.print(f"  kind: {info.kind}; format: {info.format or 'line-aligned raw text'}")
    console.print(f"  languages: {' '.join(info.languages)}")
    console.print(f"  splits: {' '.join(info.splits)}")
    console.print(f"  license: {info.license}")
    console.print(f"  upstream: {info.url}")
    try:
        where = str(info.folder_path())
    except Exception as exc:
        where = str(exc)
    console.print(f"  local folder: {where} ({'present' if root_ok else '[red]missing[/]'})")
    example = f"{info.name}:{info.languages[0]}" + ("" if info.default_split else ":test")
    console.print(f"  counts: projner data show {example}")


def register(app: typer.Typer) -> None:
    app.add_typer(
        data_app, name="data", help="List the registered datasets; show sentence/token/entity counts."
    )
