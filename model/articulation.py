"""A part's articulation: how long its notes ring against the gap to its next strike.

A bass of 8ths plucked 0.15 beats long is staccato, a stab a quarter of each beat long is
a stab, a pad held to its next chord is legato: that is what the part is, as its register
is. Where ``--memory`` frees the clip's notes (below 1: the loop and the clip memory repeat
fewer of them), the network's own lengths are its material's, not the clip's: at memory 0
a staccato bass came back a third more legato and the stab half again as long. A note the
network drew is held no longer, against the gap to its take's next strike, than the clip's
most legato strike is (:class:`Articulation`); shorter, as the network likes.

Articulation is a note's length against its gap, never a length alone: a cap never leaves
a silence after a note longer than the clip's longest (a 16th arp whose network plays a
note a beat stays a held note, not a blip in silence; a legato clip, with no silence, is
never cut). A strike's next is the next of at least as many notes: a chord's is the next
chord, not a passing note one voice plays under it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STACCATO = 0.5
"""A part whose every note, a beat or less from its next strike, sounds less than this
share of the gap is staccato (a note held less than half its value): its articulation is
kept. A detached part (a quarter held an 8th) or a legato one is the network's to phrase,
and a note alone in a bar's loop is a note and a rest, not an articulation."""


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
    its next strike), its longest silence (``rest``, ticks: nothing sounding, the loop's
    seam included) and its shortest strike (``short``, ticks: its longest note's length)."""

    ratio: float
    rest: int
    short: int

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, rest: int, beat: int) -> Articulation | None:
        """The clip's (``rows``: onset, pitch, duration, ... ticks, looping as Live loops
        it; ``rest``: its longest silence), its strikes a ``beat`` (ticks) or less apart
        read; None for a clip without such strikes or one not staccato (:data:`STACCATO`):
        a legato or detached part's lengths are the network's to choose."""
        starts, longest, size = strikes(rows)
        if not len(starts) or clip_end <= 0:
            return None
        gaps = next_strikes(starts, size, max(int(clip_end), int(starts[-1]) + 1)) - starts
        kept = gaps <= beat  # a longer gap is a rest, not the note's articulation
        if not kept.any():
            return None
        ratio = float((longest[kept] / np.maximum(gaps[kept], 1)).max())
        short = int(longest[kept].min())
        return cls(ratio, int(rest), short) if ratio < STACCATO else None

    def applied(self, rows: np.ndarray, drawn: np.ndarray, end: int | None) -> np.ndarray:
        """A take's ``rows`` (onset, pitch, length, velocity in ticks, in the order played)
        with each ``drawn`` note (the network chose its length) held at most :attr:`ratio`
        times the gap to its strike's next (:func:`next_strikes`; where none follows, to
        ``end``, and without one left as it is), but never shorter than the clip's
        :attr:`short` strike where the gap has room for it (a pluck stays as long as the
        clip's plucks), never so short that it leaves more than :attr:`rest` silent before
        that next strike, and at least a tick."""
        rows = np.array(rows, copy=True)
        if not len(rows):
            return rows
        starts, _, size = strikes(rows)
        after = next_strikes(starts, size, None)
        if end is not None:
            after = np.where(after < 0, np.maximum(int(end), starts + 1), after)
        after = after[np.searchsorted(starts, rows[:, 0])]
        gap = (after - rows[:, 0]).astype(np.float64)
        cap = np.maximum(np.floor(self.ratio * gap), np.minimum(gap, self.short))
        cap = np.maximum(cap, gap - self.rest)
        cap = np.where(after >= 0, np.maximum(1, cap), np.inf)
        drawn = np.asarray(drawn, dtype=bool)
        rows[:, 2] = np.where(drawn, np.minimum(rows[:, 2], cap), rows[:, 2]).astype(np.int64)
        return rows
