"""Where a loop strikes chords (``segue.model.takes``): which of its places strike two notes
or more, its grace notes aside (:func:`chord_places`), and the bass of each chord it strikes
(:func:`basses_of`)."""

from __future__ import annotations

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.voices import ORNAMENT


def basses_of(onsets: np.ndarray, pitches: np.ndarray) -> dict[int, int]:
    """The bass of each chord a loop strikes (its notes at ``onsets``, ticks, of ``pitches``):
    by place, the lowest of two or more pitches struck there. In a line (a broken-chord left
    hand under the right hand's chords, read as notes one by one: ``CHORDAL``) as in a chord
    loop, a turn keeps it: a ballad's turns put C3 under its F chord for F2 (F/C), or G3
    (9 of 16 takes, 11 of 128 downbeats, helper-112)."""
    out: dict[int, int] = {}
    for place in np.unique(onsets).tolist():
        struck = np.unique(pitches[onsets == place])
        if len(struck) > 1:
            out[int(place)] = int(struck[0])
    return out


def chord_places(onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(places,) bool, for each distinct onset (ticks, in order) of a loop's notes: whether it
    strikes a chord, two notes or more but its grace notes (shorter than
    ``voices.ORNAMENT``, at most half the place's longest note). A lead whose every note has
    a grace a tick before it (heard on the note's tick) strikes a grace and its note
    together, no chord, and its takes turned half a bar of them as stabs (``turn_kinds.STABS``),
    the graces lost where a take turned its note."""
    places, at = np.unique(np.asarray(onsets, dtype=np.int64), return_inverse=True)
    lengths = np.asarray(lengths, dtype=np.float64)
    longest = np.zeros(len(places))
    np.maximum.at(longest, at, lengths)
    grace = (lengths < ORNAMENT * TICKS_PER_BEAT) & (2 * lengths <= longest[at])
    return np.bincount(at[~grace], minlength=len(places)) > 1
