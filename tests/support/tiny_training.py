"""Tiny training runs for tests: settings small enough to train in a second or two on a
busy CPU, and checks on what the runs leave behind."""

from __future__ import annotations

import subprocess
from pathlib import Path

import torch

from segue.model.architecture import Network
from segue.model.checkpoint import read_checkpoint
from segue.model.training.batches import EncodedPieces, plan_validation
from segue.model.training.config import TrainConfig
from segue.model.training.losses import loss_means, loss_sums

CHORALES = (
    "bwv66.6",
    "bwv7.7",
    "bwv10.7",
    "bwv11.6",
    "bwv110.7",
    "bwv111.6",
    "bwv113.8",
    "bwv114.7",
)
"""The Bach chorales of music21's corpus in the test dataset."""

TINY = TrainConfig(
    hidden=32,
    embed=8,
    layers=1,
    window=32,
    batch_size=8,
    epochs=2,
    steps_per_epoch=6,
    patience=0,
    rng_seed=7,
    threads=1,
    device="cpu",
)
TINY_ARGS = (
    "--hidden",
    "32",
    "--embed",
    "8",
    "--layers",
    "1",
    "--window",
    "32",
    "--batch-size",
    "8",
    "--steps-per-epoch",
    "6",
    "--patience",
    "0",
    "--seed",
    "7",
    "--threads",
    "1",
    "--device",
    "cpu",
    "--quiet",
)
"""``TINY`` as `segue train` options."""

PNG = b"\x89PNG\r\n\x1a\n"


def quiet(message: str) -> None:
    """A ``log`` for ``train()`` that says nothing."""


def same_weights(a: Path, b: Path) -> bool:
    sa, sb = read_checkpoint(a)["state_dict"], read_checkpoint(b)["state_dict"]
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """``result`` (of the CLI) failed with one line `segue: error: ...` holding ``fragments``."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("segue: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def evaluate(
    model: Network, data: EncodedPieces, window: int = 128, batch_size: int = 32
) -> dict[str, float] | None:
    """Mean loss per field (nats per note) of a model on encoded pieces, as validation
    measures it (no augmentation), on the CPU."""
    batches = plan_validation(data, window, batch_size)
    return loss_means(loss_sums(model, data, batches, window, torch.device("cpu")).cpu())
