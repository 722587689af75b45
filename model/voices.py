"""What still sounds while notes are generated: the polyphony limit and no pitch struck twice.

segue's generation and the evaluation's baselines keep their notes apart with the
same :class:`Voices`, in ticks of segue's grid.
"""

from __future__ import annotations

import numpy as np

HARD_POLYPHONY = 16
"""Never more notes sounding at once than this, whatever is asked."""


class Voices:
    """What still sounds, per variation: note ends for the polyphony limit, and the
    latest end of each pitch so no pitch is struck again while it sounds (ticks)."""

    WINDOW = HARD_POLYPHONY * 4  # only recent notes can still sound

    def __init__(self, variations: int, seed: np.ndarray) -> None:
        """``seed``: grid rows (onset, pitch, duration, ...) of the notes before."""
        recent = seed[-self.WINDOW :]
        self.ends = np.zeros((variations, self.WINDOW), dtype=np.int64)
        self.ends[:, : len(recent)] = recent[:, 0] + recent[:, 2]
        self.cursor = len(recent) % self.WINDOW
        pitch_end = np.zeros(128, dtype=np.int64)
        np.maximum.at(pitch_end, seed[:, 1], seed[:, 0] + seed[:, 2])
        self.pitch_end = np.repeat(pitch_end[None], variations, axis=0)
        self.rows = np.arange(variations)

    def offset_mask(
        self, last_onset: np.ndarray, onsets: np.ndarray, polyphony: int
    ) -> np.ndarray | None:
        """(V, n_offsets) onsets at which fewer than ``polyphony`` notes still sound;
        None when every onset qualifies (the usual case, checked cheaply first: no
        candidate onset is earlier than the last one, and sounding notes only end)."""
        if ((self.ends > last_onset[:, None]).sum(axis=1) < polyphony).all():
            return None
        sounding = (self.ends[:, None, :] > onsets[:, :, None]).sum(axis=-1)
        return sounding < polyphony

    def pitch_mask(self, onset: np.ndarray, static: np.ndarray) -> np.ndarray:
        """(V, 128) pitches allowed at each variation's onset: none still sounding
        (unless every allowed pitch is, then any allowed pitch)."""
        allowed = static & (self.pitch_end <= onset[:, None])
        stuck = ~allowed.any(axis=1)
        if stuck.any():
            allowed[stuck] = static
        return allowed

    def add(self, ends: np.ndarray, pitches: np.ndarray, live: np.ndarray) -> None:
        """The notes just chosen (one per variation), where ``live``."""
        self.ends[live, self.cursor] = ends[live]
        self.cursor = (self.cursor + 1) % self.WINDOW
        latest = self.pitch_end[self.rows, pitches]
        self.pitch_end[self.rows, pitches] = np.where(live, np.maximum(latest, ends), latest)
