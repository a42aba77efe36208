"""The awesome-align self-training loss and BERT masking, on tiny tensors (no model weights needed)."""

from __future__ import annotations

import torch

from projner.study.adapt import mask_tokens, so_loss


def test_so_loss_prefers_peaked_matching_states() -> None:
    torch.manual_seed(0)
    h = torch.randn(1, 6, 8)
    mask = torch.ones(1, 6, dtype=torch.long)
    # identical sentences, peaked scores: all probability mass on the guided diagonal, the minimum -2
    sharp = so_loss(h * 5, mask, h * 5, mask, 0.5)
    flat = so_loss(h * 0.1, mask, h * 0.1, mask, 0.5)  # nothing above the threshold: no guide, loss 0
    assert sharp.item() < flat.item()
    assert -2.0 - 1e-6 <= sharp.item() < -1.9 and flat.item() == 0.0


def test_so_loss_is_bounded_like_awesome_align() -> None:
    """-(guided P(s->t) / |s| + guided P(t->s) / |t|): in [-2, 0] whatever the scale of the states (a log loss is
    unbounded and diverged on e5-small)."""
    torch.manual_seed(1)
    for scale in (0.01, 1.0, 100.0):
        hs, ht = torch.randn(3, 7, 8) * scale, torch.randn(3, 5, 8) * scale
        ms, mt = torch.ones(3, 7, dtype=torch.long), torch.ones(3, 5, dtype=torch.long)
        loss = so_loss(hs, ms, ht, mt, 1e-3).item()
        assert -2.0 - 1e-6 <= loss <= 0.0


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
