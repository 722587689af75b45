"""A part's articulation: how long its notes ring against the gap to its next strike.

A bass of 8ths plucked 0.2 beats long is staccato, a pad held to its next chord is legato;
that is what the part is, as its register is. Where ``--memory`` frees the clip's notes
(below 1: the loop and the clip memory repeat fewer of them), the network's own lengths are
its material's, not the clip's: at memory 0 a bass of 0.2-beat plucks came back with
0.38-0.46-beat notes. A note the network plays is held no longer, against the gap to its
take's next strike, than the clip's most legato note is, nor more than twice as long as
its longest note (:class:`Articulation`); shorter, as the network likes.

A strike's next is the next of at least as many notes: a chord's is the next chord, not a
passing note one voice plays under it (a chorale's chord held a beat over an eighth's
passing note keeps its beat).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HELD = 2.0
"""A note the network plays rings at most this many times the clip's longest note: a
0.2-beat pluck may come back 0.4 long, a chorale's quarter-note chord a half note at a
cadence, but a bass of plucks does not hold a whole note, nor a lead of calls ring through
the bar of rest after them."""


def strikes(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct onsets of ``rows`` (onset, pitch, duration, ... in ticks) in time order,
    at each its longest note's length and how many notes it strikes."""
    rows = np.asarray(rows)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    starts, where, size = np.unique(rows[:, 0], return_inverse=True, return_counts=True)
    longest = np.zeros(len(starts), dtype=np.int64)
    np.maximum.at(longest, where.ravel(), rows[:, 2].astype(np.int64))
    return starts.astype(np.int64), longest, size.astype(np.int64)


def next_strikes(starts: np.ndarray, size: np.ndarray, loop: int | None) -> np.ndarray:
    """For each strike (``starts`` in time order, ``size`` notes each), the tick of the next
    one of at least as many notes; the clip looping every ``loop`` ticks, round the loop
    (a strike no other matches: itself, a loop later); without ``loop``, -1 where none
    follows."""
    n = len(starts)
    ticks = starts.tolist() if loop is None else (starts.tolist() + (starts + loop).tolist())
    sizes = size.tolist() * (1 if loop is None else 2)
    found = [-1] * len(ticks)
    waiting: list[int] = []  # strikes still without their next, sizes falling
    for j, (tick, notes) in enumerate(zip(ticks, sizes, strict=True)):
        while waiting and sizes[waiting[-1]] <= notes:
            found[waiting.pop()] = tick
        waiting.append(j)
    out = np.asarray(found[:n], dtype=np.int64)
    if loop is not None:
        out = np.where(out < 0, starts + loop, out)
    return out


@dataclass(frozen=True)
class Articulation:
    """The clip's most legato strike (``ratio``: its longest note's length over the gap to
    its next strike) and its longest note (``longest``, ticks)."""

    ratio: float
    longest: int

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int) -> Articulation | None:
        """The clip's (``rows``: onset, pitch, duration, ... ticks), looping as Live loops
        it; None for a clip without notes or of no length."""
        starts, longest, size = strikes(rows)
        if not len(starts) or clip_end <= 0:
            return None
        gaps = next_strikes(starts, size, max(int(clip_end), int(starts[-1]) + 1)) - starts
        return cls(float((longest / np.maximum(gaps, 1)).max()), int(longest.max()))

    def applied(self, rows: np.ndarray, drawn: np.ndarray, end: int | None) -> np.ndarray:
        """A take's ``rows`` (onset, pitch, length, velocity in ticks, in the order played)
        with each ``drawn`` note (the network chose its length) held at most :attr:`ratio`
        times the gap to its strike's next (:func:`next_strikes`; where none follows, to
        ``end``, and without one no shorter for it) and at most :data:`HELD` times the
        clip's longest note, and at least a tick."""
        rows = np.array(rows, copy=True)
        if not len(rows):
            return rows
        starts, _, size = strikes(rows)
        after = next_strikes(starts, size, None)
        if end is not None:
            after = np.where(after < 0, np.maximum(int(end), starts + 1), after)
        after = after[np.searchsorted(starts, rows[:, 0])]
        cap = np.where(after >= 0, np.floor(self.ratio * (after - rows[:, 0])), np.inf)
        cap = np.maximum(1, np.minimum(cap, HELD * self.longest))
        drawn = np.asarray(drawn, dtype=bool)
        rows[:, 2] = np.where(drawn, np.minimum(rows[:, 2], cap), rows[:, 2]).astype(np.int64)
        return rows
