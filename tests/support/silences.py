"""Where a take is silent, read off its notes independently of segue's own reading
(``rests.silences``, ``request_plan.longest_silence``): a grid of 48ths of a beat, each
sounding or not."""

from __future__ import annotations

import numpy as np

from segue.notes import Clip

STEPS_PER_BEAT = 48
"""The grid's steps a beat: 48ths, on which 8ths, 16ths and triplets all fall."""


def sounding(clip: Clip) -> np.ndarray:
    """Each 48th of a beat of ``clip`` (its whole length): whether a note sounds there."""
    grid = np.zeros(round(clip.length * STEPS_PER_BEAT), dtype=bool)
    for n in clip.notes:
        grid[round(n.start * STEPS_PER_BEAT) : round(n.end * STEPS_PER_BEAT)] = True
    return grid


def silent_share(clip: Clip) -> float:
    """The share of ``clip`` with no note sounding."""
    return float(1 - sounding(clip).mean())


def longest_silent(clip: Clip) -> float:
    """The longest stretch of ``clip`` (beats) with no note sounding, its end included."""
    grid = sounding(clip)
    if grid.all():
        return 0.0
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[1], grid.astype(int), [1]]))))
    return float(runs[::2].max() / STEPS_PER_BEAT)
