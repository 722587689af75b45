"""Metrics of a continuation, computed the same way on generated and on real notes.

Every function here is pure numpy (no torch) and reads notes as grid rows, the
dataset's encoding: an int array (n, 4) of start tick, pitch, duration in ticks
and velocity. :func:`as_rows` turns a sequence of :class:`~segue.notes.Note`
into rows and puts any rows in time order (start, then pitch); :func:`as_notes`
turns rows back into notes.

:func:`continuation_metrics` computes every metric of one continuation against
its :class:`Context` (the seed it continues); :data:`METRICS` names and defines
them for reports. A metric that cannot be computed (an interval of a single
note, the key of an empty seed) is ``nan``, and averages leave it out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from segue.grid import TICKS_PER_BEAT, to_ticks
from segue.model.key_profiles import detect_key
from segue.model.keys import Key
from segue.notes import Note

NAN = float("nan")
PATTERN_NOTES = 4  # notes in a pattern of distinct_patterns
TIME_CAP = 4 * TICKS_PER_BEAT  # time histograms: one bin per tick up to 4 beats, then one more


@dataclass(frozen=True)
class Metric:
    """One metric of a report: its key, a short label, its unit and how it is computed."""

    key: str
    label: str
    unit: str
    definition: str


METRICS: tuple[Metric, ...] = (
    Metric(
        "in_key",
        "in-key rate",
        "share",
        "Share of the continuation's notes whose pitch class is in the seed's key (major or "
        "minor, detected from the seed's pitch classes weighted by duration, Krumhansl-"
        "Kessler profiles).",
    ),
    Metric(
        "pitch_class_distance",
        "pitch-class distance",
        "0-1",
        "Total variation distance (half the L1 distance) between the pitch-class histogram "
        "(note counts) of the continuation and that of the seed: 0 = the same proportions.",
    ),
    Metric(
        "pitch_range", "pitch range", "semitones", "Highest minus lowest pitch of the continuation."
    ),
    Metric(
        "mean_interval",
        "mean |interval|",
        "semitones",
        "Mean absolute interval between successive onsets of the top line (the highest "
        "pitch at each onset; for a melody, every pair of successive notes).",
    ),
    Metric(
        "ioi_distance",
        "IOI distance",
        "0-1",
        "Total variation distance between the histogram of inter-onset intervals (ticks "
        "between successive distinct onsets; one bin per tick up to 4 beats, one for longer) "
        "of the continuation and that of the seed.",
    ),
    Metric(
        "duration_distance",
        "duration distance",
        "0-1",
        "Total variation distance between the note-duration histograms (bins as for IOI) "
        "of the continuation and of the seed. Continuations, real and generated alike, are "
        "cut at their last bar line, so a note's duration ends there at the latest.",
    ),
    Metric(
        "notes_per_bar",
        "notes per bar",
        "notes",
        "Notes of the continuation divided by its length in bars.",
    ),
    Metric(
        "polyphony",
        "polyphony",
        "notes",
        "Mean number of notes sounding at once, over the time at least one note sounds.",
    ),
    Metric(
        "on_grid",
        "on the seed's grid",
        "share",
        "Share of the continuation's onsets that lie on the grid the seed uses: the first "
        "of 16ths; 8th-note triplets; 16ths and 8th-note triplets; 16th-note triplets; 16ths "
        "and 16th-note triplets; 32nds; 32nds and 16th-note triplets; any tick, that holds "
        "every onset of the seed (counted in beats from the seed's start).",
    ),
    Metric(
        "distinct_patterns",
        "distinct 4-note patterns",
        "share",
        "Distinct 4-note patterns divided by all 4-note patterns of the continuation; a "
        "pattern is four successive notes' pitches and the three onset gaps between them "
        "(1 = nothing repeats; low = loops).",
    ),
    Metric(
        "copy_seed",
        "longest copy of the seed",
        "notes",
        "Longest run of successive notes of the continuation that appears in the seed with "
        "the same pitches and the same onset gaps.",
    ),
    Metric(
        "copy_train",
        "longest copy of the training set",
        "notes",
        "Longest run of successive notes of the continuation that appears verbatim (same "
        "pitches, same onset gaps, within one piece) in the training split.",
    ),
)
LOOP_METRICS: tuple[Metric, ...] = (
    Metric(
        "register_error",
        "register error",
        "semitones",
        "Distance between the median pitch of the continuation and that of the real "
        "continuation (the real one scores 0).",
    ),
    Metric(
        "silent",
        "silent time",
        "share",
        "Share of the continuation's time in which no note sounds.",
    ),
    Metric("note_length", "note length", "beats", "Mean duration of the continuation's notes."),
    Metric(
        "seed_positions",
        "onsets on the seed's bar positions",
        "share",
        "Share of the continuation's notes whose onset falls at a place in the bar where the "
        "seed has an onset.",
    ),
    Metric(
        "loop_share",
        "loop share",
        "share",
        "Share of the continuation's notes that the seed, played again from the "
        "continuation's start, also has (same onset and pitch).",
    ),
    Metric(
        "note_f1",
        "note F1",
        "0-1",
        "F1 of the continuation's notes (onset and pitch) against the real continuation's.",
    ),
    Metric(
        "onset_f1",
        "onset F1",
        "0-1",
        "F1 of the continuation's distinct onsets against the real continuation's.",
    ),
    Metric(
        "exact_repeat",
        "exact repeats",
        "share",
        "Share of continuations whose notes (onset and pitch) are exactly the seed played again.",
    ),
    Metric(
        "diversity",
        "diversity",
        "0-1",
        "Mean over pairs of one seed's continuations of 1 - Jaccard similarity of their notes "
        "(onset and pitch): 0 = all the same.",
    ),
)
"""How a continuation keeps and varies the loop of the seed it continues (producers' clips:
basslines, chord loops, arpeggios, leads, beats), measured beside the real continuation."""
JUDGED_KEYS = tuple(m.key for m in METRICS)
"""The metrics judged within or outside tolerance of the real continuations."""
METRIC_KEYS = JUDGED_KEYS + tuple(m.key for m in LOOP_METRICS)
"""Every metric measured, in the order reports store them."""


# ---------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------
def as_rows(notes: Sequence[Note] | np.ndarray, ticks_per_beat: int = TICKS_PER_BEAT) -> np.ndarray:
    """Grid rows (n, 4) int64 in time order, from Notes (in beats) or from rows."""
    if isinstance(notes, np.ndarray):
        rows = np.asarray(notes, dtype=np.int64).reshape(-1, 4)
    else:
        rows = np.array(
            [
                [
                    to_ticks(n.start, ticks_per_beat),
                    n.pitch,
                    max(1, to_ticks(n.end, ticks_per_beat) - to_ticks(n.start, ticks_per_beat)),
                    n.velocity,
                ]
                for n in notes
            ],
            dtype=np.int64,
        ).reshape(-1, 4)
    order = np.lexsort((rows[:, 1], rows[:, 0]))
    return rows[order]


def as_notes(rows: np.ndarray, ticks_per_beat: int = TICKS_PER_BEAT) -> tuple[Note, ...]:
    """Grid rows (n, 4) as Notes in beats, in the rows' order."""
    return tuple(
        Note(int(p), s / ticks_per_beat, d / ticks_per_beat, int(v))
        for s, p, d, v in np.asarray(rows, dtype=np.int64).reshape(-1, 4)
    )


def onsets(rows: np.ndarray) -> np.ndarray:
    """The distinct onsets, in ticks, in order."""
    return np.unique(np.asarray(rows).reshape(-1, 4)[:, 0])


def window(rows: np.ndarray, start: int, end: int) -> np.ndarray:
    """The notes starting in ``[start, end)``, moved to start at ``start`` and cut at ``end``."""
    rows = as_rows(rows)
    inside = rows[(rows[:, 0] >= start) & (rows[:, 0] < end)].copy()
    inside[:, 2] = np.minimum(inside[:, 0] + inside[:, 2], end) - inside[:, 0]
    inside[:, 0] -= start
    return inside


# ---------------------------------------------------------------------------
# pitch
# ---------------------------------------------------------------------------
def in_key_rate(rows: np.ndarray, key: Key | None) -> float:
    rows = as_rows(rows)
    if key is None or len(rows) == 0:
        return NAN
    return float(np.isin(rows[:, 1] % 12, sorted(key.pitch_classes())).mean())


def pitch_class_histogram(rows: np.ndarray) -> np.ndarray:
    """Note counts per pitch class (12,), as proportions; all zeros without notes."""
    rows = as_rows(rows)
    counts = np.bincount(rows[:, 1] % 12, minlength=12).astype(np.float64)
    return counts / counts.sum() if counts.sum() else counts


def histogram_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Total variation distance between two histograms of the same bins (0 to 1).

    Each is normalised first; ``nan`` when either is empty.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.sum() <= 0 or b.sum() <= 0:
        return NAN
    return float(0.5 * np.abs(a / a.sum() - b / b.sum()).sum())


def pitch_range(rows: np.ndarray) -> float:
    rows = as_rows(rows)
    return float(rows[:, 1].max() - rows[:, 1].min()) if len(rows) else NAN


def top_line(rows: np.ndarray) -> np.ndarray:
    """The highest pitch at each distinct onset, in time order."""
    rows = as_rows(rows)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    last_of_onset = np.append(rows[1:, 0] != rows[:-1, 0], True)
    return rows[last_of_onset, 1]  # rows are sorted by pitch within an onset


def mean_abs_interval(rows: np.ndarray) -> float:
    line = top_line(rows)
    return float(np.abs(np.diff(line)).mean()) if len(line) > 1 else NAN


# ---------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------
def inter_onset_intervals(rows: np.ndarray) -> np.ndarray:
    """Ticks between successive distinct onsets."""
    return np.diff(onsets(rows))


def time_histogram(ticks: np.ndarray, cap: int = TIME_CAP) -> np.ndarray:
    """Counts of tick values: one bin per value from 0 to ``cap``, one for anything longer."""
    values = np.minimum(np.asarray(ticks, dtype=np.int64).reshape(-1), cap + 1)
    return np.bincount(np.maximum(values, 0), minlength=cap + 2).astype(np.float64)


def ioi_histogram(rows: np.ndarray) -> np.ndarray:
    return time_histogram(inter_onset_intervals(rows))


def duration_histogram(rows: np.ndarray) -> np.ndarray:
    return time_histogram(as_rows(rows)[:, 2])


def notes_per_bar(rows: np.ndarray, bars: float) -> float:
    return len(as_rows(rows)) / bars if bars > 0 else NAN


def polyphony(rows: np.ndarray) -> float:
    """Mean number of notes sounding at once, weighted by time, where at least one sounds."""
    rows = as_rows(rows)
    if len(rows) == 0:
        return NAN
    starts, ends = rows[:, 0], rows[:, 0] + rows[:, 2]
    edges = np.unique(np.concatenate([starts, ends]))
    begin = edges[:-1]
    sounding = np.searchsorted(np.sort(starts), begin, side="right") - np.searchsorted(
        np.sort(ends), begin, side="right"
    )
    lengths = np.diff(edges)
    busy = sounding > 0
    return float((sounding[busy] * lengths[busy]).sum() / lengths[busy].sum())


GRIDS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("16ths", (6,)),
    ("8th-note triplets", (8,)),
    ("16ths and 8th-note triplets", (6, 8)),
    ("16th-note triplets", (4,)),
    ("16ths and 16th-note triplets", (6, 4)),
    ("32nds", (3,)),
    ("32nds and 16th-note triplets", (3, 4)),
    ("any tick", (1,)),
)
"""Candidate grids, coarsest first, as steps in ticks at 24 ticks per beat."""


def on_grid(ticks: np.ndarray, steps: tuple[int, ...]) -> np.ndarray:
    """Which of the tick times lie on a grid of one of the ``steps``."""
    ticks = np.asarray(ticks, dtype=np.int64).reshape(-1)
    return np.any(ticks[:, None] % np.asarray(steps)[None, :] == 0, axis=1)


def seed_grid(onset_ticks: np.ndarray) -> tuple[str, tuple[int, ...]]:
    """The coarsest candidate grid of :data:`GRIDS` that holds every onset."""
    for name, steps in GRIDS:
        if on_grid(onset_ticks, steps).all():
            return name, steps
    return GRIDS[-1]


def on_grid_rate(onset_ticks: np.ndarray, steps: tuple[int, ...]) -> float:
    ticks = np.asarray(onset_ticks).reshape(-1)
    return float(on_grid(ticks, steps).mean()) if len(ticks) else NAN


# ---------------------------------------------------------------------------
# repetition and copying
# ---------------------------------------------------------------------------
def distinct_pattern_share(rows: np.ndarray, size: int = PATTERN_NOTES) -> float:
    """Distinct patterns of ``size`` successive notes (pitches and onset gaps) over all of them."""
    rows = as_rows(rows)
    if len(rows) < size:
        return NAN
    pitches, gaps = rows[:, 1], np.diff(rows[:, 0])
    count = len(rows) - size + 1
    patterns = np.concatenate(
        [
            np.lib.stride_tricks.sliding_window_view(pitches, size)[:count],
            np.lib.stride_tricks.sliding_window_view(gaps, size - 1)[:count],
        ],
        axis=1,
    )
    return len(np.unique(patterns, axis=0)) / count


def _interleaved(rows: np.ndarray) -> np.ndarray:
    """pitch, gap, pitch, gap, ..., pitch: the note stream that copies are found in."""
    rows = as_rows(rows)
    out = np.empty(max(2 * len(rows) - 1, 0), dtype=np.int64)
    out[0::2] = rows[:, 1]
    out[1::2] = np.diff(rows[:, 0])
    return out


class CopyIndex:
    """Finds the longest run of notes that appears verbatim in a collection of pieces.

    A run of k notes is copied when some piece holds k successive notes with the
    same pitches and the same k-1 onset gaps. The pieces become one stream of
    (pitch, gap to the next note) pairs; each piece's last note gets a gap no
    query can match, so no run crosses from one piece into the next. A suffix
    array over the stream (prefix doubling, O(N log N)) answers a query of n
    notes with one vectorised binary search for all n starting points.
    """

    _BELOW = np.iinfo(np.int64).min  # past the end of the stream: below every token

    def __init__(self, pieces: Iterable[np.ndarray]) -> None:
        pitch_parts, gap_parts = [], []
        for number, piece in enumerate(pieces):
            rows = as_rows(piece)
            if len(rows) == 0:
                continue
            gaps = np.append(np.diff(rows[:, 0]), -(number + 1))  # a unique end mark
            pitch_parts.append(rows[:, 1])
            gap_parts.append(gaps)
        pitches = np.concatenate(pitch_parts) if pitch_parts else np.zeros(0, np.int64)
        gaps = np.concatenate(gap_parts) if gap_parts else np.zeros(0, np.int64)
        self.stream = np.empty(2 * len(pitches), dtype=np.int64)
        self.stream[0::2], self.stream[1::2] = pitches, gaps
        self.suffixes = _suffix_array(pitches, gaps)

    def __len__(self) -> int:
        return len(self.suffixes)

    def longest_run(self, rows: np.ndarray) -> int:
        """The longest run of the notes (in time order) found verbatim in the pieces."""
        query = _interleaved(rows)
        notes = (len(query) + 1) // 2
        if notes == 0 or len(self) == 0:
            return 0
        width = len(query)
        starts = np.arange(notes) * 2
        lengths = width - starts  # tokens of each query suffix
        column = np.arange(width)
        mine = np.where(
            column[None, :] < lengths[:, None],
            query[np.minimum(starts[:, None] + column[None, :], width - 1)],
            0,
        )
        valid = column[None, :] < lengths[:, None]

        def compare(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """Common prefix (tokens) with each suffix, and whether the query sorts before it."""
            index = 2 * self.suffixes[positions][:, None] + column[None, :]
            theirs = np.where(
                index < len(self.stream),
                self.stream[np.minimum(index, len(self.stream) - 1)],
                self._BELOW,
            )
            same = (mine == theirs) | ~valid
            common = np.where(same.all(axis=1), lengths, np.argmin(same, axis=1))
            at = np.minimum(common, width - 1)
            rows_ = np.arange(len(positions))
            before = (common >= lengths) | (mine[rows_, at] < theirs[rows_, at])
            return np.minimum(common, lengths), before

        low = np.zeros(notes, dtype=np.int64)
        high = np.full(notes, len(self), dtype=np.int64)
        while np.any(low < high):
            active = low < high
            mid = (low + high) // 2
            _, before = compare(np.minimum(mid, len(self) - 1))
            high = np.where(active & before, mid, high)
            low = np.where(active & ~before, mid + 1, low)
        best = np.zeros(notes, dtype=np.int64)
        for neighbour in (low - 1, low):
            inside = (neighbour >= 0) & (neighbour < len(self))
            common, _ = compare(np.clip(neighbour, 0, len(self) - 1))
            best = np.maximum(best, np.where(inside, common, 0))
        return int(((best + 1) // 2).max())


def _suffix_array(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Positions sorted by the sequence of (first, second) pairs from each one on."""
    n = len(first)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, rank = np.unique(np.stack([first, second], axis=1), axis=0, return_inverse=True)
    rank = rank.reshape(-1).astype(np.int64)
    step = 1
    while True:
        after = np.full(n, -1, dtype=np.int64)
        if step < n:
            after[: n - step] = rank[step:]
        order = np.lexsort((after, rank))
        first, second = rank[order], after[order]
        changed = np.ones(n, dtype=bool)
        changed[1:] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
        new_rank = np.empty(n, dtype=np.int64)
        new_rank[order] = np.cumsum(changed) - 1
        rank = new_rank
        if rank.max() == n - 1 or step >= n:
            return order.astype(np.int64)
        step *= 2


# ---------------------------------------------------------------------------
# the loop: register, space, groove, repetition
# ---------------------------------------------------------------------------
def median_pitch(rows: np.ndarray) -> float:
    return float(np.median(rows[:, 1])) if len(rows) else NAN


def silent_share(rows: np.ndarray, span: int) -> float:
    """Share of ``span`` ticks in which no note sounds."""
    if span <= 0:
        return NAN
    sounding = np.zeros(span + 1, dtype=np.int64)
    starts = np.clip(rows[:, 0], 0, span)
    ends = np.clip(rows[:, 0] + rows[:, 2], 0, span)
    np.add.at(sounding, starts, 1)
    np.add.at(sounding, ends, -1)
    return float((np.cumsum(sounding)[:span] == 0).mean())


def mean_length(rows: np.ndarray) -> float:
    return float(rows[:, 2].mean() / TICKS_PER_BEAT) if len(rows) else NAN


def seed_position_share(rows: np.ndarray, seed: np.ndarray, bar_ticks: int) -> float:
    """Share of notes at a place in the bar (ticks) where the seed has an onset."""
    if not len(rows) or bar_ticks <= 0:
        return NAN
    used = np.unique(seed[:, 0] % bar_ticks)
    return float(np.isin(rows[:, 0] % bar_ticks, used).mean())


def note_keys(rows: np.ndarray) -> set[tuple[int, int]]:
    """The (onset, pitch) of every note."""
    return {(int(s), int(p)) for s, p in np.asarray(rows).reshape(-1, 4)[:, :2]}


def f1(found: AbstractSet[object], real: AbstractSet[object]) -> float:
    if not found and not real:
        return 1.0
    return 2 * len(found & real) / (len(found) + len(real))


def replay(seed: np.ndarray, seed_ticks: int, span: int) -> np.ndarray:
    """The seed played again for ``span`` ticks from where it ends: its last ``span`` ticks,
    or the whole seed over and over when it is shorter ("repeat the last bars")."""
    rows = as_rows(seed)
    if seed_ticks <= 0 or not len(rows):
        return rows[:0]
    if span <= seed_ticks:
        return window(rows, seed_ticks - span, seed_ticks)
    laps = [
        window(rows, 0, seed_ticks) + np.array([k * seed_ticks, 0, 0, 0])
        for k in range(-(-span // seed_ticks))
    ]
    return window(np.concatenate(laps), 0, span)


def jaccard_distance(a: AbstractSet[object], b: AbstractSet[object]) -> float:
    union = a | b
    return 1.0 - len(a & b) / len(union) if union else 0.0


def diversity(rows_list: Sequence[np.ndarray]) -> float:
    """Mean 1 - Jaccard similarity of the notes (onset, pitch) over pairs of continuations."""
    keys = [note_keys(r) for r in rows_list]
    pairs = [jaccard_distance(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
    return float(np.mean(pairs)) if pairs else NAN


def loop_metrics(rows: np.ndarray, context: Context) -> dict[str, float]:
    """The metrics of :data:`LOOP_METRICS` of one continuation but ``diversity`` (which
    needs several); those against the real continuation are nan when it is unknown."""
    seed, span = context.seed, context.span_ticks
    again = note_keys(replay(seed, context.seed_ticks, span))
    mine = note_keys(rows)
    real = context.real
    return {
        "register_error": (
            abs(median_pitch(rows) - median_pitch(real))
            if real is not None and len(real) and len(rows)
            else NAN
        ),
        "silent": silent_share(rows, span),
        "note_length": mean_length(rows),
        "seed_positions": seed_position_share(rows, seed, context.bar_ticks),
        "loop_share": len(mine & again) / len(mine) if mine else NAN,
        "note_f1": f1(mine, note_keys(real)) if real is not None else NAN,
        "onset_f1": (
            f1({s for s, _ in mine}, {s for s, _ in note_keys(real)}) if real is not None else NAN
        ),
        "exact_repeat": float(mine == again),
    }


# ---------------------------------------------------------------------------
# all metrics of one continuation
# ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Context:
    """What a continuation is measured against: the seed it continues and where it stands.

    ``seed`` rows are on the piece's timeline (the seed starts at tick 0); a
    continuation's rows start at 0 where the seed clip ends, ``seed_ticks``.
    """

    seed: np.ndarray
    seed_ticks: int
    bars: float
    key: Key | None
    grid: tuple[int, ...]
    grid_name: str
    bar_ticks: int = 0
    real: np.ndarray | None = None
    """The real continuation (rows from 0), when there is one."""

    @classmethod
    def of_seed(
        cls,
        seed: np.ndarray,
        seed_ticks: int,
        bars: float,
        bar_ticks: int = 0,
        real: np.ndarray | None = None,
    ) -> Context:
        rows = as_rows(seed)
        name, steps = seed_grid(onsets(rows))
        return cls(
            rows,
            int(seed_ticks),
            float(bars),
            detect_key(as_notes(rows)),
            steps,
            name,
            int(bar_ticks),
            None if real is None else as_rows(real),
        )

    @property
    def span_ticks(self) -> int:
        """The continuation's length in ticks."""
        return round(self.bars * self.bar_ticks)


def continuation_metrics(
    rows: np.ndarray,
    context: Context,
    training: CopyIndex | None = None,
    seed_index: CopyIndex | None = None,
) -> dict[str, float]:
    """Every metric of :data:`METRICS` and :data:`LOOP_METRICS` (but ``diversity``) for one
    continuation (rows starting at 0)."""
    rows = as_rows(rows)
    seed = context.seed
    seed_index = seed_index if seed_index is not None else CopyIndex([seed])
    empty = len(rows) == 0
    return {
        "in_key": in_key_rate(rows, context.key),
        "pitch_class_distance": histogram_distance(
            pitch_class_histogram(rows), pitch_class_histogram(seed)
        ),
        "pitch_range": pitch_range(rows),
        "mean_interval": mean_abs_interval(rows),
        "ioi_distance": histogram_distance(ioi_histogram(rows), ioi_histogram(seed)),
        "duration_distance": histogram_distance(duration_histogram(rows), duration_histogram(seed)),
        "notes_per_bar": notes_per_bar(rows, context.bars),
        "polyphony": polyphony(rows),
        "on_grid": on_grid_rate(onsets(rows) + context.seed_ticks, context.grid),
        "distinct_patterns": distinct_pattern_share(rows),
        "copy_seed": NAN if empty else float(seed_index.longest_run(rows)),
        "copy_train": (NAN if empty or training is None else float(training.longest_run(rows))),
        **loop_metrics(rows, context),
    }


def summarise(values: Iterable[float]) -> dict[str, float]:
    """Mean and standard deviation of the finite values, and how many there were."""
    array = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if len(array) == 0:
        return {"mean": NAN, "std": NAN, "n": 0}
    return {"mean": float(array.mean()), "std": float(array.std()), "n": int(len(array))}
