"""One bar of a part: basslines on the chord's root, chords voiced smoothly, arpeggio orders."""

from __future__ import annotations

import numpy as np

from segue.idioms.harmony import Chord
from segue.idioms.parts import (
    arp_sequence,
    bass_pattern,
    bass_pitch,
    chord_pattern,
    rhythm,
    scale_pitches,
    voicing,
)

C, G = Chord(0, (0, 4, 7)), Chord(7, (0, 4, 7))


def test_bass_patterns_fit_in_the_bar_and_start_on_its_downbeat() -> None:
    rng = np.random.default_rng(1)
    for _ in range(100):
        events = bass_pattern(rng, 4.0)
        assert events and all(0 <= t < 4 and d > 0 for t, d, _ in events)
        assert min(t for t, _, _ in events) <= 0.5


def test_bass_notes_are_chord_tones_near_the_register_and_approach_the_next_root() -> None:
    assert bass_pitch(C, G, 0, 40) % 12 == 0 and abs(bass_pitch(C, G, 0, 40) - 40) <= 6
    assert bass_pitch(C, G, 1, 40) % 12 == 7
    assert bass_pitch(C, G, 2, 40) == bass_pitch(C, G, 0, 40) + 12
    approach = bass_pitch(C, G, 4, 40)
    assert min(abs(approach - g) for g in (31, 43)) == 1  # a step from G


def test_chords_are_voiced_closely_and_led_smoothly() -> None:
    first = voicing(C, None, 55, 3)
    assert sorted(p % 12 for p in first) == [0, 4, 7] and max(first) - min(first) < 12
    moved = voicing(G, first, 55, 3)
    assert sum(abs(a - b) for a, b in zip(moved, first, strict=True)) <= 6
    assert all(0 <= t < 4 and d > 0 for t, d in chord_pattern(np.random.default_rng(2), 4.0))


def test_arpeggio_orders_and_rhythms() -> None:
    rng = np.random.default_rng(3)
    assert arp_sequence(rng, 3, 2, "up", 8, None) == [0, 1, 2, 3, 4, 5, 0, 1]
    assert arp_sequence(rng, 3, 1, "down", 4, None) == [2, 1, 0, 2]
    assert arp_sequence(rng, 3, 1, "random", 5, [2, 0, 1]) == [2, 0, 1, 2, 0]
    onsets = rhythm(rng, 4.0, 0.5)
    assert onsets == sorted(onsets) and all(0 <= t < 4 for t in onsets)
    assert scale_pitches(0, "major", 60, 72) == [60, 62, 64, 65, 67, 69, 71, 72]
