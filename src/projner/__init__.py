"""projner: projection-based cross-lingual named-entity recognition.

Pipeline stages live in sub-packages named after them: ``io`` (read/write formats), ``translate``, ``tag``
(source NER), ``align`` (word alignment), ``project`` (label projection), ``evaluate``. The shared data model
is in :mod:`projner.core`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("projner")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from projner.core.types import Alignment, InputError, ParallelExample, ProjnerError, Sentence, Span

__all__ = ["Alignment", "InputError", "ParallelExample", "ProjnerError", "Sentence", "Span", "__version__"]
