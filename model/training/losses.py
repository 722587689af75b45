"""Losses: cross-entropy per note field, summed over batches, and a model's mean loss."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from segue.model.architecture import Network
from segue.model.training.batches import Batch, EncodedPieces, Windows, make_batch
from segue.model.training.devices import autocast, sums_dtype
from segue.model.vocab import FIELDS


def field_losses(logits: dict[str, Tensor], targets: Tensor, mask: Tensor) -> dict[str, Tensor]:
    """Mean cross-entropy (nats per note) of each field over the unmasked targets."""
    columns = {"offset": 0, "pitch": 1, "duration": 2, "velocity": 3}
    flat_mask = mask.reshape(-1)
    losses = {}
    for name, col in columns.items():
        lg = logits[name].reshape(-1, logits[name].shape[-1])[flat_mask]
        tg = targets[..., col].reshape(-1)[flat_mask]
        losses[name] = F.cross_entropy(lg.float(), tg)
    return losses


def batch_losses(
    net: nn.Module, batch: Batch, device: torch.device, amp: torch.dtype | None
) -> tuple[Tensor, Tensor]:
    """Total loss (sum of the field means) and per-field sums plus note count (5,).

    ``net`` is the network, or its DistributedDataParallel wrapper under torchrun."""
    inputs, targets, mask = batch.tensors(device)
    with autocast(device, amp):
        logits = net(inputs, targets)
    losses = field_losses(logits, targets, mask)
    means = torch.stack([losses[f] for f in FIELDS])
    count = mask.sum().to(means.dtype)
    sums = torch.cat([means.detach() * count, count[None]])
    return means.sum(), sums.to(sums_dtype(device))


@torch.no_grad()
def loss_sums(
    model: Network,
    data: EncodedPieces,
    batches: list[Windows],
    window: int,
    device: torch.device,
    amp: torch.dtype | None = None,
) -> Tensor:
    """Per-field loss sums and the note count (5,) over the given windows, in eval mode."""
    was_training = model.training
    model.eval()
    sums = torch.zeros(5, dtype=sums_dtype(device), device=device)
    try:
        for windows in batches:
            sums += batch_losses(model, make_batch(data, windows, window), device, amp)[1]
    finally:
        model.train(was_training)
    return sums


def loss_means(sums: Tensor | Sequence[float]) -> dict[str, float] | None:
    """Per-field mean loss (nats per note) and their ``total``; None without notes."""
    values = [float(v) for v in sums]
    if values[4] <= 0:
        return None
    means = {f: values[i] / values[4] for i, f in enumerate(FIELDS)}
    means["total"] = sum(means[f] for f in FIELDS)
    return means
