"""Losses: cross-entropy per field over the notes inside their piece."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from segue.model.training.losses import field_losses, loss_means
from segue.model.vocab import FIELDS


def test_field_losses_leave_the_padding_out() -> None:
    torch.manual_seed(0)
    sizes = {"offset": 5, "pitch": 7, "duration": 4, "velocity": 3}
    logits = {f: torch.randn(2, 3, n) for f, n in sizes.items()}
    targets = torch.stack(
        [torch.randint(0, n, (2, 3)) for n in sizes.values()]
        + [torch.zeros(2, 3, dtype=torch.long)],
        dim=-1,
    )
    mask = torch.tensor([[True, True, False], [True, False, False]])
    losses = field_losses(logits, targets, mask)
    for column, name in enumerate(sizes):
        expected = F.cross_entropy(logits[name][mask], targets[..., column][mask])
        assert losses[name] == pytest.approx(float(expected))


def test_loss_means_are_per_note_and_none_without_notes() -> None:
    means = loss_means([2.0, 4.0, 6.0, 8.0, 2.0])
    assert means == {**dict(zip(FIELDS, [1.0, 2.0, 3.0, 4.0], strict=True)), "total": 10.0}
    assert loss_means([0.0] * 5) is None
