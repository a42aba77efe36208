"""Apertium (rule-based MT, Debian packages) through its command-line pipeline.

One ``apertium -u <mode>`` process translates a whole chunk of sentences: starting the pipeline costs far more
than translating a sentence. The separator matters. With one sentence per line, Apertium keeps the line count but
*not the content*: a single newline is only a blank to the transfer rules, so words move across lines when a
sentence has no final punctuation (``"Barack Obama\nAngela Merkel\nBerlin"`` comes back as
``"Berlina de\nAngela Merkel\nde Obama de Barack"``). An empty line is a paragraph break, which the plain-text
deformatter turns into a sentence boundary, so sentences are joined with ``"\n\n"`` and the output is split on
blank lines. The piece count is checked on every call; if it ever differs, the chunk is bisected down to single
sentences, so an output can never be attributed to the wrong input. Newlines inside an input text are replaced
by spaces first. (``-z`` null-flush mode is no alternative: the deformatter drops the NUL separators.)

Mode names are 3-letter codes (``eng-spa``; ``en-es`` does not exist), and some pairs use 2-letter ones
(``en-gl``). :func:`route` reads the installed modes (``apertium -l``) and finds the shortest chain of modes,
so Italian↔English pivots through Spanish (``ita-spa`` + ``spa-eng``).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from projner.core.types import ProjnerError
from projner.translate import langcodes
from projner.translate.base import Translator, chunks, register_translator

log = logging.getLogger(__name__)
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")


def apertium_available() -> bool:
    return shutil.which("apertium") is not None


@lru_cache(maxsize=4)
def installed_modes(executable: str = "apertium") -> tuple[str, ...]:
    """Mode names ``apertium -l`` lists (e.g. ``eng-spa``), empty when Apertium is not installed."""
    if shutil.which(executable) is None:
        return ()
    proc = subprocess.run([executable, "-l"], capture_output=True, text=True, timeout=30, check=False)
    return tuple(line.strip() for line in proc.stdout.splitlines() if line.strip())


def _norm(code: str) -> str:
    try:
        return langcodes.iso3(code)
    except ProjnerError:
        return code.lower()


def route(from_lang: str, to_lang: str, modes: Sequence[str]) -> list[str]:
    """Shortest chain of installed modes translating ``from_lang`` into ``to_lang`` (variant modes ignored)."""
    graph: dict[str, list[tuple[str, str]]] = {}
    for mode in modes:
        parts = mode.split("-")
        if len(parts) != 2 or "_" in mode:  # skip variants such as spa-eng_US and multi-part modes
            continue
        a, b = _norm(parts[0]), _norm(parts[1])
        graph.setdefault(a, []).append((b, mode))
    start, goal = _norm(from_lang), _norm(to_lang)
    if start == goal:
        return []
    prev: dict[str, tuple[str, str]] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for nxt, mode in graph.get(node, []):
            if nxt in seen:
                continue
            seen.add(nxt)
            prev[nxt] = (node, mode)
            if nxt == goal:
                path: list[str] = []
                cur = goal
                while cur != start:
                    cur, m = prev[cur][0], prev[cur][1]
                    path.append(m)
                return path[::-1]
            queue.append(nxt)
    raise ProjnerError(
        f"no Apertium mode chain translates {from_lang!r} into {to_lang!r}; installed modes: "
        f"{', '.join(modes) or 'none (apt-get install apertium apertium-eng-spa apertium-spa-ita vislcg3)'}"
    )


@register_translator("apertium")
class ApertiumTranslator(Translator):
    """Rule-based MT with the installed Apertium modes; ``chunk_size`` sentences per process call."""

    name = "apertium"

    def __init__(
        self,
        chunk_size: int = 2000,
        timeout: float = 600.0,
        mark_unknown: bool = False,
        executable: str = "apertium",
    ) -> None:
        if shutil.which(executable) is None:
            raise ProjnerError(
                "Apertium is not installed; run scripts/setup-system.sh "
                "(apt-get install apertium apertium-eng-spa apertium-spa-ita vislcg3)"
            )
        self.executable = executable
        self.chunk_size = chunk_size
        self.timeout = timeout
        self.mark_unknown = mark_unknown

    def params(self) -> dict[str, Any]:
        version = subprocess.run(
            [self.executable, "-V"], capture_output=True, text=True, check=False
        ).stdout.strip()
        return {
            "mark_unknown": self.mark_unknown,
            "version": version,
            "modes": list(installed_modes(self.executable)),
        }

    def _run(self, mode: str, lines: Sequence[str]) -> list[str]:
        cmd = [self.executable] + ([] if self.mark_unknown else ["-u"]) + [mode]
        proc = subprocess.run(
            cmd,
            input="\n\n".join(lines) + "\n",  # blank line = sentence boundary (see module docstring)
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise ProjnerError(
                f"`{' '.join(cmd)}` failed (exit {proc.returncode}): {proc.stderr.strip()[:500]}"
            )
        out = [" ".join(piece.split()) for piece in _BLANK_LINE.split(proc.stdout.strip())]
        if len(out) == len(lines) and all(out):
            return out
        if len(lines) == 1:
            return [" ".join(o for o in out if o)]
        log.warning("apertium %s returned %d pieces for %d; bisecting the chunk", mode, len(out), len(lines))
        mid = len(lines) // 2
        return self._run(mode, lines[:mid]) + self._run(mode, lines[mid:])

    def translate(self, texts: Sequence[str], from_lang: str, to_lang: str) -> list[str]:
        modes = route(from_lang, to_lang, installed_modes(self.executable))
        current = [" ".join(str(t).split()) for t in texts]
        for mode in modes:
            todo = [i for i, t in enumerate(current) if t]
            for idx in chunks(todo, self.chunk_size):
                for i, text in zip(idx, self._run(mode, [current[i] for i in idx]), strict=True):
                    current[i] = text
        return current
