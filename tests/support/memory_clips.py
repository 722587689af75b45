"""Clips the low-Memory tests share (``test_articulation``, ``test_rhythm_lean``)."""

from __future__ import annotations

from segue.notes import Clip, Note

CHORDS = ((57, 60, 64), (53, 57, 60), (55, 60, 64), (55, 59, 62))  # Am F C G


def stabs() -> Clip:
    """Am F C G, a bar each, stabbed a 16th long on every off-beat 8th."""
    return Clip(
        tuple(
            Note(p, b * 4 + k + 0.5, 0.25, 100)
            for b, chord in enumerate(CHORDS)
            for k in range(4)
            for p in chord
        ),
        16.0,
    )
