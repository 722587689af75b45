"""Where a loop strikes chords, and each chord's bass."""

from __future__ import annotations

import numpy as np

from segue.model.loop_chords import chord_places


def test_a_grace_note_struck_with_its_note_is_no_chord_a_stab_s_notes_are() -> None:
    """A lead's grace a tick before its note is heard on the note's tick (a grace of 1 tick
    with a note of 23): no chord there, so its takes do not turn half a bar as a chord loop's
    stabs do; a trance gate's 16ths (triads of 5 ticks each) and a pad are chords, and two
    graces struck with a chord leave it one."""
    onsets = np.array([0, 0, 24, 24, 48, 48, 48, 60, 60])
    lengths = np.array([1, 23, 1, 11, 5, 5, 5, 2, 22])
    assert chord_places(onsets, lengths).tolist() == [False, False, True, False]
    pad = chord_places(np.array([0, 0, 0, 0]), np.array([1, 1, 96, 96]))
    assert pad.tolist() == [True]
    gate = chord_places(np.repeat(np.arange(0, 96, 6), 3), np.full(48, 2))
    assert gate.all() and len(gate) == 16
