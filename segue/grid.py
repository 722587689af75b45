"""The model's time grid: beats quantized to a fixed number of ticks per beat; clips as grid rows.

24 ticks per beat makes 16ths (6), 32nds (3), 8th-note triplets (8) and
16th-note triplets (4) exact. Times that arrive as float32 over OSC (1/3 as
0.33333334) snap to the nearest tick, so they land where the musician put them.

On the grid, a clip's notes are *grid rows*: int32 (n, 4) onset tick, pitch,
duration in ticks, velocity (:data:`ROW_COLUMNS`). :func:`clip_rows` is the one
place a clip becomes grid rows: the dataset, generation, the evaluation and the
bridge's seeds all go through it.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from segue.errors import SegueError
from segue.notes import Clip

TICKS_PER_BEAT = 24
TICK = 1 / TICKS_PER_BEAT
"""One tick in beats: the shortest note on the grid."""
ROW_COLUMNS = ("start_tick", "pitch", "duration_ticks", "velocity")
_INT32_MAX = 2**31 - 1


class ClipTooLong(SegueError):
    """Grid times do not fit the int32 columns of grid rows."""

    def __init__(self) -> None:
        super().__init__("the clip is too long for the dataset's grid times")


HALF_TICK_SLACK = 1e-3
"""Ticks below a half tick that still round up (more for late times: float32's rounding of
the time, :data:`FLOAT32_SLACK` of it). A played note's time on a half tick (116.5 ticks:
common at 96 and 480 PPQ) arrives at the bridge as float32, 116.49999, and rounded down
there while a MIDI file's float64 rounded it up: `segue send` and the device played such
notes a tick away from `segue generate`. A file's ticks come nowhere near (960 PPQ: a
40th of a tick, against 0.024 at a seed's latest, 4096 beats)."""
FLOAT32_SLACK = 2.4e-7
"""A float32's rounding, relative (2 ** -23 is 1.2e-7, doubled for a sum of two)."""


def to_ticks(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> int:
    """Nearest grid tick to a time in beats (halves, to within :data:`HALF_TICK_SLACK`,
    round away from zero)."""
    scaled = beats * ticks_per_beat
    slack = max(HALF_TICK_SLACK, abs(scaled) * FLOAT32_SLACK)
    if scaled >= 0:
        return int(math.floor(scaled + 0.5 + slack))
    return -int(math.floor(-scaled + 0.5 + slack))


def to_beats(ticks: int, ticks_per_beat: int = TICKS_PER_BEAT) -> float:
    return ticks / ticks_per_beat


def snap(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> float:
    """A time in beats moved to the nearest grid tick."""
    return to_beats(to_ticks(beats, ticks_per_beat), ticks_per_beat)


def on_a_tick(ticks: float) -> bool:
    """Whether one time in ticks lies within a float32's rounding of its tick, as
    :func:`on_ticks` reads it, without numpy's cost per call (a played clip's every note is
    heard with it several times a request: a trance gate's 192 notes took 4 ms)."""
    return abs(ticks - math.floor(ticks + 0.5)) <= max(1e-3, abs(ticks) * FLOAT32_SLACK)


def on_ticks(ticks: np.ndarray) -> np.ndarray:
    """Times in ticks, each on its tick where it lies within a float32's rounding of it
    (1/3 of a beat as 0.33333334), else as it is (a swing, a played take)."""
    ticks = np.asarray(ticks, dtype=np.float64)
    tick = np.floor(ticks + 0.5)
    slack = np.maximum(1e-3, np.abs(ticks) * FLOAT32_SLACK)
    return np.where(np.abs(ticks - tick) <= slack, tick, ticks)


def near_grid(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> float:
    """A time as it came over OSC (float32): on the grid where it lies within a float's
    rounding of a tick (:func:`on_ticks`), else as it is."""
    ticks = float(on_ticks(np.asarray(beats * ticks_per_beat)))
    return beats if ticks == beats * ticks_per_beat else ticks / ticks_per_beat


def sent_times(start: float, duration: float) -> tuple[float, float]:
    """A seed note's start and duration as the Live device sends them: as played where,
    sent as float32, they snap to the same ticks as here (a repeat of the note keeps its
    swing or feel); else on those ticks (start and end snapped, at least one tick). A time
    within float32's rounding of where ticks part (:data:`HALF_TICK_SLACK`) may snap to the
    other tick."""
    on_tick, off_tick = to_ticks(start), to_ticks(start + duration)
    start32, duration32 = float(np.float32(start)), float(np.float32(duration))
    if (
        off_tick > on_tick
        and to_ticks(start32) == on_tick
        and to_ticks(start32 + duration32) == off_tick
    ):
        return start, duration
    return to_beats(on_tick), to_beats(max(off_tick - on_tick, 1))


def length_ticks(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> int:
    """A clip length in beats on the grid; :class:`ClipTooLong` past the int32 columns."""
    ticks = to_ticks(beats, ticks_per_beat)
    if ticks > _INT32_MAX:
        raise ClipTooLong()
    return ticks


def _rounded(ticks: np.ndarray) -> np.ndarray:
    """Times in ticks (not negative) to whole ticks, as :func:`to_ticks` rounds each."""
    slack = np.maximum(HALF_TICK_SLACK, np.abs(ticks) * FLOAT32_SLACK)
    return np.floor(ticks + 0.5 + slack).astype(np.int64)


def grid_rows(
    pitch: ArrayLike,
    start: ArrayLike,
    duration: ArrayLike,
    velocity: ArrayLike,
    ticks_per_beat: int = TICKS_PER_BEAT,
) -> np.ndarray:
    """Notes in beats, given as arrays, as grid rows: int32 (n, 4), see :data:`ROW_COLUMNS`.

    Start and end snap to the nearest tick (halves round up, as :func:`to_ticks`) and a duration
    never snaps below one tick. Rows are sorted by start then pitch; notes that
    land on the same start and pitch are merged, keeping the longer (then the
    louder). :class:`ClipTooLong` when a time does not fit int32.
    """
    start = np.asarray(start, dtype=np.float64)
    end = start + np.asarray(duration, dtype=np.float64)
    start_ticks = _rounded(start * ticks_per_beat)
    end_ticks = _rounded(end * ticks_per_beat)
    rows = np.stack(
        [
            start_ticks,
            np.asarray(pitch, dtype=np.int64),
            np.maximum(end_ticks - start_ticks, 1),
            np.asarray(velocity, dtype=np.int64),
        ],
        axis=1,
    ).reshape(-1, 4)
    order = np.lexsort((-rows[:, 3], -rows[:, 2], rows[:, 1], rows[:, 0]))
    rows = rows[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:, 0] != rows[:-1, 0]) | (rows[1:, 1] != rows[:-1, 1])
    rows = rows[keep]
    if len(rows) and int((rows[:, 0] + rows[:, 2]).max()) > _INT32_MAX:
        raise ClipTooLong()
    return rows.astype(np.int32)


def clip_rows(clip: Clip, ticks_per_beat: int = TICKS_PER_BEAT) -> np.ndarray:
    """The clip's notes as grid rows (see :func:`grid_rows`)."""
    notes = clip.notes
    return grid_rows(
        [n.pitch for n in notes],
        [n.start for n in notes],
        [n.duration for n in notes],
        [n.velocity for n in notes],
        ticks_per_beat,
    )
