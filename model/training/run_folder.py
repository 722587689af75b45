"""A run folder's files: what may be resumed, and how a resumed run's settings are checked."""

from __future__ import annotations

import json
import os
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from segue.errors import SegueError
from segue.model.checkpoint import CheckpointError, read_checkpoint
from segue.model.training.config import TrainConfig

BEST = "best.pt"
LAST = "last.pt"
PLOT = "loss.png"
RESUMABLE = ("epochs", "patience", "device", "threads")
"""Settings that may change when a run is resumed; the rest must stay as they were."""


def read_run_config(run_dir: str | os.PathLike[str]) -> tuple[TrainConfig, Path]:
    """The settings and dataset path of the run in ``run_dir`` (from its ``last.pt``)."""
    payload = read_last(Path(run_dir))
    config = TrainConfig.from_dict(payload["training_state"]["config"])
    return config, Path(payload["info"]["dataset"]["path"])


def read_last(run_dir: Path) -> dict[str, Any]:
    """``last.pt`` of a run, checked to hold what resuming needs."""
    last = run_dir / LAST
    if not last.exists():
        raise SegueError(f"{run_dir}: no {LAST} to resume from (start the run without --resume)")
    payload = read_checkpoint(last)
    state, info = payload.get("training_state"), payload.get("info")
    if (
        not isinstance(state, dict)
        or not isinstance(state.get("config"), dict)
        or not isinstance(info, dict)
        or not isinstance(info.get("dataset"), dict)
    ):
        raise CheckpointError(f"{last}: holds no training state, so it cannot be resumed")
    try:
        TrainConfig.from_dict(state["config"])
    except (SegueError, TypeError, ValueError) as exc:
        raise CheckpointError(f"{last}: its training settings are damaged ({exc})") from None
    return payload


def check_run_dir(run_dir: Path, resume: bool, force: bool) -> None:
    if run_dir.exists() and not run_dir.is_dir():
        raise SegueError(f"{run_dir}: is a file; the run needs a folder")
    if resume or force:
        return
    existing = [n for n in (LAST, BEST, PLOT) if (run_dir / n).exists()]
    if not existing:
        return
    if existing == [PLOT]:
        raise SegueError(
            f"{run_dir}: holds a {PLOT} but no training run; choose another folder, or add "
            "--force to replace it"
        )
    carry_on = "add --resume to continue it or " if LAST in existing else ""
    raise SegueError(
        f"{run_dir}: already holds a training run ({', '.join(existing)}); "
        f"{carry_on}add --force to start over"
    )


def check_resumed_config(stored: TrainConfig, config: TrainConfig) -> TrainConfig:
    """The stored settings with the changeable ones taken from ``config``."""
    differ = [
        f.name
        for f in fields(TrainConfig)
        if f.name not in RESUMABLE
        and f.name != "rng_seed"
        and getattr(stored, f.name) != getattr(config, f.name)
    ]
    if config.rng_seed is not None and config.rng_seed != stored.rng_seed:
        differ.append("rng_seed")
    if differ:
        shown = ", ".join(
            f"{n} {getattr(config, n)} (run has {getattr(stored, n)})" for n in differ
        )
        raise SegueError(
            f"a resumed run keeps its settings, but these differ: {shown}; "
            "start a new run (--force) to change them"
        )
    return replace(stored, **{n: getattr(config, n) for n in RESUMABLE})


def plain(value: Any) -> Any:
    """A JSON-like copy (dicts, lists, str, numbers), safe for weights_only loading."""

    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        return str(o)

    return json.loads(json.dumps(value, default=default))
