"""A part's pulse at ``--memory 0``: a part struck at one steady gap keeps striking at it.

A walking bass strikes every beat, a waltz's bass and its two chords strike every beat, an
arp every 16th: the steady gap between strikes is the part, as much as its register. Above
memory 0 the loop keeps it (at 0.5 a walking bass's takes were 16 quarters in 32 of 32),
but at 0 there is no loop, and the network's rhythm is its material's: a walking bass came
back with a D2 held 3.58 beats and a bar of 8ths (16 quarters in 4 of 32 takes), a waltz
with block triads on every beat, no bass alone on its downbeat (0 of 128 bars), its chords
held over the bar line and 11 of 32 takes without a note under C3 for a clip down to C2
(helper-185). The network's notes are new notes, not a new groove: at memory 0 a part whose
every strike is the same gap from the next, round its loop, a beat or less
(:class:`Pulse`), strikes its next note at its next tick on that pulse, or with the note it
has just struck as long as the clip strikes no more notes at that place in the bar
(:meth:`Pulse.onsets`): a chord is as big as the clip's there, a bass note alone where the
clip's is alone. A part of two roles, a note alone at some places of the bar and chords
at the others, every lone note under every chord note (a waltz's oom-pah-pah, a stride's
bass and chords), keeps each to its register: the lone notes under the chords' lowest
note, the chords from it up (:meth:`Pulse.registered`). What is struck there stays the
network's, held no longer than the clip's longest note (:attr:`Pulse.most`: a waltz's
chord rang over the bar line, and power chords of 8ths the network held on left no root
free in their register at the next 8th, so a root fell two octaves), and as the part's
articulation says (``segue.model.articulation``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEWEST = 4
"""The fewest strikes in a clip's loop that say its pulse: fewer leave the rhythm free."""


@dataclass(frozen=True)
class Pulse:
    """A part's pulse: a strike every ``step`` ticks, at ``phase`` ticks past a multiple of
    it; per place of the bar (``bar`` ticks: ``bar // step`` places), the most notes the clip
    strikes there (``sizes``) and the register its notes keep there (``low``, ``high``); and
    the clip's longest note (``most``, ticks), the longest the network's notes ring."""

    step: int
    phase: int
    bar: int
    sizes: tuple[int, ...]
    low: tuple[int, ...]
    high: tuple[int, ...]
    most: int

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, bar: int, beat: int) -> Pulse | None:
        """The pulse of a clip's ``rows`` (onset, pitch, duration, ... ticks, looping every
        ``clip_end``; ``bar`` and ``beat``: ticks); None for a clip of fewer than
        :data:`FEWEST` strikes, or whose strikes are not all the same gap apart, a ``beat``
        or less, a whole number of them to a bar."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        if clip_end <= 0 or bar <= 0:
            return None
        starts, where, size = np.unique(rows[:, 0], return_inverse=True, return_counts=True)
        if len(starts) < FEWEST:
            return None
        gaps = np.diff(np.append(starts, starts[0] + clip_end))
        step = int(gaps[0])
        if not (gaps == step).all() or step > beat or step <= 0 or bar % step:
            return None
        phase = int(starts[0] % step)
        places = bar // step
        place = ((starts % bar) - phase) // step
        sizes = np.zeros(places, dtype=np.int64)
        np.maximum.at(sizes, place, size)
        alone = np.ones(places, dtype=bool)  # every strike there one note
        chord = np.ones(places, dtype=bool)  # every strike there two or more
        np.logical_and.at(alone, place, size == 1)
        np.logical_and.at(chord, place, size > 1)
        low, high = [0] * places, [127] * places
        at = place[where.ravel()]  # each row's place
        lone, chorded = alone[at] & (sizes[at] > 0), chord[at] & (sizes[at] > 0)
        if lone.any() and chorded.any():
            split = int(rows[chorded, 1].min())
            if int(rows[lone, 1].max()) < split:  # two roles: a bass under the chords
                bottom = max(min(int(rows[lone, 1].min()), split - 12), 0)
                for p in range(places):
                    if alone[p] and sizes[p]:
                        low[p], high[p] = bottom, split - 1
                    elif chord[p] and sizes[p]:
                        low[p] = split
        most = int(rows[:, 2].max())
        return cls(step, phase, bar, tuple(sizes.tolist()), tuple(low), tuple(high), most)

    def place(self, ticks: np.ndarray) -> np.ndarray:
        """The place in the bar of each of ``ticks`` on the pulse; -1 off it."""
        ticks = np.asarray(ticks, dtype=np.int64)
        inside = ticks % self.bar - self.phase
        on = (inside >= 0) & (inside % self.step == 0)
        return np.where(on, inside // self.step, -1)

    def next_tick(self, after: np.ndarray) -> np.ndarray:
        """The first tick on the pulse later than each of ``after``."""
        after = np.asarray(after, dtype=np.int64)
        return after + self.step - (after - self.phase) % self.step

    def onsets(
        self,
        allowed: np.ndarray | None,
        onsets: np.ndarray,
        last: np.ndarray,
        struck: np.ndarray,
        first: np.ndarray,
        clip_end: int,
    ) -> np.ndarray | None:
        """``allowed`` (rows, offsets; None: any) narrowed, in each row where it leaves an
        onset, to the next tick on the pulse after the row's ``last`` onset (a row's
        ``first`` note: the first from ``clip_end`` on), and to ``last`` itself where the
        notes ``struck`` there (rows,) are fewer than the clip strikes at that place;
        ``onsets`` (rows, offsets): ticks."""
        sizes = np.asarray(self.sizes, dtype=np.int64)
        place = self.place(last)
        room = (place >= 0) & (struck < sizes[np.maximum(place, 0)]) & ~first
        ahead = self.next_tick(last)
        ahead = np.where(first, np.maximum(ahead, self.next_tick(np.asarray(clip_end - 1))), ahead)
        kept = (onsets == ahead[:, None]) | (room[:, None] & (onsets == last[:, None]))
        if allowed is not None:
            kept &= allowed
        some = kept.any(axis=1, keepdims=True)
        if allowed is None:
            return np.where(some, kept, True)
        return np.where(some, kept, allowed)

    def registered(self, allowed: np.ndarray, rows: np.ndarray, onset: np.ndarray) -> None:
        """``allowed`` ((rows, 128) bool) of the ``rows`` narrowed to the register of the
        place of each ``onset`` (ticks) on the pulse, where that leaves a pitch."""
        place = self.place(onset)
        low = np.asarray(self.low)[np.maximum(place, 0)]
        high = np.asarray(self.high)[np.maximum(place, 0)]
        pitch = np.arange(allowed.shape[1])
        register = (pitch[None] >= low[:, None]) & (pitch[None] <= high[:, None])
        inside = allowed & register
        narrowed = np.asarray(rows, dtype=bool) & (place >= 0) & inside.any(axis=1)
        allowed[narrowed] = inside[narrowed]
