"""A drum take's choices at each step: where its own notes may fall and on which pads, so
that it keeps the beat's groove (:func:`on_the_groove`, :func:`room_on_the_groove`), its
backbone (:func:`before_the_backbone`, the kick under a fill: :func:`over_the_kick`, a
four-on-the-floor kick: :func:`off_the_floor`), a
fill's rolls on the fill's own pads (:func:`rolls_on_fill_pads`) and a programmed pad's one
velocity (:func:`at_one_level`). ``segue.model.generate`` asks them note by note."""

from __future__ import annotations

import numpy as np

from segue.model.drumming import Backbeat, Fills
from segue.model.loop import LoopChoice, LoopRows
from segue.model.onset_grid import on_grid
from segue.model.vocab import Vocab

PAD_GAP = 2
"""Ticks after a drum hit before its pad may hit again: a 32nd-note-triplet roll (2 ticks)
still can, a double hit one tick (about 20 ms) apart cannot (the flams that
``segue.model.generate`` takes out of a take). A played take puts the same hit on
neighbouring ticks in different bars, and a continuation played both: 7 of 8 takes of a
swung beat flammed a hat or a snare."""


def at_one_level(velocity: np.ndarray, level: np.ndarray, vocab: Vocab) -> np.ndarray:
    """The velocity classes of a drum take's notes, each on a pad the clip's loop plays at
    one velocity (``level``, 0 for none: ``LoopRows.level_of``) at that velocity's class,
    in a fill too: a programmed pad keeps its level in the notes the network plays of its
    own, as in those the loop repeats. Trap claps programmed at 110 came back at 20-68 in
    10 of 26 hits, a rock snare at 110 in 9 of 39."""
    return np.where(level > 0, vocab.velocity_class(level), velocity)


def on_the_groove(
    pitches: np.ndarray, groove: np.ndarray, onset: np.ndarray, fills: Fills | None
) -> np.ndarray:
    """The pads a drum take's own note may take: outside a fill, those the clip strikes once
    a bar or more (``segue.model.drumming.groove_pads``), where any is allowed."""
    narrowed = pitches & groove[None, :]
    use = narrowed.any(axis=1)
    if fills is not None:
        use &= ~fills.inside(onset)
    return np.where(use[:, None], narrowed, pitches)


def off_the_floor(
    pitches: np.ndarray, onset: np.ndarray, own: np.ndarray, pads: np.ndarray, fills: Fills | None
) -> None:
    """``pitches`` (rows, 128) of the ``own`` rows (the network's notes and the clip
    memory's copies, not the loop's repeats) whose note falls outside a fill, without the
    kicks of a four-on-the-floor beat (``pads``: ``segue.model.drumming.floor_kicks``),
    which the loop plays; a row they would leave without a pad keeps its pads. Inside a
    fill the kick is the fill's too."""
    if not len(pads):
        return
    outside = own if fills is None else own & ~fills.inside(onset)
    rows = np.flatnonzero(outside)
    narrowed = pitches[rows]
    narrowed[:, pads] = False
    some = narrowed.any(axis=1)
    pitches[rows[some]] = narrowed[some]


def off_the_backbeat(
    pitches: np.ndarray, onset: np.ndarray, own: np.ndarray, backbeat: Backbeat, fills: Fills | None
) -> None:
    """``pitches`` (rows, 128) of the ``own`` rows (the network's notes, not the loop's)
    whose note falls outside a fill on a beat the clip's backbeat leaves alone
    (:class:`segue.model.drumming.Backbeat`), without the backbeat's pads: a half-time
    beat's snare stays on 3, not 2 and 4, at any Memory. Inside a fill the snare is the
    fill's; a row they would leave without a pad keeps its pads."""
    outside = own & backbeat.off(onset)
    if fills is not None:
        outside &= ~fills.inside(onset)
    rows = np.flatnonzero(outside)
    if not len(rows):
        return
    narrowed = pitches[rows]
    narrowed[:, backbeat.pads] = False
    some = narrowed.any(axis=1)
    pitches[rows[some]] = narrowed[some]


def over_the_kick(
    pitches: np.ndarray, onset: np.ndarray, own: np.ndarray, fills: Fills, pads: np.ndarray
) -> None:
    """``pitches`` (rows, 128) of the ``own`` rows (the network's notes, not the loop's)
    whose note falls in a fill, without the ``pads`` whose backbone goes on under it
    (``segue.model.drumming.held_in_fills``): the fill is played over the kick, on the
    other pads (a kick of its own on the "and" of 3 turned a house beat around). A row
    they would leave without a pad keeps its pads."""
    rows = np.flatnonzero(own & fills.inside(onset))
    if not len(rows) or not len(pads):
        return
    narrowed = pitches[rows]
    narrowed[:, pads] = False
    some = narrowed.any(axis=1)
    pitches[rows[some]] = narrowed[some]


def rolls_on_fill_pads(
    pitches: np.ndarray,
    onset: np.ndarray,
    own: np.ndarray,
    grid: np.ndarray,
    fills: Fills,
    pads: np.ndarray,
) -> None:
    """``pitches`` (rows, 128) of the ``own`` rows whose note falls in a fill off the clip's
    ``grid`` (a roll's 32nd or triplet, ``segue.model.onset_grid.rolled``) narrowed to the
    fill's ``pads``, where a drummer rolls: a house fill put kicks and hats on 32nds and
    triplets (helper-76). The offsets let a row off the grid only where one of them is
    free; a row they would leave without a pad keeps its pads."""
    rows = np.flatnonzero(own & fills.inside(onset) & ~on_grid(grid, onset))
    if not len(rows):
        return
    mask = np.zeros(pitches.shape[1], dtype=bool)
    mask[pads] = True
    narrowed = pitches[rows] & mask
    some = narrowed.any(axis=1)
    pitches[rows[some]] = narrowed[some]


def room_on_the_groove(
    allowed: np.ndarray | None,
    onsets: np.ndarray,
    last_onset: np.ndarray,
    pitch_end: np.ndarray,
    pads: np.ndarray,
    fills: Fills | None,
) -> np.ndarray | None:
    """The offsets a drum take's note may take outside a fill: its latest onset again only
    where one of the groove's ``pads`` (``segue.model.drumming.groove_pads``) is free there
    (``pitch_end``, (rows, 128) ticks): with the kick, the snare and the hat struck, a
    fourth note fell on a pad the clip strikes now and then (a vocal chop), at a place
    where it never does. The loop's own notes there are let in later
    (``segue.model.generate``)."""
    full = np.asarray(~(pitch_end[:, pads] <= last_onset[:, None]).any(axis=1))
    if fills is not None:
        full = full & ~fills.inside(last_onset)
    if not full.any():
        return allowed
    open_ = ~(full[:, None] & (onsets == last_onset[:, None]))
    return open_ if allowed is None else allowed & open_


def before_the_backbone(
    allowed: np.ndarray | None,
    onsets: np.ndarray,
    last_onset: np.ndarray,
    loop: LoopRows,
    choice: LoopChoice,
    live: np.ndarray,
) -> np.ndarray | None:
    """The offsets a drum take's own notes may take: at least :data:`PAD_GAP` before its
    next backbone hit (``LoopRows.next_kept``), which the loop then plays, in a fill too
    (its kick: ``segue.model.drumming.held_backbone``)."""
    cap = loop.next_kept(last_onset)
    own = live & ~choice.repeat & (cap >= 0)
    if not own.any():
        return allowed
    before = ~own[:, None] | (onsets <= cap[:, None] - PAD_GAP)  # a pad struck just before
    # its hit would keep the loop from striking it (see PAD_GAP)
    return before if allowed is None else allowed & before
