"""Bars longer than the model's: read in shorter note values.

A network knows where a note falls in its bar up to ``Vocab.max_bar_ticks`` (8 beats).
A bar of 3/1, 6/2, 5/2 or 9/4 is longer: every onset past the eighth beat looked the same
to it, and the whole and half notes such metres are written in are rare in what it
learnt. A clip or piece in such a metre is read with its note values halved, as often as
its bar needs to fit (3/1 as 3/2, 9/4 as 9/8, 12/1 as 12/8): the same music in note values
the network knows, with every position in the bar its own. Encoding (training, tuning,
scoring, choosing a model) halves a piece this way, and generation halves the clip on the
way in and doubles the new notes on the way out, so all of them see the same steps.
"""

from __future__ import annotations

import numpy as np

from segue.notes import VALID_DENOMINATORS, TimeSignature

METRE_TICKS = 6
"""A bar is halved only when it is a multiple of this many ticks: then half of it is still a
metre segue can write (the denominator doubled, or at /32 the numerator halved)."""


def halvings(bar_ticks: int, max_bar_ticks: int) -> int:
    """How many times a piece's note values are halved for its bar to fit the model's bar
    positions (0 for every bar of up to ``max_bar_ticks``)."""
    times = 0
    bar = int(bar_ticks)
    while bar > max_bar_ticks and bar % METRE_TICKS == 0:
        bar //= 2
        times += 1
    return times


def halved(rows: np.ndarray, times: int) -> np.ndarray:
    """Grid rows (n, 4: start tick, pitch, duration ticks, velocity) with their start and
    duration divided by ``2 ** times``, to the nearest tick (a duration keeps 1 at least)."""
    rows = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    if times <= 0:
        return rows
    half = 1 << (times - 1)
    out = rows.copy()
    out[:, 0] = (rows[:, 0] + half) >> times
    out[:, 2] = np.maximum((rows[:, 2] + half) >> times, 1)
    return out


def halved_tick(tick: int, times: int) -> int:
    """One tick (a clip's end, say) halved ``times`` times as :func:`halved` halves a start."""
    return (int(tick) + (1 << times >> 1)) >> times


def doubled(rows: np.ndarray, times: int) -> np.ndarray:
    """Grid rows made in halved note values, back in the piece's own: start and duration
    multiplied by ``2 ** times`` (the inverse of :func:`halved` on the grid it rounds to)."""
    out = np.array(rows, dtype=np.int64).reshape(-1, 4)
    out[:, [0, 2]] <<= times
    return out


def shorter_metre(ts: TimeSignature, times: int) -> TimeSignature:
    """``ts`` with its note values halved ``times`` times (3/1 once: 3/2)."""
    num, den = ts.numerator, ts.denominator
    for _ in range(times):
        if 2 * den <= VALID_DENOMINATORS[-1]:
            den *= 2
        else:
            num //= 2
    return TimeSignature(num, den)
