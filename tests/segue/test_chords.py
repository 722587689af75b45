"""The keyboard's chords (``segue.chords``): one table for every reading of chords."""

from __future__ import annotations

from segue.chords import KEYBOARD_CHORDS, SEVENTHS, THIRDS


def test_every_keyboard_chord_stands_on_its_root_within_an_octave_once() -> None:
    assert len(set(KEYBOARD_CHORDS)) == len(KEYBOARD_CHORDS)
    assert all(c[0] == 0 and list(c) == sorted(set(c)) and c[-1] < 12 for c in KEYBOARD_CHORDS)
    sevenths = [c for c in KEYBOARD_CHORDS if len(c) == 4 and c[-1] in SEVENTHS]
    assert len(sevenths) == 6  # 7, maj7, m7, mM7, m7b5, 7sus4 (dim7 stacks a 9: its own)
    assert all(any(third in c for third in (*THIRDS, 5)) for c in sevenths)
