"""A part's density: below ``--memory`` 1 a take strikes no more often than its clip.

Turning ``--memory`` down asks for fewer of the clip's notes, not a busier part, yet the
network's stock rhythm is its material's: at memory 0 a staccato bass on 1, 2, the and of
2, 3, 4 and the and of 4 came back on every 8th (6.9 strikes a bar for its 6), the network
99% sure of an 8th after each beat; the rhythm lean (``segue.model.rhythm_lean``) keeps
those odds, for an 8th is a gap the clip plays too. A strike the network drew where the
clip never strikes, in a loop's length of the take busier than the clip's loop, is left out
(:meth:`Density.thinned`), the earliest first, where that leaves no silence longer than the
clip's longest: no strike moves, and no hole opens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
        rows = np.asarray(rows)
        drawn = np.asarray(drawn, dtype=bool)
        if not len(rows):
            return rows, drawn
        order = np.argsort(rows[:, 0], kind="stable")
        rows, drawn = rows[order], drawn[order]
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
