"""Notes as model steps: pure functions from grid rows (``segue.grid``) to class indices.

One step per note. Each note is four classes plus its place in the bar:

* ``offset``   time since the previous note's onset (0 = same chord), in ticks;
* ``pitch``    0-127;
* ``duration`` in ticks;
* ``velocity`` in bins of 4 (64, 80, 100 and 127 exact);
* ``position`` ticks since the start of the bar the note starts in (an input
  only: the model learns meter from it).

Offsets and durations use one table of tick values: every tick up to 4 beats
(so 32nds and triplets are exact), then whole beats up to 16. A longer value
falls into the largest class; an offset between two whole beats into the one
before it, a duration into the nearer. Index ``BOS`` of each field (one past the last
real class) marks the start of a piece, before its first note, at tick 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt

from segue.model.note_values import halved, halvings

FIELDS = ("offset", "pitch", "duration", "velocity")
VELOCITY_BIN = 4


def any_set(mask: npt.ArrayLike) -> bool:
    """Whether any of ``mask`` is set (non-zero): ``ndarray.any()``'s answer, without its
    cost per call (1.7 us on a take's few rows, where ``count_nonzero`` takes 0.4: a dense
    chord loop's step asks it a few dozen times)."""
    return bool(np.count_nonzero(mask))


def where_set(mask: np.ndarray) -> np.ndarray:
    """The indices where ``mask`` is set: ``np.flatnonzero``'s answer (of the mask
    flattened), without its cost per call (2.8 us where ``nonzero`` takes 0.3: a dense chord
    loop's step asks it about nine times)."""
    return mask.ravel().nonzero()[0]


def columns(*fields: np.ndarray) -> np.ndarray:
    """The ``fields`` (each (rows,)) side by side, (rows, fields): ``np.stack(fields,
    axis=1)``'s values, without its cost per call (3.3 us on a take's few rows, where one
    array and its transpose take 0.8: a note step made two)."""
    return np.array(fields).T


def within(values: np.ndarray, low: int, high: int) -> np.ndarray:
    """``values`` held to ``low``..``high``: ``np.clip``'s result, without its cost per call
    (a few microseconds of Python around the ufunc, paid several times a note step)."""
    return np.minimum(np.maximum(values, low), high)


def default_time_values(ticks_per_beat: int) -> tuple[int, ...]:
    fine = range(0, 4 * ticks_per_beat + 1)
    coarse = range(5 * ticks_per_beat, 16 * ticks_per_beat + 1, ticks_per_beat)
    return tuple(fine) + tuple(coarse)


@dataclass(frozen=True)
class Vocab:
    """The classes of each field; stored in every checkpoint."""

    ticks_per_beat: int = 24
    time_values: tuple[int, ...] = field(default=())
    max_bar_ticks: int = 8 * 24

    def __post_init__(self) -> None:
        if not self.time_values:
            object.__setattr__(self, "time_values", default_time_values(self.ticks_per_beat))
        object.__setattr__(self, "time_values", tuple(int(v) for v in self.time_values))

    # sizes of the real classes (BOS index == size)
    @property
    def n_offset(self) -> int:
        return len(self.time_values)

    @property
    def n_duration(self) -> int:
        return len(self.time_values) - 1  # no zero duration

    @property
    def n_pitch(self) -> int:
        return 128

    @property
    def n_velocity(self) -> int:
        return 128 // VELOCITY_BIN

    @property
    def n_position(self) -> int:
        return self.max_bar_ticks

    def sizes(self) -> dict[str, int]:
        return {
            "offset": self.n_offset,
            "pitch": self.n_pitch,
            "duration": self.n_duration,
            "velocity": self.n_velocity,
        }

    def to_dict(self) -> dict:
        d = asdict(self)
        d["time_values"] = list(self.time_values)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Vocab:
        return cls(
            ticks_per_beat=int(d["ticks_per_beat"]),
            time_values=tuple(int(v) for v in d["time_values"]),
            max_bar_ticks=int(d["max_bar_ticks"]),
        )

    # ---- encoding (arrays in, arrays out) ---------------------------------
    def offset_class(self, ticks: np.ndarray) -> np.ndarray:
        values = np.asarray(self.time_values)
        idx = np.searchsorted(values, np.asarray(ticks), side="right") - 1
        return within(idx, 0, len(values) - 1)

    def duration_class(self, ticks: np.ndarray) -> np.ndarray:
        """The class of each length: exact up to 4 beats; past them, the nearer whole beat
        (the shorter on a tie). A pad chord rolled in and held to the bar line, 7.96 beats,
        was read as 7 and came back a beat short of the next chord."""
        values = np.asarray(self.time_values[1:])
        t = np.maximum(np.asarray(ticks), 1)
        idx = within(np.searchsorted(values, t, side="right") - 1, 0, len(values) - 1)
        up = np.minimum(idx + 1, len(values) - 1)
        return np.where(values[up] - t < t - values[idx], up, idx)

    def velocity_class(self, velocity: np.ndarray) -> np.ndarray:
        # class c stands for velocity 4c + 4, so 64, 80, 100 and 127 come back unchanged
        v = np.asarray(velocity)
        return within((v + VELOCITY_BIN // 2) // VELOCITY_BIN - 1, 0, self.n_velocity - 1)

    # ---- decoding ----------------------------------------------------------
    def duration_ticks(self, cls: np.ndarray) -> np.ndarray:
        return np.asarray(self.time_values[1:])[np.asarray(cls)]

    def velocity_value(self, cls: np.ndarray) -> np.ndarray:
        return within(np.asarray(cls) * VELOCITY_BIN + VELOCITY_BIN, 1, 127)


def bar_positions(start_ticks: np.ndarray, bar_ticks: int, max_bar_ticks: int) -> np.ndarray:
    """Ticks since the start of the bar for each onset, capped at the table size."""
    return np.minimum(np.asarray(start_ticks) % max(bar_ticks, 1), max_bar_ticks - 1)


def steps_of(rows: np.ndarray, bar_ticks: int, vocab: Vocab) -> np.ndarray:
    """Grid rows (n, 4: start tick, pitch, duration ticks, velocity; time order) to model steps.

    Returns int64 (n + 1, 5): columns offset, pitch, duration, velocity, position.
    Row 0 is the BOS step at tick 0; row i+1 is note i. The offset of the first
    note is measured from the clip's start, so a clip that opens with a rest
    keeps it. A bar longer than the model's is read in shorter note values
    (``segue.model.note_values``).
    """
    times = halvings(bar_ticks, vocab.max_bar_ticks)  # a bar too long: shorter note values
    rows, bar_ticks = halved(rows, times), bar_ticks >> times
    steps = np.empty((len(rows) + 1, 5), dtype=np.int64)
    steps[0] = (vocab.n_offset, vocab.n_pitch, vocab.n_duration, vocab.n_velocity, 0)
    starts = rows[:, 0]
    offsets = np.diff(starts, prepend=0)
    steps[1:, 0] = vocab.offset_class(offsets)
    steps[1:, 1] = rows[:, 1]
    steps[1:, 2] = vocab.duration_class(rows[:, 2])
    steps[1:, 3] = vocab.velocity_class(rows[:, 3])
    steps[1:, 4] = bar_positions(starts, bar_ticks, vocab.max_bar_ticks)
    return steps
