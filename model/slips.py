"""A repeated note's slips: now and then a note the loop repeats takes another velocity or
length, as a player's touch varies it (:func:`near_velocity`, :func:`near_duration`), round
the clip's own (:func:`slipped_velocity`) and within its dynamics (:func:`loop_loudness`)."""

from __future__ import annotations

import numpy as np

from segue.model.loop import loop_ticks
from segue.model.vocab import VELOCITY_BIN, within

SLIP_REACH = 4
"""How many velocity classes (of 4) a repeated note's velocity may move when it slips: 16.
In the producer model's validation windows, a repeated note that takes another velocity
moves by 4 (median), 9 (90th percentile) or 15 (99th): a player's touch, not a new accent.
Drawn freely, a slip turned a clip's 100 on the beat into 52 and its 75 off the beat into
100, and the groove's accents were gone."""
SLIP_BEYOND = 2
"""How many velocity classes (of 4) a slip may take a note past the clip's loudest or softest
(:func:`near_velocity`): 8, a touch (the producer model's validation windows move by 4 at
the median and 9 at the 90th percentile), not a new dynamic level. Held within the clip's
own range, a note at its loudest could only slip softer and one at its softest only louder:
a beat's accents of 110 and ghost notes of 50 slipped toward each other in 76 of 76 slips,
and a part played at one velocity never slipped at all."""
SLIP_RATIO = 1 / 3
"""How much less likely a slip of one class more is (:func:`near_velocity`): as the producer
model's validation windows move (1 class or less at the median, 2.25 at the 90th percentile,
3.75 at the 99th), where a ratio of 1/3 gives 67%, 89% and 99% of moves within 1, 2 and
4 classes."""


SLIP_FACTOR = 2
"""How far a repeated note's duration may move when it slips: to half its length or to
double it, a player's touch (staccato, legato). Drawn freely, a slip cut a chord loop's
held 0.9-beat E to 1/12 of a beat, in about 7 of 200 chord-loop takes."""


def near_duration(
    logits: np.ndarray, rows: np.ndarray, loop: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """``logits`` (rows, duration classes) with the ``rows`` whose repeated note slips kept
    within :data:`SLIP_FACTOR` of the loop note's duration (``loop``: ticks), or to the
    class nearest it where none lies within."""
    loop = np.maximum(np.asarray(loop)[:, None], 1)
    near = (values[None] * SLIP_FACTOR >= loop) & (values[None] <= loop * SLIP_FACTOR)
    nearest = np.abs(np.log(values[None] / loop)).argmin(axis=1)
    near[np.arange(len(near)), nearest] = True
    return np.where(rows[:, None] & ~near, -np.inf, logits)


def near_velocity(
    logits: np.ndarray,
    rows: np.ndarray,
    loop: np.ndarray,
    levels: np.ndarray,
    loudness: tuple[int, int],
) -> np.ndarray:
    """``logits`` (rows, velocity classes) with the ``rows`` whose repeated note slips (takes
    another velocity class than the loop note's, ``loop``, as the table's rate counts them)
    drawn around it, as a player's touch varies a note: louder as often as softer, and a
    move of ``k`` classes :data:`SLIP_RATIO` times as likely as a move of ``k - 1``, up to
    :data:`SLIP_REACH`; the note's own velocity (``levels``) so moved stays within the
    clip's ``loudness`` (its loop's softest and loudest) and :data:`SLIP_BEYOND` classes
    past it, and within 1-127, a side with no room left giving way to the other: an accent
    at the clip's loudest sometimes hits a bit harder, a ghost note at its softest sometimes
    a bit softer. The way was the network's, which hears a lead's accents and ghost
    notes near its middle: 1147 of 1305 slips of a lead's 48-112 moved toward it, the
    accents softer and the ghost notes louder. With the network's own choice within the
    reach, its slips piled at the reach's edge: a hat's ghost notes at 45 came back at 60
    and its accents at 100 at 84 (helper-42). The class drawn moves the note's own velocity
    (:func:`slipped_velocity`)."""
    if not rows.any():
        return logits
    distance = np.arange(logits.shape[1])[None] - loop[rows, None]
    moved = levels[rows, None] + VELOCITY_BIN * distance
    beyond = SLIP_BEYOND * VELOCITY_BIN
    softest, loudest = max(loudness[0] - beyond, 1), min(loudness[1] + beyond, 127)
    reach = (np.abs(distance) <= SLIP_REACH) & (distance != 0)
    reach &= (moved >= softest) & (moved <= loudest)
    shape = np.where(reach, SLIP_RATIO ** (np.abs(distance) - 1.0), 0.0)
    out = np.zeros_like(shape)
    for side in (distance > 0, distance < 0):  # each way with room as likely
        within = np.where(side, shape, 0.0)
        total = within.sum(axis=1, keepdims=True)
        out += np.where(total > 0, within / np.where(total > 0, total, 1.0), 0.0)
    out = np.where(out.sum(axis=1, keepdims=True) > 0, out, distance == 0)  # nowhere to go
    adjusted = logits.copy()
    with np.errstate(divide="ignore"):
        adjusted[rows] = np.log(out).astype(logits.dtype)
    return adjusted


def slipped_velocity(levels: np.ndarray, loop: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """The velocity of a repeated note whose velocity slipped from class ``loop`` to ``drawn``:
    its own (``levels``, the clip note's) moved by as many classes' worth (a lead's 62 slipped
    to its class's neighbours' middles, 60 or 68: softer by 2, louder by 6)."""
    return within(levels + VELOCITY_BIN * (drawn - loop), 1, 127)


def loop_loudness(seed_rows: np.ndarray, clip_end: int, bar: int) -> tuple[int, int]:
    """The softest and the loudest velocity of the clip's loop (grid rows, ticks): where a
    repeated note's velocity slips stay (:func:`near_velocity`)."""
    inside = seed_rows[seed_rows[:, 0] >= clip_end - loop_ticks(clip_end, bar)]
    if not len(inside):
        return 1, 127
    return int(inside[:, 3].min()), int(inside[:, 3].max())
