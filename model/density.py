"""A part's density: below ``--memory`` 1 a take strikes no more often than its clip.

Turning ``--memory`` down asks for fewer of the clip's notes, not a busier part, yet the
network's stock rhythm is its material's: at memory 0 a staccato bass on 1, 2, the and of
2, 3, 4 and the and of 4 came back on every 8th (6.9 strikes a bar for its 6), the network
99% sure of an 8th after each beat; the rhythm lean (``segue.model.rhythm_lean``) keeps
those odds, for an 8th is a gap the clip plays too. A strike the network drew where the
clip never strikes, in a loop's length of the take busier than the clip's loop, is left out
(:meth:`Density.thinned`), the earliest first, where that leaves no silence longer than the
clip's longest: no strike moves, and no hole opens.

The articulation strikes again where the network's note rings into a gap (a stab plucked
again on the clip's ticks, a pulse restruck): at memory 0 a stab of 3 strikes a bar came
back with 4.5, thinned to the clip's count and plucked back up. :meth:`Density.settled`
judges a take as played: a strike is left out where the take as played then strikes less
often, with no longer silence (a legato 808 bass's note held over it, a stab plucked on
the clip's own tick instead of the network's off one). Where no strike can go so (each
gap a strike leaves is plucked again on the clip's ticks), the loop's strikes off the
clip's ticks move to its nearest (:meth:`Density.snapped`; else the take's): an off-beat
bass the network drew on the beat came back with 5 strikes a bar for its 4, on the beat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Played = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""A take's rows and which the network drew -> the rows as played (its articulation)."""


@dataclass(frozen=True)
class Density:
    """Where the clip strikes in its loop (``places``: ticks from its start), the loop's
    length (``loop``, ticks) and its longest silence (``rest``, ticks)."""

    places: frozenset[int]
    loop: int
    rest: int

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, rest: int) -> Density | None:
        """The clip's (``rows``: onset, pitch, duration, ... ticks, looping every
        ``clip_end``; ``rest``: its longest silence); None without a note."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        if not len(rows) or clip_end <= 0:
            return None
        loop = max(int(clip_end), int(rows[:, 0].max()) + 1)
        return cls(frozenset(int(t) % loop for t in rows[:, 0]), loop, int(rest))

    def thinned(
        self, rows: np.ndarray, drawn: np.ndarray, end: int | None, hold: int = 0
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` (onset, pitch, length, ... ticks) and which the network
        ``drawn``, less the strikes (every note at an onset, all drawn) at a tick the clip
        never strikes at (:attr:`places`, round its :attr:`loop`) in each loop's length of
        the take with more strikes than the clip's loop, earliest first, as long as the
        silence left, from the notes before to the next strike (or ``end``), is no longer
        than :attr:`rest`: judged with each drawn note before held ``hold`` ticks (the
        clip's longest note, where the articulation holds a pulsing part's drawn note on
        over a silence, ``Articulation.refilled``) where it is shorter. A pulsing riff in
        16ths, its longest silence 2 ticks, kept every strike the network drew at memory 0
        (13.25 a bar for its 7) because a dropped 16th left its 16th before a longer gap."""
        rows, drawn = _in_time(rows, drawn)
        if not len(rows):
            return rows, drawn
        starts, first, size = np.unique(rows[:, 0], return_index=True, return_counts=True)
        window = starts // self.loop
        count = dict(zip(*np.unique(window, return_counts=True), strict=True))
        budget = len(self.places)
        keep = np.ones(len(rows), dtype=bool)
        ends = rows[:, 0] + np.where(drawn, np.maximum(rows[:, 2], hold), rows[:, 2])
        sounding = None  # the latest end of the notes kept so far
        bounds = [*starts[1:].tolist(), end]  # the later strikes all stay, as yet
        for k, (s, bound) in enumerate(zip(starts.tolist(), bounds, strict=True)):
            at = slice(int(first[k]), int(first[k] + size[k]))
            w = int(window[k])
            drop = count[w] > budget and s % self.loop not in self.places
            drop &= bool(drawn[at].all()) and bound is not None and sounding is not None
            if drop and bound - sounding <= self.rest:
                keep[at] = False
                count[w] -= 1
                continue
            top = int(ends[at].max())
            sounding = top if sounding is None else max(sounding, top)
        return rows[keep], drawn[keep]

    def settled(
        self,
        rows: np.ndarray,
        drawn: np.ndarray,
        end: int | None,
        played: Played,
        holds: tuple[int, ...] = (0,),
        start: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` and which the network ``drawn`` (as :meth:`thinned`), less the
        strikes (every note at an onset, all drawn) at a tick the clip never strikes at, in
        each loop's length that, as ``played`` (the articulation: notes held, plucked or
        struck again on the clip's ticks), strikes more often than the clip's loop: the
        earliest whose leaving out (else the earliest two neighbours', the clip's pluck
        coming between them) leaves the take as played fewer strikes past the clip's count
        in its loops and no more silence past the clip's longest (:attr:`rest`), again
        while one is left out. The drawn notes before a strike left out are held each of
        ``holds`` ticks in turn where shorter, up to the next strike, till one does: a
        staccato bass's 8th drawn 4 ticks for the clip's 5 left 20 silent for its 19 (held
        as the clip's shortest pluck it leaves 19), and a stab's quarter before a bar's
        gap rang 0.4 of it, no pluck and a hole (held on to the next, the articulation
        plucks it again on the clip's ticks). The silence from the take's ``start`` to its
        first strike counts too: a bass's first drawn 8th, off the clip's ticks, went and
        left the take's first 1.5 beats silent for the clip's 0.58."""
        rows, drawn = _in_time(rows, drawn)
        if not len(rows):
            return rows, drawn
        heard = played(rows, drawn)
        over = self._over(heard)
        for w in np.unique(rows[:, 0] // self.loop).tolist():
            while self._count(heard, w) > len(self.places):
                starts = rows[rows[:, 0] // self.loop == w, 0]
                ours = [
                    t
                    for t in np.unique(starts).tolist()
                    if t % self.loop not in self.places and drawn[rows[:, 0] == t].all()
                ]
                # one strike, else two neighbours (the clip's pluck coming between them),
                # else every one (the refill strikes the clip's own ticks in their place)
                tries = [[t] for t in ours] + [
                    list(p) for p in zip(ours[:-1], ours[1:], strict=True)
                ]
                tries += [ours] if len(ours) > 2 else []
                silent = self._excess(heard, end, start)
                for group, hold in ((g, h) for g in tries for h in holds):
                    at = np.isin(rows[:, 0], group)
                    kept = self._held(rows[~at], drawn[~at], group, end, hold)
                    trial = played(kept, drawn[~at])
                    fewer = self._over(trial)
                    if fewer < over and self._excess(trial, end, start) <= silent:
                        rows, drawn, heard, over = kept, drawn[~at], trial, fewer
                        break
                else:
                    # none left out alone: the loop's strikes moved to the clip's nearest
                    # ticks (an off-beat bass the network drew on the beat), else the take's
                    for reach in ([w], None):
                        moved, kept = self.snapped(rows, drawn, reach, end, start)
                        trial = played(moved, kept)
                        fewer = self._over(trial)
                        if fewer < over and self._excess(trial, end, start) <= silent:
                            rows, drawn, heard, over = moved, kept, trial, fewer
                            break
                    else:
                        break
        return rows, drawn

    def snapped(
        self,
        rows: np.ndarray,
        drawn: np.ndarray,
        windows: list[int] | None,
        end: int | None,
        start: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """A take's ``rows`` (time order) and which the network ``drawn``, each strike (every
        note at an onset, all drawn) at a tick the clip never strikes at, in the loop's
        lengths ``windows`` (None: every one), moved to the clip's nearest tick
        (:attr:`places`, round its :attr:`loop`; the later of two as near), held no further
        than the next strike (or ``end``), never to ``end`` or past it nor before the take's
        ``start``; one landing where another strikes (one that stays, else the earlier
        moved) is left out: no strike passes another."""
        rows = np.array(rows, copy=True)
        if not len(rows):
            return rows, drawn
        starts = np.unique(rows[:, 0])
        places = np.sort(np.asarray(list(self.places), dtype=np.int64))
        near = np.concatenate([places - self.loop, places, places + self.loop])
        to = starts.copy()
        for k, t in enumerate(starts.tolist()):
            here = rows[:, 0] == t
            inside = windows is None or t // self.loop in windows
            if t % self.loop in self.places or not inside or not drawn[here].all():
                continue
            into = t - t % self.loop + near
            into = into[(into < (end if end is not None else into.max() + 1))]
            into = into[into >= (start if start is not None else into.min(initial=0))]
            if not len(into):
                continue
            off = np.abs(into - t)
            to[k] = int(into[np.flatnonzero(off == off.min())[-1]])
        # where two land on one tick, the one already there (else the earlier) strikes
        stays = to == starts
        order = np.lexsort((starts, ~stays, to))
        first = np.zeros(len(starts), dtype=bool)
        first[order[np.append(True, np.diff(to[order]) != 0)]] = True
        first &= np.append(True, np.diff(to) > 0) | stays  # no strike passes another
        where = np.searchsorted(starts, rows[:, 0])
        keep, moved = first[where], ~stays[where]
        rows[:, 0] = to[where]
        rows, drawn, moved = rows[keep], np.asarray(drawn, dtype=bool)[keep], moved[keep]
        order = np.argsort(rows[:, 0], kind="stable")
        rows, drawn, moved = rows[order], drawn[order], moved[order]
        after = np.unique(rows[:, 0])
        bound = np.append(after[1:], -1 if end is None else max(int(end), int(after[-1]) + 1))
        room = bound[np.searchsorted(after, rows[:, 0])] - rows[:, 0]
        rows[:, 2] = np.where(moved & (room > 0), np.minimum(rows[:, 2], room), rows[:, 2])
        return rows, drawn

    @staticmethod
    def _held(
        rows: np.ndarray, drawn: np.ndarray, gone: list[int], end: int | None, hold: int
    ) -> np.ndarray:
        """``rows`` (time order) with the ``drawn`` notes of the strike before each tick
        ``gone`` held ``hold`` ticks where shorter, no further than the next strike (or
        ``end``)."""
        rows = np.array(rows, copy=True)
        if hold <= 0 or not len(rows):
            return rows
        starts = np.unique(rows[:, 0])
        for t in gone:
            k = int(np.searchsorted(starts, t)) - 1
            if k < 0:
                continue
            bound = int(starts[k + 1]) if k + 1 < len(starts) else end
            most = hold if bound is None else min(hold, bound - int(starts[k]))
            at = (rows[:, 0] == starts[k]) & drawn
            rows[at, 2] = np.maximum(rows[at, 2], most)
        return rows

    def _count(self, rows: np.ndarray, window: int) -> int:
        """How many strikes ``rows`` has in its ``window``-th loop's length."""
        starts = np.unique(np.asarray(rows)[:, 0]) if len(rows) else np.zeros(0, np.int64)
        return int(np.count_nonzero(starts // self.loop == window))

    def _over(self, rows: np.ndarray) -> int:
        """How many strikes ``rows`` has past the clip's count, loop by loop, all told."""
        if not len(rows):
            return 0
        windows = np.unique(np.asarray(rows)[:, 0]) // self.loop
        counts = np.unique(windows, return_counts=True)[1]
        return int(np.maximum(counts - len(self.places), 0).sum())

    def _excess(self, rows: np.ndarray, end: int | None, start: int | None = None) -> int:
        """The ticks of silence past :attr:`rest` in ``rows`` (nothing sounding between a
        strike and the next, or ``end``; from ``start`` to the first), all told."""
        if not len(rows):
            return 0
        lead = 0 if start is None else max(int(np.min(rows[:, 0])) - start - self.rest, 0)
        rows = np.asarray(rows)
        order = np.argsort(rows[:, 0], kind="stable")
        onsets, ends = rows[order, 0], np.maximum.accumulate(rows[order, 0] + rows[order, 2])
        nexts = np.append(onsets[1:], onsets[-1] if end is None else max(end, onsets[-1]))
        return lead + int(np.maximum(nexts - ends - self.rest, 0).sum())


def _in_time(rows: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A take's ``rows`` (onset, pitch, length, ... ticks) and which the network ``drawn``,
    in time order (stable: notes struck together keep theirs)."""
    rows = np.asarray(rows)
    drawn = np.asarray(drawn, dtype=bool)
    order = np.argsort(rows[:, 0], kind="stable") if len(rows) else np.zeros(0, np.int64)
    return rows[order], drawn[order]
