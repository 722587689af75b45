"""The settings of a training run (:class:`TrainConfig`), checked when they are made."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from segue.errors import SegueError
from segue.model.architecture import DEFAULT_ARCHITECTURE, ModelConfig
from segue.model.architectures import check_architecture
from segue.model.training.devices import is_device_name
from segue.model.vocab import Vocab


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run; stored in its checkpoints."""

    epochs: int = 30
    batch_size: int = 32
    window: int = 128
    lr: float = 2e-3
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    architecture: str = DEFAULT_ARCHITECTURE
    hidden: int = 256
    layers: int = 2
    embed: int = 64
    dropout: float = 0.1
    chained: bool = True
    bar_position: bool = True
    transpose: tuple[int, int] = (-5, 6)
    velocity_shift: tuple[int, int] = (-88, 24)
    steps_per_epoch: int | None = None
    patience: int = 3
    rng_seed: int | None = None
    device: str = "auto"
    threads: int | None = None

    def __post_init__(self) -> None:
        low, high = (int(v) for v in self.transpose)
        object.__setattr__(self, "transpose", (low, high))
        v_low, v_high = (int(v) for v in self.velocity_shift)
        object.__setattr__(self, "velocity_shift", (v_low, v_high))
        _check(
            -126 <= v_low <= v_high <= 126,
            f"velocity shift must be LOW HIGH with -126 <= LOW <= HIGH <= 126, "
            f"got {v_low} {v_high}",
        )
        _check(self.epochs >= 1, f"epochs must be at least 1, got {self.epochs}")
        _check(self.batch_size >= 1, f"batch size must be at least 1, got {self.batch_size}")
        _check(self.window >= 1, f"window must be at least 1 step, got {self.window}")
        _check(
            math.isfinite(self.lr) and self.lr > 0,
            f"learning rate must be greater than 0, got {self.lr:g}",
        )
        _check(
            math.isfinite(self.weight_decay) and self.weight_decay >= 0,
            f"weight decay must be 0 or more, got {self.weight_decay:g}",
        )
        _check(
            math.isfinite(self.grad_clip) and self.grad_clip >= 0,
            f"gradient clip must be 0 (off) or more, got {self.grad_clip:g}",
        )
        check_architecture(self.architecture)
        _check(self.hidden >= 1, f"hidden size must be at least 1, got {self.hidden}")
        _check(self.layers >= 1, f"layers must be at least 1, got {self.layers}")
        _check(self.embed >= 2, f"embedding size must be at least 2, got {self.embed}")
        _check(
            0 <= self.dropout < 1,
            f"dropout must be from 0 up to (not including) 1, got {self.dropout:g}",
        )
        _check(
            -127 <= low <= high <= 127,
            f"transpose range must be LOW HIGH with -127 <= LOW <= HIGH <= 127, got {low} {high}",
        )
        _check(
            self.steps_per_epoch is None or self.steps_per_epoch >= 1,
            f"steps per epoch must be at least 1, got {self.steps_per_epoch}",
        )
        _check(
            self.patience >= 0,
            f"patience must be 0 (never stop early) or more, got {self.patience}",
        )
        _check(
            self.rng_seed is None or 0 <= self.rng_seed < 2**63,
            f"rng seed must be a whole number from 0 to 2**63-1, got {self.rng_seed}",
        )
        _check(
            self.threads is None or self.threads >= 1,
            f"threads must be at least 1, got {self.threads}",
        )
        _check(
            is_device_name(self.device),
            f"device must be auto, cpu, cuda, cuda:N or mps, got {self.device!r}",
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["transpose"] = list(self.transpose)
        d["velocity_shift"] = list(self.velocity_shift)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        if "seed" in d and "rng_seed" not in d:  # stored before the random seed was rng_seed
            d = {**d, "rng_seed": d["seed"]}
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def model_config(self, vocab: Vocab) -> ModelConfig:
        return ModelConfig(
            vocab=vocab,
            embed=self.embed,
            hidden=self.hidden,
            layers=self.layers,
            dropout=self.dropout,
            chained=self.chained,
            bar_position=self.bar_position,
            architecture=self.architecture,
        )


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise SegueError(message)
