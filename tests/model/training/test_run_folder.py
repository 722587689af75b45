"""A run folder: refusing what is not a run to continue, and a resumed run's settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from segue.errors import SegueError
from segue.model.architecture import ModelConfig
from segue.model.architectures import build_network
from segue.model.checkpoint import CheckpointError, save_checkpoint
from segue.model.training.config import TrainConfig
from segue.model.training.run_folder import (
    BEST,
    LAST,
    PLOT,
    check_resumed_config,
    check_run_dir,
    plain,
    read_last,
)

STORED = TrainConfig(hidden=32, epochs=3, rng_seed=7)


def test_a_resumed_run_keeps_its_settings_but_may_go_on_longer() -> None:
    resumed = check_resumed_config(STORED, replace(STORED, epochs=9, patience=1, rng_seed=None))
    assert resumed == replace(STORED, epochs=9, patience=1)
    with pytest.raises(SegueError, match=r"hidden 64 \(run has 32\), rng_seed 8 \(run has 7\)"):
        check_resumed_config(STORED, replace(STORED, hidden=64, rng_seed=8))


def test_a_run_folder_is_refused_unless_resumed_or_forced(tmp_path: Path) -> None:
    check_run_dir(tmp_path / "new", resume=False, force=False)
    (tmp_path / LAST).write_bytes(b"")
    with pytest.raises(SegueError, match="already holds a training run"):
        check_run_dir(tmp_path, resume=False, force=False)
    check_run_dir(tmp_path, resume=True, force=False)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SegueError, match="is a file"):
        check_run_dir(tmp_path / "file", resume=True, force=False)


def test_a_folder_with_a_loss_png_of_its_own_is_not_overwritten(tmp_path: Path) -> None:
    """A folder holding a loss.png but no run had it replaced by the training's plot."""
    (tmp_path / PLOT).write_bytes(b"precious")
    with pytest.raises(SegueError, match="holds a loss.png but no training run"):
        check_run_dir(tmp_path, resume=False, force=False)
    (tmp_path / BEST).write_bytes(b"")  # best.pt alone: nothing to resume from
    with pytest.raises(SegueError, match=r"\(best.pt, loss.png\); add --force to start over"):
        check_run_dir(tmp_path, resume=False, force=False)


def test_resuming_needs_a_last_pt_with_its_training_state(tmp_path: Path) -> None:
    with pytest.raises(SegueError, match="no last.pt to resume from"):
        read_last(tmp_path)
    model = build_network(ModelConfig(hidden=8, embed=4, layers=1))
    save_checkpoint(tmp_path / LAST, model, {"summary": "weights only"})
    with pytest.raises(CheckpointError, match="holds no training state"):
        read_last(tmp_path)


def test_plain_makes_what_a_checkpoint_may_hold() -> None:
    value = {"a": np.int64(3), "b": np.arange(2), "c": [np.float32(0.5)], "d": torch.device("cpu")}
    assert plain(value) == {"a": 3, "b": [0, 1], "c": [0.5], "d": "cpu"}
