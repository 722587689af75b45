"""How a drum model plays: the clip's own kit, fills where a phrase ends, a crash after one.

A drum clip's notes are pads (``segue.drums``). A drum model continues a clip on
the pads the clip uses (``kit`` "clip"), or on any General MIDI drum (``kit``
"gm"), so a custom Drum Rack is played as it is laid out. With ``fills`` on, the
end of every phrase (the last 2 beats of each 4th bar, "phrase"; the last beat of
each 2nd bar, "often") leaves the loop: the network plays there, leaning towards
the kit's snares and toms and towards 16th notes, and the next downbeat takes the
loop back, with a crash when the kit has one, half the time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segue.drums import CRASHES, GM_NOTES, fill_pads

FILLS = {"phrase": (4, 2.0), "often": (2, 1.0)}
"""A fill's place: every N bars of the continuation, the last B beats."""
PAD_LEAN = 3.0  # nats towards the fill pads
BUSY_LEAN = 1.5  # nats towards 16th and 32nd notes in a fill
BUSY_OFFSETS = np.array([3, 6])  # ticks (offset classes): a 32nd and a 16th note
CRASH_CHANCE = 0.5


def kit_mask(seed_rows: np.ndarray, kit: str, low: int, high: int) -> np.ndarray:
    """(128,) the pads a drum continuation may play: the clip's (``kit`` "clip", when the
    clip has notes) or every General MIDI drum and the clip's (``kit`` "gm"), in
    ``low``-``high``."""
    mask = np.zeros(128, dtype=bool)
    pads = np.unique(seed_rows[:, 1]) if len(seed_rows) else np.zeros(0, dtype=np.int64)
    mask[pads] = True
    if kit == "gm" or not len(pads):
        mask[list(GM_NOTES)] = True
    mask[:low] = False
    mask[high + 1 :] = False
    return mask


@dataclass(frozen=True)
class Fills:
    """Where fills go in a continuation that starts at ``clip_end`` (ticks)."""

    every: int  # bars
    beats: float
    clip_end: int
    bar_ticks: int
    ticks_per_beat: int
    pads: np.ndarray  # the kit's fill pads
    crash: int | None  # the kit's crash, if it has one

    def inside(self, onset: np.ndarray) -> np.ndarray:
        """Which onsets (ticks) fall in a fill."""
        since = np.asarray(onset) - self.clip_end
        bar = since // self.bar_ticks
        start = self.bar_ticks - round(self.beats * self.ticks_per_beat)
        return (
            (since >= 0) & (bar % self.every == self.every - 1) & (since % self.bar_ticks >= start)
        )

    def start(self, onset: np.ndarray) -> np.ndarray:
        """Where the fill of each onset's bar (ticks) begins."""
        since = np.asarray(onset) - self.clip_end
        lead = self.bar_ticks - round(self.beats * self.ticks_per_beat)
        return self.clip_end + (since // self.bar_ticks) * self.bar_ticks + lead

    def end(self, onset: np.ndarray) -> np.ndarray:
        """The downbeat after the fill each onset (ticks) falls in: where the groove is back."""
        since = np.asarray(onset) - self.clip_end
        return self.clip_end + (since // self.bar_ticks + 1) * self.bar_ticks

    def lean_offsets(self, logits: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = logits.copy()
        out[np.ix_(rows, BUSY_OFFSETS)] += BUSY_LEAN
        return out

    def lean_pitches(self, logits: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = logits.copy()
        if len(self.pads):
            out[np.ix_(rows, self.pads)] += PAD_LEAN
        return out

    def crashes(
        self, notes: np.ndarray, end_tick: int | None, velocity: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Crash hits (rows) on the downbeats after this variation's fills, half the time."""
        if self.crash is None or not len(notes):
            return np.zeros((0, 4), dtype=np.int64)
        last = int(notes[:, 0].max()) if end_tick is None else end_tick
        out = []
        bar = self.every
        while self.clip_end + bar * self.bar_ticks < last:
            if rng.random() < CRASH_CHANCE:
                out.append(
                    (
                        self.clip_end + bar * self.bar_ticks,
                        self.crash,
                        self.ticks_per_beat,
                        velocity,
                    )
                )
            bar += self.every
        return np.array(out, dtype=np.int64).reshape(-1, 4)


def fills_for(
    fills: str, kit: np.ndarray, clip_end: int, bar_ticks: int, ticks_per_beat: int
) -> Fills | None:
    """The fills a ``fills`` setting asks for on this kit (None for "none")."""
    if fills not in FILLS:
        return None
    every, beats = FILLS[fills]
    pads = np.flatnonzero(kit)
    crash = next((c for c in CRASHES if kit[c]), None)
    return Fills(
        every,
        beats,
        clip_end,
        bar_ticks,
        ticks_per_beat,
        np.asarray(fill_pads(pads.tolist()), dtype=np.int64),
        crash,
    )
