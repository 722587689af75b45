"""The pitch classes a varied note of a loop keeps to at each place (:meth:`LoopClasses.at`):
a chord loop's own, a line's key, both those of the run of bars of the loop where it lies
where the loop changes key, and of a line the notes out of its key at the places where the
loop plays them. A record of what a clip's takes (``takes.Turns``) read of the loop once,
which they and the voicings of its chords (``chord_voicings.ChordVoicings``) ask."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LoopClasses:
    """A loop's classes by place: ``classes`` ((12,) bool: the loop's, or None where it has
    none), ``bar_classes`` ((bars, 12) bool: each bar's, its key's where the loop changes
    key) and ``passing`` (of a line, the classes out of its scale it plays at each place,
    ticks into the loop), of a loop ``shift`` ticks long in bars of ``bar`` ticks, whose
    clip ends at ``clip_end`` (ticks)."""

    classes: np.ndarray | None
    bar_classes: np.ndarray
    passing: dict[int, np.ndarray]
    bar: int
    shift: int
    clip_end: int

    def at(self, onsets: np.ndarray) -> np.ndarray | None:
        """(rows, 12) bool: the pitch classes a varied note at each row's ``onsets`` (ticks)
        keeps to (:func:`turn_pitches`), or None where the loop has none: a chord loop's
        own, a line's key, both those of the run of bars of the loop where it lies where the
        loop changes key (a C-to-D-major loop's turn of its D chord played F natural, D
        minor, in 7 of 32 takes, helper-89); of a line, the notes out of its key (a funk
        bass's passing G# and D#) only at the places where the loop plays them (one put its
        G# on a downbeat, in place of the E, helper-89)."""
        if self.classes is None:
            return None
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        out = self.bar_classes[place // self.bar]
        for row, at in enumerate(place.tolist()):
            passing = self.passing.get(at)
            if passing is not None:
                out[row] |= passing
        return out
