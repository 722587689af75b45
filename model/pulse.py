"""A part's pulse at ``--memory 0``: a part struck at one steady gap keeps striking at it.

A walking bass strikes every beat, a waltz's bass and its two chords strike every beat, an
arp every 16th: the steady gap between strikes is the part, as much as its register. Above
memory 0 the loop keeps it (at 0.5 a walking bass's takes were 16 quarters in 32 of 32), but
at 0 there is no loop, and the network's rhythm is its material's: a walking bass came back
with a D2 held 3.58 beats and a bar of 8ths (16 quarters in 4 of 32 takes), a waltz with
block triads on every beat, no bass alone on its downbeat (0 of 128 bars), its chords held
over the bar line and 11 of 32 takes without a note under C3 for a clip down to C2
(helper-185). The network's notes are new notes, not a new groove: at memory 0 a part whose
strikes all lie on a pulse of a beat or less, on more than :data:`FILLED` of its ticks round
its loop, silent on the others (:class:`Pulse`), strikes its next note at its next tick on
that pulse, or with the note it has just struck as long as the clip strikes no more notes at
that place in the bar (:meth:`Pulse.onsets`): a chord is as big as the clip's there, a bass
note alone where the clip's is alone. A part of two roles, a note alone at some places of
the bar and chords at the others, every lone note under every chord note (a waltz's
oom-pah-pah, a stride's bass and chords), keeps each to its register: the lone notes under
the chords' lowest note, the chords from it up (:meth:`Pulse.registered`). What is struck
there stays the network's, held no longer than the clip's longest note (:attr:`Pulse.most`:
a waltz's chord rang over the bar line, and power chords of 8ths the network held on left no
root free in their register at the next 8th, so a root fell two octaves), and as the part's
articulation says (``segue.model.articulation``).

A rest is a tick of the pulse left silent (a line of 8ths and held quarters, a reel's, has
note values of its own, and keeps the network's), a swing each pair's second strike played
late: a bass of 8ths missing one 8th, a shuffle's 8ths (at 0 and 2/3 of the beat) or an arp
resting on each bar's last 16th had no pulse while only equal gaps made one, and at memory 0
the bass struck 5.4 notes a bar for its 7.75 with notes held up to 4 beats, the shuffle held
notes 1.8 beats for its 0.3 (helper-191). A swung pulse keeps its off-beats where the clip's
are heard (a shuffle's on the triplet's tick, which the clip's grid keeps open, not the
straight 8th's, which it closes); a place of the bar where a clip of whole bars never
strikes is a rest the pulse skips (a riff's rest on the and of 4, :attr:`Pulse.rests`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.feel import GROOVE_REACH

FEWEST = 4
"""The fewest strikes in a clip's loop that say its pulse: fewer leave the rhythm free."""
FILLED = 3 / 4
"""The share of its pulse's ticks round the loop that a part strikes more than, for the pulse
to be the part's: a bass of 8ths resting on one of a bar's eight strikes 7 of 8, an arp
resting on a bar's last 16th 15 of 16, a 3/4 bar of 8ths resting on its last 5 of 6. A
figure resting on a quarter of its ticks or more plays a rhythm of its own, not a pulse
(three 8ths and a rest, 6 of 8; a tresillo, 3 of 8; a dembow, 6 of 16; a syncopated stab)."""


@dataclass(frozen=True)
class Pulse:
    """A part's pulse: a strike every ``step`` ticks, at ``phase`` ticks past a multiple of
    it, each pair's second strike ``swing`` ticks late (a swung pulse's long-short); per
    place of the bar (``bar`` ticks: ``bar // step`` places), the most notes the clip
    strikes there (``sizes``) and the register its notes keep there (``low``, ``high``); the
    clip's longest note (``most``, ticks), the longest the network's notes ring; and the
    places of the bar where the clip, whole bars long, never strikes (``rests``: a riff's
    rest, which the pulse skips)."""

    step: int
    phase: int
    bar: int
    sizes: tuple[int, ...]
    low: tuple[int, ...]
    high: tuple[int, ...]
    most: int
    swing: int = 0
    rests: tuple[int, ...] = ()

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, bar: int, beat: int) -> Pulse | None:
        """The pulse of a clip's ``rows`` (onset, pitch, duration, ... ticks, looping every
        ``clip_end``; ``bar`` and ``beat``: ticks): the coarsest pulse of a ``beat`` or less,
        a whole number of them to a bar, on which every strike lies (:func:`_beat_of`), or
        its swung twin's; None for a clip of fewer than :data:`FEWEST` strikes, or that
        strikes no more than :data:`FILLED` of its pulse's ticks round the loop, or holds a
        note through a tick it leaves unstruck (a rest is a tick left silent)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        if clip_end <= 0 or bar <= 0:
            return None
        starts, where, size = np.unique(rows[:, 0], return_inverse=True, return_counts=True)
        if len(starts) < FEWEST:
            return None
        found = _beat_of(starts, clip_end, bar, beat)
        if found is None:
            return None
        step, phase, swing, place = found
        if clip_end % step:
            return None
        skipped = np.setdiff1d(np.arange(clip_end // step), place + starts // bar * (bar // step))
        if len(skipped) >= (1 - FILLED) * (clip_end // step):
            return None
        silent = phase + skipped * step + swing * (skipped % 2)  # each rest's tick
        since = (silent[:, None] - rows[None, :, 0]) % clip_end
        if ((since > 0) & (since < rows[None, :, 2])).any():  # a note held through it: a
            return None  # line of 8ths and quarters, its note values its own
        places = bar // step
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
        rests = tuple(np.flatnonzero(sizes == 0).tolist()) if clip_end % bar == 0 else ()
        return cls(
            step, phase, bar, tuple(sizes.tolist()), tuple(low), tuple(high), most, swing, rests
        )

    def ticks(self) -> np.ndarray:
        """Each place's tick in the bar (``bar // step``,)."""
        k = np.arange(self.bar // self.step)
        return (self.phase + k * self.step + self.swing * (k % 2)) % self.bar

    @cached_property
    def _places(self) -> np.ndarray:
        """Each tick of the bar's place on the pulse, -1 off it (``bar``,): read once."""
        places = np.full(self.bar, -1, dtype=np.int64)
        places[self.ticks()] = np.arange(self.bar // self.step)
        return places

    @cached_property
    def _struck(self) -> np.ndarray:
        """The ticks of the bar the pulse strikes, in order, past its rests: read once."""
        struck = np.ones(self.bar // self.step, dtype=bool)
        struck[list(self.rests)] = False
        return np.sort(self.ticks()[struck])

    def place(self, ticks: np.ndarray) -> np.ndarray:
        """The place in the bar of each of ``ticks`` on the pulse; -1 off it."""
        return self._places[np.asarray(ticks, dtype=np.int64) % self.bar]

    def next_tick(self, after: np.ndarray) -> np.ndarray:
        """The first tick on the pulse later than each of ``after``, past its rests."""
        after = np.asarray(after, dtype=np.int64)
        ticks = self._struck
        inside = after % self.bar
        index = np.searchsorted(ticks, inside, side="right")
        ahead = np.where(
            index < len(ticks), ticks[np.minimum(index, len(ticks) - 1)], self.bar + ticks[0]
        )
        return after - inside + ahead

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


def _beat_of(
    starts: np.ndarray, clip_end: int, bar: int, beat: int
) -> tuple[int, int, int, np.ndarray] | None:
    """The coarsest pulse of a ``beat`` or less, a whole number of them to a ``bar``, on
    which every one of ``starts`` (ticks, each a strike's) lies: its step, phase and swing,
    and each start's place in the bar; None where there is none. A rest is a tick of the
    pulse struck by none (a bass of 8ths missing one: the pulse is still 8ths). A swung
    pulse of 8ths or 16ths (each pair's second strike late by up to half a step, a swing
    of up to 75%) is its straight twin's, each off strike within
    :data:`segue.model.feel.GROOVE_REACH` of the swing most of them are played at (a
    shuffle's 8ths, heard at two thirds of the beat, a softer swing at 58%, a swing
    played in, its off-beats heard a tick or two apart)."""
    reach = GROOVE_REACH * beat / TICKS_PER_BEAT
    for step in range(beat, 0, -1):
        if bar % step:
            continue
        phase = int(starts[0] % step)
        if ((starts - phase) % step == 0).all():
            return step, phase, 0, (starts % bar - phase) // step
        pair = 2 * step
        if beat % pair or bar % pair or step < beat // 4:  # swung 8ths and 16ths only
            continue
        phase = int((starts % pair).min())  # the pairs' first strikes
        inside = (starts - phase) % pair
        late = inside[inside > 0] - step
        if phase >= step or not len(late) or (late <= 0).any() or (late > step // 2).any():
            continue
        values, counts = np.unique(late, return_counts=True)
        swing = int(values[np.argmax(counts)])
        if (np.abs(late - swing) > reach).any():
            continue
        place = 2 * ((starts % bar - phase) // pair) + (inside > 0)
        return step, phase, swing, place
    return None
