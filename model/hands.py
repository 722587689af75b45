"""A keys part's two hands: a left hand that sounds under everything the right hand plays.

A keyboard player's part is often two parts at once: the left hand holds a bass note or
a low fifth under each chord, the right hand plays the chords (or the line) an octave and
more above, at its own level. What the network plays itself (at ``--memory 0`` every
note: no loop, no clip memory) it voices in one register, the register of most chord
parts it learnt from: a two-handed part came back with its right hand alone (14 of 32
takes without a note in the left hand's register), and struck on the downbeat alone, at
the downbeat's one velocity (22 of 32 takes at one velocity, helper-87). Less memory
asks for other notes, not for another instrument: a take keeps the part's hands
(:func:`hands_of`). Where the left hand has stopped, the network's next onset begins with
a note of the left hand's register (:meth:`Hands.left_first`: a chord is played from
its lowest note up), and each hand's notes get the clip's accents of that hand
(``segue.model.accents``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HANDS_APART = 13
"""The fewest semitones between the left hand's highest pitch and the right hand's lowest
that make a part two hands: more than an octave, the widest step between neighbouring
notes of one voicing (a left hand's octave, a pad's open triad, C3 G3 E4, steps a sixth),
so a pad whose lowest voice moves with its chords is one part, its voices free."""


@dataclass(frozen=True)
class Hands:
    """The two hands of a part: the left hand plays ``low`` to ``high``, the right hand from
    ``split`` up."""

    low: int
    high: int
    split: int

    def left(self, pitches: np.ndarray) -> np.ndarray:
        """Whether ``pitches`` are the left hand's (below the right hand's lowest)."""
        return np.asarray(pitches) < self.split

    def left_first(
        self,
        allowed: np.ndarray,
        rows: np.ndarray,
        onsets: np.ndarray,
        pitch_end: np.ndarray,
        struck: np.ndarray,
    ) -> None:
        """``allowed`` ((rows, 128) bool) of the ``rows`` narrowed to the left hand's register
        where a row strikes the first note of its onset (``onsets``: nothing ``struck`` there
        yet, (rows, 128) bool) and no note of the left hand's sounds there (``pitch_end``:
        where each row's pitches stop sounding, ticks), while the register leaves a pitch."""
        sounding = (pitch_end[:, : self.split] > onsets[:, None]).any(axis=1)
        first = rows & ~sounding & ~struck.any(axis=1)
        register = np.zeros(allowed.shape[1], dtype=bool)
        register[self.low : self.high + 1] = True
        inside = allowed & register[None]
        narrowed = first & inside.any(axis=1)
        allowed[narrowed] = inside[narrowed]


def hands_of(rows: np.ndarray) -> Hands | None:
    """The hands of a clip's grid rows (onset, pitch, duration, ...): its pitches split
    where the widest step between neighbouring pitches is :data:`HANDS_APART` or more, and
    the notes below the step sound at every onset of the clip (struck there or held from
    before: a left hand held under the right hand's chords, or a bass). None for one hand
    (a pad of triads, a line) or a low part that sometimes rests."""
    if not len(rows):
        return None
    distinct = np.unique(rows[:, 1])
    if len(distinct) < 2:
        return None
    steps = np.diff(distinct)
    widest = int(np.argmax(steps))
    if steps[widest] < HANDS_APART:
        return None
    split = int(distinct[widest + 1])
    low = rows[rows[:, 1] < split]
    for at in np.unique(rows[:, 0]).tolist():
        if not ((low[:, 0] <= at) & (low[:, 0] + low[:, 2] > at)).any():
            return None
    return Hands(int(distinct[0]), int(distinct[widest]), split)
