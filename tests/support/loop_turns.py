"""The takes' turns on hand-made clips, as ``generate`` makes them for a request."""

from __future__ import annotations

import numpy as np

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.takes import Turns
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 96
"""A bar of 4/4 in ticks."""


def takes(notes: list[tuple[int, float]], bars: int = 1, seed: int = 0, step: float = 0.5) -> Turns:
    """Four takes' turns on a clip of (pitch, start in beats) notes ``step`` beats long
    (eighths), ``bars`` long."""
    clip = Clip(tuple(Note(p, t, step, 90) for p, t in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(seed))
