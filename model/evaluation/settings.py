"""What decides an evaluation run: :class:`EvalSettings`, and temperatures as text."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from segue.errors import SegueError
from segue.model.memory import MAX_STRENGTH


@dataclass(frozen=True)
class EvalSettings:
    """Everything that decides an evaluation run (stored in its report)."""

    seed_bars: float = 4.0
    bars: float = 4.0
    samples: int = 4
    temperatures: tuple[float, ...] = (0.0, 0.8, 1.0, 1.2)
    recommended_temperature: float = 1.0
    top_p: float = 0.95
    max_pieces: int | None = None
    rng_seed: int = 0
    tolerance: float = 0.10
    spread: float = 1.0
    ngram: bool = True
    ngram_order: int | None = None  # None: each field's order chosen on the validation split
    pitch_only: str | None = "train"  # "train" (in the run), a saved file, or None (left out)
    pitch_only_seconds: float = 600.0
    pitch_only_epochs: int = 30
    device: str = "cpu"  # where the pitch-only LSTM trains
    examples: int = 3
    threads: int = 1
    memory: float = 1.0  # clip-memory strength of the evaluated model (baselines: none)
    memory_ablation: bool = True  # also the evaluated model with its memory off

    def validated(self) -> EvalSettings:
        """The settings, checked (a SegueError names the bad one), temperatures sorted."""

        def need(ok: bool, message: str) -> None:
            if not ok:
                raise SegueError(message)

        need(
            0.25 <= self.seed_bars <= 64,
            f"seed bars must be from 0.25 to 64, got {self.seed_bars:g}",
        )
        need(0.25 <= self.bars <= 64, f"bars must be from 0.25 to 64, got {self.bars:g}")
        need(1 <= self.samples <= 16, f"samples must be from 1 to 16, got {self.samples}")
        need(len(self.temperatures) > 0, "give at least one temperature")
        for t in (*self.temperatures, self.recommended_temperature):
            need(math.isfinite(t) and 0 <= t <= 5, f"temperatures must be from 0 to 5, got {t:g}")
        need(0.01 <= self.top_p <= 1, f"top-p must be from 0.01 to 1, got {self.top_p:g}")
        need(
            self.max_pieces is None or self.max_pieces >= 1,
            f"max pieces must be at least 1, got {self.max_pieces}",
        )
        need(0 <= self.rng_seed < 2**63, f"rng seed must be from 0 to 2**63-1, got {self.rng_seed}")
        need(self.tolerance >= 0 and self.spread >= 0, "tolerance and spread must be 0 or more")
        need(
            self.ngram_order is None or 1 <= self.ngram_order <= 6,
            f"n-gram order must be from 1 to 6, got {self.ngram_order}",
        )
        need(
            self.pitch_only_seconds > 0 and self.pitch_only_epochs >= 1,
            "the pitch-only LSTM needs some time and at least one epoch",
        )
        need(self.examples >= 0, f"examples must be 0 or more, got {self.examples}")
        need(self.threads >= 1, f"threads must be at least 1, got {self.threads}")
        need(
            0 <= self.memory <= MAX_STRENGTH,
            f"memory must be from 0 to {MAX_STRENGTH:g}, got {self.memory:g}",
        )
        temperatures = tuple(
            sorted({float(t) for t in self.temperatures} | {float(self.recommended_temperature)})
        )
        return EvalSettings(**{**asdict(self), "temperatures": temperatures})

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["temperatures"] = list(self.temperatures)
        return d


def parse_temperatures(text: str) -> tuple[float, ...]:
    """'0,0.8,1.0,1.2' -> (0.0, 0.8, 1.0, 1.2)."""
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise SegueError(
            f"temperatures must be numbers separated by commas, got {text!r}"
        ) from None
    if not values:
        raise SegueError("give at least one temperature")
    return values


def temperature_key(t: float) -> str:
    """A temperature as a JSON key and a column label: 0, 0.8, 1, 1.2."""
    return f"{t:g}"
