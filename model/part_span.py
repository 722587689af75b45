"""The part's range at each place of a loop (:func:`span_at`): the lowest and highest pitch a
turned or answering note keeps to, the loop's, or over a seventh chord over its seventh, up to
its root on top (``ChordRooms.span``)."""

from __future__ import annotations

import numpy as np

from segue.model.chord_voicings import ChordVoicings


def span_at(
    span: tuple[int, int] | None, voicings: ChordVoicings, onsets: np.ndarray
) -> np.ndarray | None:
    """(rows, 2): the lowest and highest pitch a note at each row's ``onsets`` (ticks) keeps
    to (``voicings.BEYOND`` past them): the loop's ``span``, or where the loop strikes a
    seventh over its seventh there (of its chords' ``voicings``), up to its root on top
    (``voicings.chord_span``: a close Cmaj7/B's turned G4 went to B4, a major seventh over
    its C4, where C5 was clear; each chord's worked out once, with its rooms:
    ``ChordRooms.span``); None where the loop has no span."""
    if span is None:
        return None
    chords = voicings.chord_of(onsets)
    return np.array([span if c is None else voicings.rooms_of(c, span).span for c in chords])
