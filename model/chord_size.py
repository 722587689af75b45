"""A chord part's chords: the network's own are struck with as many voices as the clip's.

A pad, a stab loop or a keys part that strikes a chord at every onset strikes each with
three voices or four; a take's own chords are that part's chords too. Lowering ``--memory``
asks for other chords, not for thinner ones. But after each note of the network's own the
loop may take the take back to its next note, and that cut the network's chord short, most
often at its first note: of 16 chord loops (triads, 4-note pads, stabs, 1, 2 and 4 bars),
4 takes x 20 rng seeds, every onset of the network's own was struck with fewer voices
than the clip's smallest chord, 101 of 101 at --memory 0.3 (90 of them one note), 29 of
29 at 0.5, 10 of 10 at 0.7, 3 of 3 at 1 (a house stab's single D3 on the beat between
its Dm7 stabs; helper-94). At --memory 0, with no loop, the network itself now and then
voiced a 4-note pad loop in triads (20 of its onsets in 80 takes). Once a take strikes a
note of its own, it goes on striking there up to the clip's size of chord
(:func:`chord_size`) before the loop may take it back (:func:`unfinished`). Only a model
that keeps loops does so: a chorale's voices move one at a time.
"""

from __future__ import annotations

import numpy as np


def chord_size(rows: np.ndarray) -> int:
    """The fewest notes the clip's grid ``rows`` (onset, pitch, ...) strike at one onset,
    where every onset strikes two or more (a chord part); 0 for a part with a single note
    anywhere (a line, an arpeggio, a bass under offbeat stabs), or no notes."""
    if not len(rows):
        return 0
    _, counts = np.unique(rows[:, 0], return_counts=True)
    least = int(counts.min())
    return least if least >= 2 else 0


def unfinished(struck: np.ndarray, size: int, own: np.ndarray) -> np.ndarray:
    """(rows,) the takes whose latest onset is a chord of their ``own`` (the latest note
    the network's, not the loop's, nor a take's answer: a held pad's answer is one voice
    moving) with fewer than ``size`` notes ``struck`` there ((rows, 128) bool)."""
    if size < 2:
        return np.zeros(len(own), dtype=bool)
    count = struck.sum(axis=1)
    return own & (count > 0) & (count < size)


def finish_chords(allowed: np.ndarray | None, rows: np.ndarray, offsets: int) -> np.ndarray:
    """The offsets allowed once the ``rows`` (bool) strike their next note at their latest
    onset (offset class 0), where ``allowed`` lets them (None: everywhere)."""
    out = np.ones((len(rows), offsets), dtype=bool) if allowed is None else allowed.copy()
    out[rows] = False
    out[rows, 0] = True
    return out
