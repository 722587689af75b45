"""The intervals a chord's voices sound together: those of the loop's own voicing, and
those clear at a register.

A take's turned voice must not clash where the loop's chords do not (a semitone, a minor
ninth), nor sound an interval narrower than the loop's voicing has at its register, nor,
below every interval of the loop's, one that blurs into mud at that register (the
arranger's low interval limits). Intervals are told apart within an octave and, beyond it,
by their class (:data:`SPANS`). Tables are (128, 128) bool, [new pitch, old pitch].
"""

from __future__ import annotations

import numpy as np


def intervals_of(
    onsets: np.ndarray, ends: np.ndarray, pitches: np.ndarray, places: np.ndarray | None = None
) -> np.ndarray:
    """(:data:`SPANS`,) bool: the intervals (:func:`span_of`) that sound together in a loop (its
    notes from ``onsets`` to ``ends``, ticks): at each onset (or each of ``places``, ticks),
    between the notes struck there and every note still sounding, each also an octave wider,
    and the :data:`TURNING_OVER` ones turned over. A triad loop's thirds, fourths, fifths and
    sixths; a seventh chord loop's major seconds too; a semitone only where the loop has one."""
    out = np.zeros(SPANS, dtype=bool)
    out[0] = out[12] = True
    for at in np.unique(onsets if places is None else places):
        sounding = pitches[(onsets <= at) & (ends > at)]
        out[span_of(sounding[:, None] - sounding[None, :])] = True
    out[12:] |= out[:12]  # an interval an octave wider
    for d in TURNING_OVER:  # a consonance turned over: a sixth for a third, a fourth for a fifth
        if out[d] or out[12 + d]:
            out[[12 - d, 24 - d]] = True
    return out


CONSONANT = (3, 4, 5, 7, 8, 9)
"""The intervals (semitones) that are as consonant turned over (a third and a sixth, a
fourth and a fifth): a loop of triads in close position has its thirds and fourths but
no sixth, and a held G chord's answer could only strike its own G again (helper-68)."""
MINOR_SEVENTH = 10
TURNING_OVER = (*CONSONANT, MINOR_SEVENTH)
"""The intervals (semitones) a loop lets a turned voice sound turned over too: the
:data:`CONSONANT` ones, and a minor seventh, whose inversion is a major second: a close
seventh chord's root and seventh an octave apart or side by side (a close Am7, A3 C4 E4 G4,
turned to A3 C4 G4 A4 or an Em7 to E3 G3 D4 E4, the inversions an arranger voices anew).
Not a major seventh, whose inversion is a semitone."""
SPANS = 24
"""Intervals told apart: those within an octave (0-11 semitones), and beyond it by their
class (12-23): a major seventh in a loop's chords (F3 under E4) lets a turned voice make a
major seventh, not a semitone, and a minor ninth a minor ninth, not a minor second (by
their classes alone, a neo-soul loop's turned voices made semitones with their neighbours
in 7 of 42 new chords, helper-68's seeds)."""


def span_of(semitones: np.ndarray) -> np.ndarray:
    """The :data:`SPANS` index of intervals (semitones, either way)."""
    apart = np.abs(semitones)
    return np.where(apart < 12, apart, 12 + apart % 12)


NOT_HARSH = np.ones(SPANS, dtype=bool)
NOT_HARSH[[1, 11, 13, 23]] = False
"""The intervals (:func:`span_of`) a turned voice may make where none the loop's chords have
is left in the part: any but a semitone, a major seventh and a minor ninth (a loop whose
chords hold E and F apart turned G#3 B3 E4 F4 into its last bar, helper-71)."""
PAIR_SPANS = span_of(np.subtract.outer(np.arange(128), np.arange(128)))
"""(128, 128) int, [new pitch, old pitch]: the :data:`SPANS` index of the interval two
pitches sound."""


def consonant_with(
    sounding: np.ndarray, intervals: np.ndarray, wide: np.ndarray | None = None
) -> np.ndarray:
    """(rows, 128) bool: the pitches that make with every pitch of ``sounding`` ((rows, 128)
    bool) one of the loop's ``intervals`` (:func:`intervals_of`): a chord's changed voice
    clashes with none of the notes it sounds with where the loop's chords have no clash.
    And, given ``wide`` ((128, 128) bool, [new pitch, old pitch]: :func:`wide_enough`), an
    interval wide enough for its register."""
    return clear_with(sounding, interval_pairs(intervals, wide))


def interval_pairs(intervals: np.ndarray, wide: np.ndarray | None = None) -> np.ndarray:
    """(128, 128) bool, [new pitch, old pitch]: whether two pitches sound one of the loop's
    ``intervals``, as wide as ``wide`` has it there (:func:`consonant_with`'s table; a caller
    that asks note after note, ``takes.Turns``, works it out once per request)."""
    return intervals[PAIR_SPANS] if wide is None else intervals[PAIR_SPANS] & wide


LOW_LIMITS = np.array([0, 52, 51, 48, 46, 46, 47, 34, 43, 41, 41, 41])
"""The lowest pitch (MIDI) of the lower note of each interval within an octave (0-11
semitones) that a piano or pad voicing sounds clearly, the arranger's low interval limits:
a minor second from E3, a major second from Eb3, a minor third from C3, a major third and a
fourth from Bb2, a tritone from B2, a fifth from Bb1, a minor sixth from G2, a major sixth
and either seventh from F2; an interval an octave wider an octave lower (a ninth from
E2), a unison or an octave anywhere. Lower, the two notes blur into one muddy sound."""


def low_limit(semitones: np.ndarray) -> np.ndarray:
    """The lowest pitch of the lower note of intervals (``semitones``, 0 or more) that is
    clear (:data:`LOW_LIMITS`): an octave wider, an octave lower; an octave, anywhere."""
    apart = np.asarray(semitones)
    limit = LOW_LIMITS[apart % 12] - 12 * (apart // 12)
    return np.where(apart % 12 == 0, 0, limit)


def narrowest_by_register(onsets: np.ndarray, ends: np.ndarray, pitches: np.ndarray) -> np.ndarray:
    """(128,) int: for each pitch, the narrowest interval (semitones) that a loop (its notes
    from ``onsets`` to ``ends``, ticks) sounds between two of its notes whose lower note is
    at or below it; 128 where none is. A neo-soul left hand's root and seventh (C2 B2) under
    its right hand's thirds from E3: nothing narrower than a seventh above C2, a fourth from
    B2, a third from E3."""
    out = np.full(128, 128, dtype=np.int64)
    for at in np.unique(onsets):
        sounding = np.unique(pitches[(onsets <= at) & (ends > at)])
        for low, high in zip(sounding[:-1], sounding[1:], strict=True):
            out[low] = min(out[low], high - low)
    return np.minimum.accumulate(out)


def wide_enough(narrowest: np.ndarray) -> np.ndarray:
    """(128, 128) bool, [new pitch, old pitch]: whether two pitches sound an interval the
    loop's voicing has at the lower one's register: no narrower than the loop's narrowest
    there (``narrowest``, :func:`narrowest_by_register`), or below every interval of the
    loop's, no narrower than is clear there (:func:`low_limit`). Let any interval the loop
    uses anywhere, a neo-soul loop's turned voices put a third under its right hand's (C2 E2
    B2 G3 D4 for C2 B2 E3 G3 D4, D2 F2 A3 C4 E4: 12 of 16 takes), a lo-fi loop's a second
    (C3 D3 E3 B3 G4: 8 of 16, helper-112); held to it, a turn keeps the clip's spread: its
    left hand's root alone under a seventh."""
    at = np.arange(128)
    lower = np.minimum.outer(at, at)
    apart = np.abs(np.subtract.outer(at, at))
    clip = narrowest[lower]
    return (apart == 0) | np.where(clip < 128, apart >= clip, lower >= low_limit(apart))


CLEAR = np.minimum.outer(np.arange(128), np.arange(128)) >= low_limit(
    np.abs(np.subtract.outer(np.arange(128), np.arange(128)))
)
"""(128, 128) bool, [new pitch, old pitch]: whether two pitches sound an interval clear at
the lower one's register (:func:`low_limit`): of a turned voice where none of the loop's
intervals is left, with no semitone (:data:`NOT_HARSH`)."""


def clear_pairs(intervals: np.ndarray, wide: np.ndarray) -> np.ndarray:
    """(128, 128) bool, [new pitch, old pitch]: whether two pitches sound clear of a semitone
    the loop lacks and of a muddy interval: one of the loop's ``intervals`` as wide as its
    voicing has it there (``wide``, :func:`wide_enough`), or no semitone (:data:`NOT_HARSH`)
    clear at its register (:data:`CLEAR`). Pair by pair: a neo-soul Dm9's turned E4, a major
    seventh over its F3 as the loop has it and a second under a D4 still sounding, is clear;
    read as all the loop's or all not harsh, it was not, and its turn fell to E3, a semitone
    under the F3 (helper-187's takes)."""
    return (intervals[PAIR_SPANS] & wide) | (NOT_HARSH[PAIR_SPANS] & CLEAR)


def clear_with(sounding: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """(rows, 128) bool: the pitches clear (``pairs``, :func:`clear_pairs`) with every pitch
    of ``sounding`` ((rows, 128) bool): those whose every column of a sounding pitch holds."""
    out = np.ones((len(sounding), pairs.shape[0]), dtype=bool)
    for row, held in enumerate(sounding):
        pitches = held.nonzero()[0]
        if len(pitches):
            out[row] = pairs[:, pitches].all(axis=1)
    return out
