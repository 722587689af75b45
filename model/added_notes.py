"""The notes a key lock adds to its scale, played where and as the clip plays them.

``--key auto`` holds a clip's own notes out of the scale it reads (``Key.extra``: "C major +
F#"), so that no take folds them. The clip plays each in one way: a passing F# from G down to
F on the and of 3, an approach into G on a bar's last 8th, a blues riff's Eb falling to D, a
walking bass's F# on beat 4 into G. The network, free of the clip (``--memory 0``, or a note
neither the loop nor the memory copies), played them any way it liked: a line's passing F#
came back in 30 of 96 takes, 13 of them on downbeats, held and leapt from, a blues riff's b3
everywhere (a producer's audit). The network's own note of an added pitch class is struck
only at the places of the bar where the clip strikes it, held no longer than the clip holds
it, and the take's next note after it resolves it by the clip's step, where the network has
such a note to play (``segue.model.added_uses.added_uses`` reads these from the clip). The key's
scale notes and the notes the loop and the memory copy from the clip stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segue.model.added_uses import PLACES, AddedUse, places_of


@dataclass
class AddedNotes:
    """Each place's pitches (``open``: (places, 128) bool, every pitch but an added one the
    clip does not strike there), the pitch each added pitch's note resolves to (``resolves``:
    (128, 128) bool, a row of all True where it is free), each pitch's longest (``longest``:
    (128,) ticks, a large number for the scale's), and each take's latest strike (``latest``:
    its onset; ``alone``: its pitch where struck alone, else -1)."""

    open: np.ndarray
    resolves: np.ndarray
    longest: np.ndarray
    beat: int
    bar: int
    latest: np.ndarray
    alone: np.ndarray

    @classmethod
    def of(cls, uses: dict[int, AddedUse], beat: int, bar: int, takes: int) -> AddedNotes | None:
        """From the clip's ``uses`` (``added_uses.added_uses``) in a ``bar`` of ticks with ``beat``
        ticks a beat; None where the key adds nothing the clip plays."""
        if not uses:
            return None
        pitches = np.arange(128)
        open_ = np.ones((len(PLACES), 128), dtype=bool)
        resolves = np.ones((128, 128), dtype=bool)
        longest = np.full(128, np.iinfo(np.int64).max // 4, dtype=np.int64)
        for pitch_class, use in uses.items():
            added = pitches % 12 == pitch_class
            for place in range(len(PLACES)):
                open_[place, added] = place in use.places
            longest[added] = max(1, round(use.longest * beat))
            if use.steps is not None:
                to = pitches[added, None] + np.array(sorted(use.steps))[None]
                resolves[added] = False
                rows = np.repeat(pitches[added], to.shape[1])
                keep = (to.ravel() >= 0) & (to.ravel() < 128)
                resolves[rows[keep], to.ravel()[keep]] = True
        latest = np.full(takes, -1, dtype=np.int64)
        return cls(open_, resolves, longest, beat, bar, latest, np.full(takes, -1, dtype=np.int64))

    def narrowed(self, drawn: np.ndarray, rows: np.ndarray, onset: np.ndarray) -> np.ndarray:
        """``drawn`` ((takes, 128) the pitches each take's network may draw) for the ``rows``
        (bool) the network plays, at ``onset`` (ticks): an added pitch only where the clip
        strikes it, and after one struck alone, its resolution, where any is left."""
        places = places_of(onset / self.beat, self.bar / self.beat)
        wanted = self.open[places]
        moving = (self.alone >= 0) & (onset > self.latest)
        after = np.where(moving[:, None], self.resolves[np.maximum(self.alone, 0)], True)
        out = drawn.copy()
        for narrow in (wanted, after):
            kept = out & narrow
            room = rows & kept.any(axis=1)
            out[room] = kept[room]
        return out

    def held(self, length: np.ndarray, rows: np.ndarray, pitch: np.ndarray) -> np.ndarray:
        """``length`` (ticks) of the ``rows`` whose length the network drew, an added pitch's
        no longer than the clip holds it."""
        return np.where(rows, np.minimum(length, self.longest[pitch]), length)

    def push(self, onset: np.ndarray, pitch: np.ndarray, heard: np.ndarray) -> None:
        """The takes' new notes (``heard``: the rows that strike one)."""
        same = heard & (onset == self.latest)
        self.alone = np.where(same, -1, np.where(heard, pitch, self.alone))
        self.latest = np.where(heard, onset, self.latest)
