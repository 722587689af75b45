"""Hand-made phrases as grid rows (start tick, pitch, duration in ticks, velocity)."""

from __future__ import annotations

import numpy as np


def phrase(
    pitches: tuple[int, ...] | list[int], step: int = 12, length: int | None = None, start: int = 0
) -> np.ndarray:
    """One note per pitch, ``step`` ticks apart (12 = 8th notes)."""
    n = len(pitches)
    return np.stack(
        [
            start + np.arange(n) * step,
            np.asarray(pitches),
            np.full(n, length or step),
            np.full(n, 100),
        ],
        axis=1,
    ).astype(np.int64)
