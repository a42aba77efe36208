"""The awesome-align self-training loss and BERT masking, on tiny tensors (no model weights needed)."""

from __future__ import annotations

import torch

from projner.study.adapt import mask_tokens, so_loss


def test_so_loss_prefers_peaked_matching_states() -> None:
    torch.manual_seed(0)
    h = torch.randn(1, 6, 8)
    mask = torch.ones(1, 6, dtype=torch.long)
    sharp = so_loss(h * 5, mask, h * 5, mask, 1e-3)  # identical sentences, peaked scores: near-zero loss
    flat = so_loss(h * 0.1, mask, h * 0.1, mask, 1e-3)
    assert sharp.item() < flat.item()
    assert sharp.item() >= 0


def test_so_loss_ignores_padding_and_specials_and_has_gradient() -> None:
    h = torch.randn(2, 5, 4, requires_grad=True)
    ms = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    loss = so_loss(h, ms, h, ms, 1e-3)
    loss.backward()
    assert h.grad is not None
    assert torch.all(h.grad[1, 3:] == 0)  # padding receives no gradient


def test_mask_tokens_never_masks_specials_or_padding() -> None:
    ids = torch.tensor([[0, 10, 11, 12, 2, 1], [0, 13, 14, 15, 16, 2]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]])
    gen = torch.Generator().manual_seed(0)
    out, labels = mask_tokens(ids, mask, 1.0, 99, 50, gen)
    assert torch.all(labels[:, 0] == -100)
    assert labels[0, 4] == -100 and labels[0, 5] == -100 and labels[1, 5] == -100
    assert torch.all(labels[0, 1:4] == ids[0, 1:4])
    assert out.shape == ids.shape
