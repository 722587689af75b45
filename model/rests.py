"""A part's rests: a take goes no longer without a rest than its clip does.

A lead that plays a call for a bar and rests a bar, or a stab every two beats that leaves
a beat and three quarters silent after each, is its rests as much as its notes. Where
``--memory`` frees the clip's notes (below 1), the network's own offsets and lengths are
its material's: at memory 0 such a lead spread its notes over every bar. Silence of at
least a beat (shorter is the articulation's: a staccato bass's gaps) is a rest; the clip's
rests of at least half its longest one (and a beat) are its rests, and the longest it plays
between two of them is its stretch. Each take strikes a new note within a stretch of the
end of its last rest, or after a rest as long and no longer than the clip's longest
silence (a take's rest is one the clip has, never a hole in it); where and what it plays
stays the network's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def silences(rows: np.ndarray, clip_end: int) -> tuple[np.ndarray, np.ndarray]:
    """The silences of a clip's ``rows`` (onset, pitch, duration, ... ticks), the clip
    looping: each one's first tick and its length, in time order (the seam's, from the
    last note's end round to the first note, last; counted from before ``clip_end`` if
    a note rings past it)."""
    rows = np.asarray(rows, dtype=np.int64)
    order = np.argsort(rows[:, 0], kind="stable")
    starts = rows[order, 0]
    ends = np.maximum.accumulate(rows[order, 0] + rows[order, 2])
    begin = np.append(ends[:-1], ends[-1])
    length = np.append(starts[1:] - ends[:-1], starts[0] + clip_end - ends[-1])
    return begin, length


@dataclass
class Rests:
    """The clip's rest (``rest``: ticks), stretch (``stretch``: ticks) and longest silence
    (``longest``: ticks), and each take's latest strike (``latest``), the end of its latest
    sounding note (``end``) and the first strike after its latest rest (``start``)."""

    rest: int
    stretch: int
    longest: int
    latest: np.ndarray
    end: np.ndarray
    start: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, clip_end: int, beat: int, takes: int) -> Rests | None:
        """From the clip's ``rows`` (onset, pitch, duration, ... ticks, as Live stops them
        at its end): None without a note or a rest of a ``beat`` (ticks)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        if not len(rows) or clip_end <= 0:
            return None
        begin, length = silences(rows, clip_end)
        longest = int(length.max())
        if longest < beat:
            return None
        rest = max(beat, longest // 2)
        at, size = begin[length >= rest], length[length >= rest]
        after = at + size  # the first strike after each rest
        following = np.append(at[1:], at[0] + clip_end)  # where the next rest begins
        stretch = int((following - after).max())
        if begin[-1] + length[-1] >= clip_end and length[-1] >= rest:
            start = int(clip_end)  # the clip ends in a rest: the take begins a stretch
        else:
            start = int(after[after <= clip_end].max(initial=int(after.max()) - clip_end))
        last = int(rows[:, 0].max())
        end = int((rows[:, 0] + rows[:, 2]).max())
        full = np.full(takes, 0, dtype=np.int64)
        return cls(rest, stretch, longest, full + last, full + end, full + start)

    def allowed(self, onsets: np.ndarray, takes: np.ndarray | None = None) -> np.ndarray:
        """(takes, classes) the candidate ``onsets`` (ticks) each take (of ``takes``, the
        indices of the rows of ``onsets``; all by default) may strike at: its latest
        strike's own tick (a chord's next voice), within a stretch of its latest rest, or
        after a rest no longer than the clip's longest silence."""
        pick = slice(None) if takes is None else takes
        silent = onsets - self.end[pick, None]
        return (
            (onsets <= self.latest[pick, None])
            | (onsets - self.start[pick, None] < self.stretch)
            | ((silent >= self.rest) & (silent <= self.longest))
        )

    def push(self, onsets: np.ndarray, lengths: np.ndarray, heard: np.ndarray) -> None:
        """Each take whose note (``onsets``, ``lengths``: ticks) is ``heard`` plays it."""
        heard = np.asarray(heard, dtype=bool)
        new = heard & (onsets > self.latest)
        self.start = np.where(new & (onsets - self.end >= self.rest), onsets, self.start)
        self.latest = np.where(new, onsets, self.latest)
        self.end = np.where(heard, np.maximum(self.end, onsets + lengths), self.end)
