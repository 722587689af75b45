"""Which pitches a take may play where the loop rests: answers and pickups."""

from __future__ import annotations

import numpy as np

from segue.model.answer_pitches import answer_near_line, answer_pitches, answer_pool, tonic_chord
from segue.model.turn_sizes import AROUND, STEP


def test_a_sparse_bass_s_pickups_are_of_its_notes_or_steps_into_the_next_root() -> None:
    """A pickup into an A1 of an A-E power bass (no third: read as A major) took a C#2 or
    an F#1, one into a G-F-C-G bass's G1 (read as G minor) a Bb1: now the pitches the clip
    plays, the next root's fifth and octave, a step into it in the key, and right before it
    a semitone (a chromatic approach)."""
    from segue.model.answer_pitches import pickup_pitches

    def classes(*names: int) -> np.ndarray:
        out = np.zeros(12, dtype=bool)
        out[list(names)] = True
        return out

    a_major = classes(9, 11, 1, 2, 4, 6, 8)
    power = pickup_pitches(np.array([33]), classes(9, 4), a_major, AROUND, True)[0]
    assert np.flatnonzero(power).tolist() == [21, 28, 32, 34, 35, 40, 45]  # no C#, F#, D
    g_minor = classes(7, 9, 10, 0, 2, 3, 5)
    gfcg = pickup_pitches(np.array([31]), classes(7, 2, 5, 0), g_minor, AROUND)[0]
    assert np.flatnonzero(gfcg).tolist() == [19, 24, 26, 29, 33, 36, 38, 43]  # no Bb, no F#
    near = pickup_pitches(np.array([31]), classes(7, 2, 5, 0), g_minor, STEP)[0]
    assert np.flatnonzero(near).tolist() == [29, 33]  # cool: steps, no octave


def test_a_line_s_answer_counts_its_distance_from_where_the_line_sits() -> None:
    # a line of middle 71.5 whose next note is its top, E5 (76): of the key's pitches
    # within the octave, the four nearest the span E5 .. the middle (C5 and D5 within it,
    # then B4 and F5), not the four nearest E5 (which reach G5, over the line)
    key = np.zeros(12, dtype=bool)
    key[[0, 2, 4, 5, 7, 9, 11]] = True
    allowed = np.ones((1, 128), dtype=bool)
    answer_pitches(allowed, np.array([76]), key, 4)
    assert np.flatnonzero(allowed[0]).tolist() == [72, 74, 76, 77, 79]
    allowed = np.ones((1, 128), dtype=bool)
    answer_pitches(allowed, np.array([76]), key, 4, middle=71.5)
    assert np.flatnonzero(allowed[0]).tolist() == [71, 72, 74, 76, 77]
    # turned pitches so left (C5 D5 F5 G5 A5 on E5's side of the middle): the nearest
    chosen = np.zeros((2, 128), dtype=bool)
    chosen[:, [72, 74, 76, 77, 79, 81]] = True
    answer_near_line(chosen, np.array([76, 76]), 71.5, np.array([2, 4]))
    assert np.flatnonzero(chosen[0]).tolist() == [72, 74, 76]
    assert np.flatnonzero(chosen[1]).tolist() == [72, 74, 76, 77, 79]
    few = np.zeros((1, 128), dtype=bool)
    few[0, [72, 76, 88]] = True  # fewer than the takes: as they were
    answer_near_line(few, np.array([76]), 71.5, 4)
    assert np.flatnonzero(few[0]).tolist() == [72, 76, 88]


def test_a_lead_s_answers_are_its_own_notes_a_step_from_its_next_or_its_tonic_chord() -> None:
    """The pitches among which the rng chooses a lead's answers into its next note: the
    line's own, a step from the next note in the key, and its tonic chord's tones within a
    fourth of its middle and within its span; never the next note itself."""
    from segue.model.keys import Key

    a_minor = Key(9, "minor")
    assert np.flatnonzero(tonic_chord(a_minor)).tolist() == [0, 4, 9]
    assert np.flatnonzero(tonic_chord(Key(2, "dorian"))).tolist() == [2, 5, 9]
    assert np.flatnonzero(tonic_chord(Key(7, "major"))).tolist() == [2, 7, 11]
    assert not tonic_chord(None).any()
    key = np.zeros(12, dtype=bool)
    key[sorted(a_minor.pitch_classes())] = True
    line = np.array([76, 74, 72, 69, 67])  # E5 D5 C5 A4 G4, its next note E5
    pool = answer_pool(76, line, key, tonic_chord(a_minor), 72.0)
    assert np.flatnonzero(pool).tolist() == [67, 69, 72, 74, 77]  # no B4, no G5 over it
    low = answer_pool(64, np.array([64, 67, 69, 72, 74]), key, tonic_chord(a_minor), 69.0)
    assert np.flatnonzero(low).tolist() == [62, 65, 67, 69, 72, 74]  # D4 F4 a step from E4
