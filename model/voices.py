"""What still sounds while notes are generated: the polyphony limit and no pitch struck twice.

segue's generation and the evaluation's baselines keep their notes apart with the
same :class:`Voices`, in ticks of segue's grid. A limit the musician sets takes a voice
as a mono synth does: a new note cuts the oldest that still sounds (:func:`stolen`), and
only notes struck together are held to it. The hard limit, which nobody set, lets a note
begin only where a voice is free.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from segue.notes import Clip, Note

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
        self.starts = np.zeros((variations, self.WINDOW), dtype=np.int64)
        self.starts[:, : len(recent)] = recent[:, 0]
        self.cursor = len(recent) % self.WINDOW
        pitch_end = np.zeros(128, dtype=np.int64)
        np.maximum.at(pitch_end, seed[:, 1], seed[:, 0] + seed[:, 2])
        self.pitch_end = np.repeat(pitch_end[None], variations, axis=0)
        pitch_start = np.full(128, -1, dtype=np.int64)  # where each pitch was last struck
        np.maximum.at(pitch_start, seed[:, 1], seed[:, 0])
        self.pitch_start = np.repeat(pitch_start[None], variations, axis=0)
        self.rows = np.arange(variations)

    def offset_mask(
        self, last_onset: np.ndarray, onsets: np.ndarray, polyphony: int, steal: bool = False
    ) -> np.ndarray | None:
        """(V, n_offsets) onsets at which fewer than ``polyphony`` notes still sound; with
        ``steal``, fewer than ``polyphony`` notes struck at that onset (the others are cut
        there: :func:`stolen`). None when every onset qualifies (the usual case, checked
        cheaply first: no candidate onset is earlier than the last one, and sounding notes
        only end)."""
        held = self.ends > last_onset[:, None]
        if steal:
            held &= self.starts >= last_onset[:, None]  # struck with the latest note
        if (held.sum(axis=1) < polyphony).all():
            return None
        sounding = self.ends[:, None, :] > onsets[:, :, None]
        if steal:
            sounding &= self.starts[:, None, :] >= onsets[:, :, None]
        return sounding.sum(axis=-1) < polyphony

    def pitch_mask(self, onset: np.ndarray, static: np.ndarray) -> np.ndarray:
        """(V, 128) pitches allowed at each variation's onset: none still sounding
        (unless every allowed pitch is, then any allowed pitch)."""
        allowed = static & (self.pitch_end <= onset[:, None])
        stuck = ~allowed.any(axis=1)
        if stuck.any():
            allowed[stuck] = static
        return allowed

    def add(
        self,
        ends: np.ndarray,
        pitches: np.ndarray,
        live: np.ndarray,
        starts: np.ndarray | None = None,
    ) -> None:
        """The notes just chosen (one per variation), where ``live``: their ends and pitches,
        and onsets (for a limit that steals: ``offset_mask``)."""
        self.ends[live, self.cursor] = ends[live]
        if starts is not None:
            self.starts[live, self.cursor] = starts[live]
        self.cursor = (self.cursor + 1) % self.WINDOW
        latest = self.pitch_end[self.rows, pitches]
        self.pitch_end[self.rows, pitches] = np.where(live, np.maximum(latest, ends), latest)
        if starts is not None:
            struck = self.pitch_start[self.rows, pitches]
            self.pitch_start[self.rows, pitches] = np.where(live, starts, struck)

    def struck_at(self, onset: np.ndarray) -> np.ndarray:
        """(V, 128) the pitches struck at each variation's ``onset`` already (a chord's)."""
        return self.pitch_start == onset[:, None]


def stolen(starts: np.ndarray, lengths: np.ndarray, polyphony: int) -> np.ndarray:
    """The ``lengths`` of notes (``starts`` in time order, any unit) cut so that no more
    than ``polyphony`` sound at once: a note that begins while the limit's voices sound cuts
    the oldest of them where it begins, as a mono synth plays a legato line (with the
    onset mask of :meth:`Voices.offset_mask`, never a note struck together with it). A
    legato lead of quarter notes overlapping by a fifth of a beat came back under
    --polyphony 1 with half its notes and none where the clip had them: a note could begin
    only after the one before had ended."""
    out = np.asarray(lengths, dtype=np.float64).copy()
    begins = np.asarray(starts, dtype=np.float64)
    sounding: list[int] = []
    for i, at in enumerate(begins.tolist()):
        sounding = [j for j in sounding if begins[j] + out[j] > at + 1e-9]
        older = [j for j in sounding if begins[j] < at - 1e-9]
        while len(sounding) >= polyphony and older:
            oldest = older.pop(0)
            out[oldest] = at - begins[oldest]
            sounding.remove(oldest)
        sounding.append(i)
    return out


def with_seed(seed: Clip, new: tuple[Note, ...], polyphony: int) -> tuple[Note, ...]:
    """The seed's notes, then the ``new`` ones after them, within the musician's
    ``polyphony`` limit (0: none) past the seed's end: a seed note that rings on into the
    continuation is cut there as a new note takes its voice (``stolen``). Inside the seed,
    the clip is as it was played; the new notes are within the limit already. Under
    --polyphony 1 --include-seed, a bass's last note held over the clip's end sounded on
    under the first new note."""
    notes = seed.notes + new
    if not polyphony or not any(n.end > seed.length for n in seed.notes):
        return notes
    order = sorted(range(len(notes)), key=lambda i: (notes[i].start, notes[i].pitch))
    starts = np.array([notes[i].start for i in order])
    lengths = stolen(starts, np.array([notes[i].duration for i in order]), polyphony)
    cut = dict(zip(order, lengths.tolist(), strict=True))
    return tuple(
        replace(n, duration=max(cut[i], seed.length - n.start))
        if i < len(seed.notes) and n.end > seed.length
        else n
        for i, n in enumerate(notes)
    )
