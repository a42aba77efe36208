"""Human-readable rendering of an :class:`EvalResult` (rich table) — kept apart from the pure metrics."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from projner.evaluate.metrics import EvalResult


def render(result: EvalResult, title: str | None = None, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=title or f"Evaluation (seqeval {result.mode} mode)")
    for col in ("type", "precision", "recall", "f1", "support", "predicted"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for label, s in sorted(result.per_type.items()):
        table.add_row(
            label,
            f"{100 * s.precision:.2f}",
            f"{100 * s.recall:.2f}",
            f"{100 * s.f1:.2f}",
            str(s.support),
            str(s.predicted),
        )
    table.add_row(
        "[bold]micro[/bold]",
        f"[bold]{100 * result.precision:.2f}",
        f"[bold]{100 * result.recall:.2f}",
        f"[bold]{100 * result.f1:.2f}",
        str(result.n_gold),
        str(result.n_pred),
    )
    console.print(table)
    extra = f"{result.n_sentences} sentences, {result.n_tokens} tokens, accuracy {100 * result.accuracy:.2f}, proj_ratio {result.proj_ratio:.3f}"
    if result.ignored:
        extra += f", ignored: {', '.join(result.ignored)}"
    console.print(extra)
    if result.ci:
        ci = ", ".join(f"{k} [{100 * lo:.2f}, {100 * hi:.2f}]" for k, (lo, hi) in result.ci.items())
        console.print(f"bootstrap 95% CI over sentences: {ci}")


def one_line(result: EvalResult) -> str:
    """``P 91.20 R 90.10 F1 90.65`` — for logs and the demo."""
    return f"P {100 * result.precision:.2f}  R {100 * result.recall:.2f}  F1 {100 * result.f1:.2f}"
