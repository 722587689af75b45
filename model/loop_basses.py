"""The basses a loop's takes keep (:class:`LoopBasses`): every chord's bass
(``loop_chords.basses_of``), a low line's broken chords' basses and the places that strike
them alone (a left hand's downbeat: ``broken_chords.broken_basses``), a bass line's roots on
its bars' downbeats (``broken_chords.bar_roots``) and an oom-pah's bass struck alone under its
chord (``broken_chords.chord_basses``). Read of the loop alone: it draws nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from segue.model.broken_chords import bar_roots, broken_basses, chord_basses
from segue.model.loop_chords import basses_of
from segue.model.loop_reading import LoopReading
from segue.model.tonic_votes import BASS_BELOW


@dataclass
class LoopBasses:
    """A loop's basses by place (ticks into the loop): ``basses``, the bass under each
    (``TurnedVoicings.bass_of``), ``lone``, the places that strike their bass alone (no take's
    turn: ``ChordVoicings.fits``), and ``floor``, the bass a low line's notes after its broken
    chord's bass stay over (``TurnedVoicings.voicing``), of a loop ``shift`` ticks long whose
    clip ends at ``clip_end`` (ticks)."""

    shift: int
    clip_end: int
    basses: dict[int, int]
    lone: set[int] = field(default_factory=set)
    floor: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, read: LoopReading, moved: int, pulse: int) -> LoopBasses:
        """The ``read`` loop's basses. ``moved``: how far (semitones) the clip's pitches lie
        from where the musician played them (a left hand's register is the musician's);
        ``pulse``: the meter's beat (ticks; a dotted quarter in 6/8), where an oom-pah strikes
        its basses."""
        out = cls(read.shift, read.clip_end, basses_of(read.onsets, read.pitches))
        if read.intervals is None and len(read.onsets) and read.shape is None:
            out._broken(read, moved)  # a shape's root line is the shape's (segue.model.shapes)
        if read.shape is None:  # an oom-pah's bass, struck alone under its chord
            for at, bass in chord_basses(
                read.onsets, read.pitches, read.bar, read.shift, moved, pulse
            ).items():
                out.basses.setdefault(at, bass)
                out.lone.add(at)
        return out

    def lone_bass(self, onsets: np.ndarray) -> np.ndarray:
        """(rows,) the bass the loop strikes alone at the place each of ``onsets`` (ticks)
        repeats (a left hand's downbeat, an oom-pah's 1), else -1."""
        place = (np.asarray(onsets, dtype=np.int64) - self.clip_end) % self.shift
        if not self.lone:  # most loops: none
            return np.full(len(place), -1, dtype=np.int64)
        return np.array(
            [self.basses[p] if p in self.lone else -1 for p in place.tolist()], dtype=np.int64
        )

    def _broken(self, read: LoopReading, moved: int) -> None:
        """A low line's broken chords' basses (``broken_chords.broken_basses`` of its notes,
        ``moved`` from where the musician played them): each a bass a turn keeps
        (``TurnedVoicings.bass_of``), which the notes after it in its span stay over
        (``TurnedVoicings.voicing``); a place that strikes its bass alone is no take's turn
        (``ChordVoicings.fits``): it would turn nothing. A take's turn moved
        a broken left hand's downbeat to another note of its chord (D3 or B2 for the G
        chord's G2: 60 of 512 downbeats of helper-114's broken_lh, rng seeds 1-8, 4 takes of
        16 bars), the bar heard in inversion; a left hand of root, fifth and octave, two
        fifths a bar (C2 G2 C3 G2, G2 D3 G3 D3), outlined no triad, and its takes moved 112
        of 1024 of its basses. A bass line that strikes a note alone on every bar's downbeat
        keeps those notes, its roots (``broken_chords.bar_roots``), and turns the notes after
        them: a root-fifth bass in half notes (Am F C G) had a take turn a root in 16 of 32
        takes (rng seeds 1-8, 4 bars), the bar then heard over another chord."""
        loop, pitches, shift = read.onsets, read.pitches, read.shift
        places = np.unique(loop)
        for at, (bass, end) in broken_basses(loop, pitches, read.bar, shift, moved).items():
            self.basses.setdefault(at, bass)
            if len(np.unique(pitches[loop == at])) == 1:
                self.lone.add(at)
            inside = ((places >= at) & (places < end)) | (places < end - shift)
            for place in places[inside].tolist():
                self.floor[int(place)] = bass
        # a bass line's roots on its bars' downbeats: the notes after them turn, they stay
        for at, root in bar_roots(loop, pitches - moved, read.bar, shift, BASS_BELOW).items():
            self.basses.setdefault(at, root + moved)
            self.lone.add(at)
