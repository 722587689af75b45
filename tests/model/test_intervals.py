"""The intervals a chord's voices sound together (``segue.model.intervals``)."""

from __future__ import annotations

import numpy as np

from segue.model.intervals import (
    CLEAR,
    NOT_HARSH,
    PAIR_SPANS,
    SPANS,
    clear_pairs,
    clear_with,
    consonant_with,
    interval_pairs,
    intervals_of,
    low_limit,
    narrowest_by_register,
    span_of,
    wide_enough,
)


def test_intervals_within_an_octave_are_told_apart_and_beyond_it_by_their_class() -> None:
    assert span_of(np.array([0, 1, -4, 11, 12, 13, -23, 25])).tolist() == [
        0, 1, 4, 11, 12, 13, 23, 13,
    ]  # fmt: skip
    assert PAIR_SPANS.shape == (128, 128) and PAIR_SPANS[64, 60] == PAIR_SPANS[60, 64] == 4
    assert PAIR_SPANS.max() < SPANS


def test_a_triad_loop_sounds_its_thirds_fourths_fifths_and_sixths_and_no_second() -> None:
    onsets = np.array([0, 0, 0, 96, 96, 96])
    ends = onsets + 96
    pitches = np.array([60, 64, 67, 60, 65, 69])  # C E G, F A C
    spans = set(np.flatnonzero(intervals_of(onsets, ends, pitches)))
    assert {0, 3, 4, 5, 7, 8, 9, 12} <= spans
    assert not spans & {1, 2, 6, 10, 11, 13}


def test_a_seventh_chord_loop_sounds_its_seventh_turned_over_a_second_but_no_semitone() -> None:
    """A close Am7 and Fmaj7 (A3 C4 E4 G4, F3 A3 C4 E4): the minor seventh A3 G4 turned over
    is the major second G4 A4 of the chord's inversion (C4 E4 G4 A4), which an arranger
    voices anew; the major seventh F3 E4 turned over is a semitone, which stays out."""
    onsets = np.array([0, 0, 0, 0, 96, 96, 96, 96])
    ends = onsets + 96
    pitches = np.array([57, 60, 64, 67, 53, 57, 60, 64])
    spans = set(np.flatnonzero(intervals_of(onsets, ends, pitches)))
    assert {2, 10, 14} <= spans
    assert not spans & {1, 13}


def test_a_pitch_clashing_with_a_sounding_voice_is_not_consonant() -> None:
    onsets = np.array([0, 0, 0])
    pitches = np.array([60, 64, 67])
    intervals = intervals_of(onsets, onsets + 96, pitches)
    sounding = np.zeros((1, 128), dtype=bool)
    sounding[0, [60, 67]] = True  # C4 G4 ring on
    fits = consonant_with(sounding, intervals)[0]
    assert fits[64] and fits[72] and not fits[61] and not fits[66]  # E4, C5; not C#4, F#4


def test_the_arranger_s_low_limits_and_the_loop_s_own_spread() -> None:
    assert list(low_limit(np.array([1, 3, 4, 7, 12, 15]))) == [52, 48, 46, 34, 0, 36]
    assert CLEAR[41, 34] and not CLEAR[38, 34]  # a fifth on Bb1 is clear, a third is not
    assert not NOT_HARSH[1] and not NOT_HARSH[13] and NOT_HARSH[3]
    onsets = np.array([0, 0, 0])
    narrowest = narrowest_by_register(onsets, onsets + 96, np.array([36, 46, 52]))  # C2 Bb2 E3
    assert narrowest[35] == 128 and narrowest[36] == 10 and narrowest[46] == 6
    wide = wide_enough(narrowest)
    assert wide[46, 36] and not wide[40, 36]  # on C2: Bb2, not E2


def test_the_intervals_sounding_at_some_places_only() -> None:
    """A left hand's passing G#3 struck under a held G4 (a major seventh) is the loop's where
    every onset is read, not where the chords are struck (``places``); and two pitches are
    clear pair by pair: each of the loop's intervals or no semitone."""
    onsets = np.array([0, 0, 0, 36])
    ends = np.array([48, 48, 48, 48])
    pitches = np.array([43, 59, 67, 56])  # G2 B3 G4 struck, G#3 after
    assert intervals_of(onsets, ends, pitches)[11]
    assert not intervals_of(onsets, ends, pitches, np.array([0]))[11]
    pairs = clear_pairs(intervals_of(onsets, ends, pitches), wide_enough(np.full(128, 128)))
    assert pairs[67, 56] and pairs[62, 60] and not pairs[61, 60]  # its 7th, a 2nd, no semitone


def test_the_pitches_consonant_with_those_sounding_read_a_table_worked_out_once() -> None:
    """``consonant_with`` is ``clear_with`` on ``interval_pairs``' table, which a take's turns
    work out once per request (``chord_clashes.ChordClashes.interval_pairs_of``): a pitch is
    consonant with every pitch sounding, pair by pair, or with none sounding, any pitch."""
    rng = np.random.default_rng(0)
    intervals = rng.random(SPANS) < 0.5
    wide = rng.random((128, 128)) < 0.8
    sounding = np.zeros((4, 128), dtype=bool)
    for row, count in enumerate((0, 1, 3, 6)):
        sounding[row, rng.choice(128, count, replace=False)] = True
    for given in (wide, None):
        table = interval_pairs(intervals, given)
        whole = intervals[PAIR_SPANS] if given is None else intervals[PAIR_SPANS] & given
        assert np.array_equal(table, whole)
        pairwise = np.array(
            [
                [all(whole[p, q] for q in np.flatnonzero(row)) for p in range(128)]
                for row in sounding
            ]
        )
        assert np.array_equal(clear_with(sounding, table), pairwise)
        assert np.array_equal(consonant_with(sounding, intervals, given), pairwise)
    assert clear_with(sounding[:1], table).all()  # nothing sounding: any pitch
