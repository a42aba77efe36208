"""CTranslate2 translator: a converted NLLB / M2M100 / Marian model, run with the fast C++ engine.

Convert a Hugging Face model once with :func:`convert_hf_model` (``ctranslate2.converters.TransformersConverter``),
then load the output directory. Tokenization, language codes and order restoration are shared with
:class:`projner.translate.hf.HFTranslator`; only generation differs (``ctranslate2.Translator.translate_batch``
with the target-language token as ``target_prefix``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from projner.core.types import ProjnerError
from projner.translate.base import register_translator
from projner.translate.hf import CodeScheme, _Seq2SeqBase, model_identity


def _require_ct2() -> Any:
    try:
        import ctranslate2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ProjnerError("the ctranslate2 translator needs `pip install ctranslate2`") from exc
    return ctranslate2


def convert_hf_model(
    hf_dir: str | Path, out_dir: str | Path, quantization: str | None = None, force: bool = False
) -> Path:
    """Convert a Hugging Face seq2seq model directory to CTranslate2, copying the tokenizer files alongside."""
    ct2 = _require_ct2()
    hf_dir = Path(hf_dir)
    copy = [
        f.name
        for f in hf_dir.iterdir()
        if f.name.startswith(
            ("tokenizer", "special_tokens", "sentencepiece", "vocab", "source.spm", "target.spm")
        )
    ]
    converter = ct2.converters.TransformersConverter(str(hf_dir), copy_files=copy or None)
    return Path(converter.convert(str(out_dir), quantization=quantization, force=force))


@register_translator("ctranslate2")
class CTranslate2Translator(_Seq2SeqBase):
    """Translate with a CTranslate2 model directory (tokenizer files in the same dir unless ``tokenizer=``)."""

    name = "ctranslate2"

    def __init__(
        self,
        model: str | Path,
        tokenizer: str | Path | None = None,
        batch_size: int = 16,
        max_tokens: int | None = None,
        max_input_length: int | None = None,
        beam_size: int = 4,
        max_decoding_length: int = 256,
        device: str = "cpu",
        compute_type: str = "default",
        intra_threads: int = 0,
        family: str | None = None,
    ) -> None:
        ct2 = _require_ct2()
        from transformers import AutoTokenizer

        self.model_name = str(model)
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.max_input_length = max_input_length
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length
        self.compute_type = compute_type
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(tokenizer or model))
        except (OSError, ValueError) as exc:
            raise ProjnerError(
                f"cannot load a tokenizer from {tokenizer or model!r} (pass tokenizer=<HF model dir>): {exc}"
            ) from exc
        try:
            self.translator = ct2.Translator(
                str(model), device=device, compute_type=compute_type, intra_threads=intra_threads
            )
        except (RuntimeError, ValueError) as exc:
            raise ProjnerError(f"cannot load CTranslate2 model {model!r}: {exc}") from exc
        self.scheme = CodeScheme.detect(self.tokenizer, family)
        self._identity = model_identity(model)

    def params(self) -> dict[str, Any]:
        return {
            **self._identity,
            "family": self.scheme.family,
            "beam_size": self.beam_size,
            "max_decoding_length": self.max_decoding_length,
            "compute_type": self.compute_type,
            "max_input_length": self.max_input_length,
        }

    def _generate(self, batch: list[list[int]], to_lang: str) -> list[str]:
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in batch]
        prefix = self.scheme.target_prefix(to_lang)
        results = self.translator.translate_batch(
            tokens,
            target_prefix=[prefix] * len(tokens) if prefix else None,
            beam_size=self.beam_size,
            max_decoding_length=self.max_decoding_length,
        )
        out = []
        for res in results:
            ids = self.tokenizer.convert_tokens_to_ids(res.hypotheses[0])
            out.append(self._decode(ids))
        return out

    def close(self) -> None:
        self.translator = None
