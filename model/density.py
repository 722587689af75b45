"""A part's density: no more strikes in a bar, two bars or four than the clip has.

A lead that plays a bar and rests a bar, or a stab every two beats, is as much its rests
as its notes. Where ``--memory`` frees the clip's notes (below 1), the network's own
offsets are its material's: at memory 0 a lead of calls a bar apart came back with 4
strikes a bar for its 3 and a quarter of its rests filled, and a stab every 2 beats came
back twice as often. Each take keeps the clip's busiest count of strikes (onsets, a chord
struck once) in any span of 1, 2 and 4 bars (as many as fit in the clip), the clip heard
as Live loops it: where the take has played that many, it rests until the oldest of them
leaves the span. Where and what it plays stays the network's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BARS = (1, 2, 4)
"""The spans (in bars) a take's strikes are counted in: a bar, a call and its answer, a
phrase."""
SPARE = 1
"""Strikes a bar a take may add to the clip's busiest: a passing note or a pickup leaves a
part as busy as it was (a chorale of quarter-note chords at memory 0 keeps its passing
eighths, one a bar), a second stab or a bar of notes in a rest does not."""


def busiest(strikes: np.ndarray, span: int, clip_end: int) -> int:
    """The most of ``strikes`` (distinct onsets, ticks, in [0, clip_end)) in any ``span``
    ticks (a window (t - span, t]), the clip looping."""
    strikes = np.unique(np.asarray(strikes, dtype=np.int64))
    if not len(strikes):
        return 0
    looped = np.concatenate([strikes - clip_end, strikes])
    first = np.searchsorted(looped, strikes - span, side="right")
    last = np.searchsorted(looped, strikes, side="right")
    return int((last - first).max())


@dataclass
class Density:
    """The clip's busiest count per span (``spans``, ``most``) and each take's latest
    strikes (``history``, ticks, oldest first; a very early tick where it has fewer)."""

    spans: np.ndarray
    most: np.ndarray
    history: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, bar_ticks: int, takes: int) -> Density | None:
        """From the clip's ``rows`` (onset, ... ticks): None without a strike or a bar."""
        strikes = np.unique(np.asarray(rows, dtype=np.int64).reshape(-1, 4)[:, 0])
        strikes = strikes[(strikes >= 0) & (strikes < clip_end)]
        spans = [b * bar_ticks for b in BARS if b * bar_ticks <= clip_end]
        if not len(strikes) or not spans:
            return None
        most = np.array(
            [busiest(strikes, s, clip_end) + s // bar_ticks * SPARE for s in spans], dtype=np.int64
        )
        kept = int(most.max())
        before = np.full(kept, np.iinfo(np.int64).min // 2, dtype=np.int64)
        latest = np.concatenate([before, strikes])[-kept:]
        history = np.repeat(latest[None], takes, axis=0)
        return cls(np.asarray(spans, dtype=np.int64), most, history)

    def allowed(self, onsets: np.ndarray, takes: np.ndarray | None = None) -> np.ndarray:
        """(takes, classes) the candidate ``onsets`` (ticks) each take (of ``takes``, the
        indices of the rows of ``onsets``; all by default) may strike at: the latest strike's
        own tick (a chord's next voice), or a later one where every span ending there would
        hold no more strikes than the clip's busiest."""
        history = self.history if takes is None else self.history[takes]
        ok = np.ones(onsets.shape, dtype=bool)
        for span, most in zip(self.spans.tolist(), self.most.tolist(), strict=True):
            inside = history[:, None, :] > (onsets - span)[:, :, None]
            ok &= inside.sum(axis=2) < most
        return ok | (onsets <= history[:, -1][:, None])

    def push(self, onsets: np.ndarray, heard: np.ndarray) -> None:
        """Each take whose note is ``heard`` at a new tick strikes there."""
        new = np.asarray(heard, dtype=bool) & (onsets > self.history[:, -1])
        if new.any():
            self.history[new] = np.concatenate(
                [self.history[new, 1:], np.asarray(onsets)[new, None]], axis=1
            )
