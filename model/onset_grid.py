"""The grid a clip's notes start on, which its continuation keeps (:func:`onset_grid`).

A clip quantised to 16ths has no note on a triplet, and a producer hears a continuation
that starts its notes between the clip's 16ths as off the grid. The melody model, asked
by name to continue segue's example bassline (8ths and 16ths, rng seeds 1-3), played two
of its 12 takes on 16th-note triplets from their first note to their last (98% and 100%
of their notes off the 16ths), and the polyphonic model most takes of the example
arpeggio (54-90% of their notes): a model's offsets are counted from the note before, so
one note off the grid takes every later note with it. The continuation now starts its
notes on the clip's own grid, subdivided as a player would: a clip of 8ths or quarters
may go on in 16ths, a clip in triplets in the triplets it plays (8th-note triplets, or
16th-note triplets where it has them), a clip with both in both. A bar too long for a
model is heard in halved note values (``segue.model.note_values``), and its grid with it.
A played clip is read as it is heard (``segue.model.feel``), so its grid is the one its
notes were played to, and its feel is put back on the continuation's notes. A drum take
keeps it too (a 16th-note house beat's takes put kicks and hats on 32nds: 34 notes in 10
of 44 takes, helper-76); a fill rolls finer on its own pads (:func:`rolled`).
"""

from __future__ import annotations

import numpy as np

from segue.grid import TICKS_PER_BEAT

STRAIGHT = frozenset({6, 18})
"""Places in a beat (ticks) of 16ths: a clip with one is straight."""
STRAIGHT_FINE = frozenset({3, 9, 15, 21})
"""Places of 32nds: a straight clip with one may go on in 32nds."""
TRIPLET = frozenset({8, 16})
"""Places of 8th-note triplets: a clip with one is in triplets."""
TRIPLET_16THS = frozenset({4, 20})
"""Places of 16th-note triplets: a clip with one may go on in 16th-note triplets."""
TRIPLET_FINE = frozenset({2, 10, 14, 22})
"""Places of 32nd-note triplets: a triplet clip with one may go on in 32nd-note triplets."""
GRID_NOTES = 4
"""The fewest notes whose onsets say a clip's grid: fewer leave it free."""


def onset_grid(onsets: np.ndarray, pulse: int = TICKS_PER_BEAT) -> np.ndarray | None:
    """The places in a beat (a (:data:`TICKS_PER_BEAT`,) bool mask of ticks) where a
    continuation of a clip whose notes start at ``onsets`` (ticks from the clip's start)
    may start a note; None where any place may be used: too few notes, or a clip whose
    notes lie between the grid's places (24ths of a beat, not played to a grid). In a
    compound meter (a ``pulse`` of a dotted quarter, 36 ticks: 6/8, 12/8) the places in a
    pulse (a (``pulse``,) mask), read as a beat in threes is: its 8ths are the pulse's
    triplet, its 16ths their halves, and the duplets between (a straight 8th or 16th of
    the dotted quarter) are off it. Read in quarter notes, a 12/8 shuffle's 8ths were
    straight 8ths of a 4/4 clip, and its takes at ``--memory`` 0 put 100 of 586 snares on
    the dotted quarter's middle, a duplet against its triplet feel (helper-213)."""
    if len(onsets) < GRID_NOTES:
        return None
    if pulse != TICKS_PER_BEAT and pulse * 2 == TICKS_PER_BEAT * 3:  # a dotted quarter
        in_pulse = np.asarray(onsets) % pulse
        if (in_pulse % 3).any():  # between the places a beat in threes has
            return None
        beat = onset_grid(in_pulse * 2 // 3)  # each place as a beat's triplet place
        if beat is None:
            return None
        tick = np.arange(pulse)
        return (tick % 3 == 0) & beat[tick * 2 // 3]
    places = {int(p) for p in np.unique(np.asarray(onsets) % TICKS_PER_BEAT)}
    known = {0, 12} | STRAIGHT | STRAIGHT_FINE | TRIPLET | TRIPLET_16THS | TRIPLET_FINE
    if not places <= known:
        return None
    tick = np.arange(TICKS_PER_BEAT)
    grid = np.zeros(TICKS_PER_BEAT, dtype=bool)
    triplets = bool(places & (TRIPLET | TRIPLET_16THS | TRIPLET_FINE))
    if places & (STRAIGHT | STRAIGHT_FINE) or not triplets:  # 8ths and quarters: straight
        grid |= tick % (3 if places & STRAIGHT_FINE else 6) == 0
    if triplets:  # as fine as the clip's own triplets (one 8th-note triplet figure in a
        # 16th clip opened the 16th-note triplets, and a take ran on them, helper-71)
        fine = 2 if places & TRIPLET_FINE else 4 if places & TRIPLET_16THS else 8
        grid |= tick % fine == 0
    return None if grid.all() else grid


def on_grid(grid: np.ndarray, onsets: np.ndarray) -> np.ndarray:
    """Which ``onsets`` (ticks from the clip's start) lie on ``grid`` (:func:`onset_grid`)."""
    return grid[np.asarray(onsets) % len(grid)]


def rolled(grid: np.ndarray) -> np.ndarray:
    """A drum fill's grid: the clip's, and the 32nds and 32nd-note triplets a drummer rolls
    in (:data:`STRAIGHT_FINE`, :data:`TRIPLET_FINE` and what they subdivide), whatever the
    clip's own grid (``segue.model.generate`` plays them on the fill's own pads)."""
    tick = np.arange(len(grid))
    return grid | (tick % 3 == 0) | (tick % 2 == 0)


def kept_to(
    grid: np.ndarray | None, allowed: np.ndarray | None, onsets: np.ndarray
) -> np.ndarray | None:
    """``allowed`` (rows, offsets: the offsets a note may take, None: any) narrowed to the
    ``onsets`` on ``grid``, in each row that keeps one: a row the grid would close stays
    as it was (a polyphony limit or a fill may leave it only places off the grid)."""
    if grid is None:
        return allowed
    return kept_to_places(on_grid(grid, onsets), allowed)


def kept_to_places(kept: np.ndarray, allowed: np.ndarray | None) -> np.ndarray | None:
    """``allowed`` (as :func:`kept_to`) narrowed to the onsets ``kept`` (rows, offsets), in
    each row that keeps one."""
    if allowed is not None:
        kept = kept & allowed
    some = kept.any(axis=1, keepdims=True)
    if allowed is None:
        return np.where(some, kept, True)
    return np.where(some, kept, allowed)
