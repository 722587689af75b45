"""Chord loops from musical knowledge and from the chords sounding in real pieces."""

from __future__ import annotations

import numpy as np

from segue.idioms.harmony import (
    DEGREE_LOOPS,
    MODES,
    Chord,
    chord_of,
    progression_from_knowledge,
    progressions_from_chorales,
    triad,
)


def test_triads_follow_the_mode() -> None:
    assert triad(MODES["major"], 0, False) == (0, (0, 4, 7))
    assert triad(MODES["minor"], 0, False) == (0, (0, 3, 7))
    assert triad(MODES["major"], 4, True) == (7, (0, 4, 7, 10))  # the dominant seventh


def test_progressions_are_loops_of_the_modes_chords() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        chords, tonic, mode = progression_from_knowledge(rng)
        assert 1 <= len(chords) <= max(len(loop) for loop in DEGREE_LOOPS)
        scale = {(tonic + i) % 12 for i in MODES[mode]}
        assert all(c.root in scale for c in chords)


def test_the_chord_of_sounding_pitches_finds_its_root_in_any_inversion() -> None:
    assert chord_of([64, 67, 72]) == Chord(0, (0, 4, 7))  # C major, first inversion
    assert chord_of([57, 60, 64]) == Chord(9, (0, 3, 7))  # A minor
    assert chord_of([]) is None
    piece = [(0.0, 4.0, p) for p in (48, 52, 55)] + [(4.0, 8.0, p) for p in (53, 57, 60)]
    piece += [(8.0, 12.0, p) for p in (55, 59, 62)] + [(12.0, 16.0, p) for p in (48, 52, 55)]
    loops = progressions_from_chorales([piece], step_beats=4.0, length=4)
    assert [[c.root for c in loop] for loop in loops] == [[0, 5, 7, 0]]
