"""What decides an evaluation run: :class:`EvalSettings`, and temperatures as text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from segue.errors import SegueError
from segue.model.settings import SETTINGS_BY_NAME


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
    repeat: bool = True  # also "repeat the last 4 bars" of the seed

    def validated(self) -> EvalSettings:
        """The settings, checked (a SegueError names the bad one), temperatures sorted."""

        def need(ok: bool, message: str) -> None:
            if not ok:
                raise SegueError(message)

        need(
            0.25 <= self.seed_bars <= 64,
            f"seed bars must be from 0.25 to 64, got {self.seed_bars:g}",
        )
        need(1 <= self.samples <= 16, f"samples must be from 1 to 16, got {self.samples}")
        need(len(self.temperatures) > 0, "give at least one temperature")
        for t in (*self.temperatures, self.recommended_temperature):
            SETTINGS_BY_NAME["temperature"].check(t)
        for name in ("bars", "top_p", "rng_seed", "memory"):  # the generation settings' ranges
            SETTINGS_BY_NAME[name].check(getattr(self, name))
        need(
            self.max_pieces is None or self.max_pieces >= 1,
            f"max pieces must be at least 1, got {self.max_pieces}",
        )
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
