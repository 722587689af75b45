"""The model's grid: ticks and beats, snapping, and clips as grid rows."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segue.grid import (
    TICK,
    TICKS_PER_BEAT,
    ClipTooLong,
    clip_rows,
    grid_rows,
    length_ticks,
    snap,
    to_beats,
    to_ticks,
)
from segue.notes import Clip, Note


@pytest.mark.parametrize(
    ("beats", "ticks"),
    [
        (0.25, 6),  # 16th
        (0.125, 3),  # 32nd
        (1 / 3, 8),  # 8th-note triplet
        (1 / 6, 4),  # 16th-note triplet
        (2 / 3, 16),
        (1.0, 24),
    ],
)
def test_grid_makes_common_subdivisions_exact(beats, ticks) -> None:
    assert to_ticks(beats) == ticks
    assert to_beats(ticks) == pytest.approx(beats, abs=1e-12)


@given(st.integers(min_value=0, max_value=24 * 4 * 512))
def test_float32_times_snap_back_to_their_tick(ticks: int) -> None:
    # Max and python-osc send beats as float32: 1/3 arrives as 0.33333334.
    as_float32 = float(np.float32(ticks / TICKS_PER_BEAT))
    assert to_ticks(as_float32) == ticks
    assert snap(as_float32) == to_beats(ticks)  # exactly on the grid


def test_float32_beat_times_of_replies_snap_back_exactly() -> None:
    for ticks in range(0, 24 * 64):
        beats = ticks / 24
        arrived = struct.unpack(">f", struct.pack(">f", beats))[0]
        assert snap(arrived) == beats


def test_clip_rows_keep_notes_at_least_one_tick_long_and_merge_duplicates() -> None:
    clip = Clip((Note(60, 0.001, 0.001), Note(60, 0.0, 0.002), Note(62, 0.33333334, 0.6666667)))
    assert clip_rows(clip).tolist() == [[0, 60, 1, 100], [8, 62, 16, 100]]
    assert TICK == 1 / 24


# ------------------------------------------------------------------ clips as grid rows


def reference_encoding(clip: Clip, tpb: int = 24) -> list[tuple[int, int, int, int]]:
    """clip_rows written the slow, obvious way."""
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for n in clip.notes:
        start = to_ticks(n.start, tpb)
        duration = max(1, to_ticks(n.end, tpb) - start)
        key = (start, n.pitch)
        best[key] = max(best.get(key, (0, 0)), (duration, n.velocity))
    return [(s, p, d, v) for (s, p), (d, v) in sorted(best.items())]


_note = st.builds(
    Note,
    pitch=st.integers(0, 127),
    start=st.integers(0, 64 * 480).map(lambda t: t / 480),
    duration=st.integers(1, 8 * 480).map(lambda t: t / 480),
    velocity=st.integers(1, 127),
)


@settings(max_examples=200, deadline=None)
@given(notes=st.lists(_note, max_size=60), tpb=st.sampled_from([24, 4, 96]))
def test_clip_rows_are_the_grid_snapping(notes, tpb):
    clip = Clip(tuple(notes))
    rows = clip_rows(clip, tpb)
    assert rows.dtype == np.int32 and rows.shape == (len(rows), 4)
    assert [tuple(int(v) for v in r) for r in rows] == reference_encoding(clip, tpb)


def test_clip_rows_merge_duplicates_keeping_the_longer():
    clip = Clip(
        (
            Note(60, 0, 0.5, 80),
            Note(60, 0.01, 1.0, 70),
            Note(60, 0, 0.25, 127),
            Note(59, 1, 0.001, 100),
        )
    )
    assert clip_rows(clip).tolist() == [[0, 60, 24, 70], [24, 59, 1, 100]]


def test_grid_rows_of_arrays_equal_the_clip_rows():
    clip = Clip((Note(64, 1 / 3, 2 / 3, 90), Note(60, 0, 1, 80), Note(60, 0, 0.5, 100)))
    notes = clip.notes
    rows = grid_rows(
        [n.pitch for n in notes],
        np.array([n.start for n in notes]),
        [n.duration for n in notes],
        [n.velocity for n in notes],
    )
    assert rows.tolist() == clip_rows(clip).tolist() == [[0, 60, 24, 80], [8, 64, 16, 90]]
    assert grid_rows([], [], [], []).shape == (0, 4)


def test_times_past_the_int32_columns_are_refused():
    assert length_ticks(4.0) == 96
    with pytest.raises(ClipTooLong, match="too long"):
        length_ticks(2**31 / 24)
    with pytest.raises(ClipTooLong):
        grid_rows([60], [2**31 / 24 - 1], [2.0], [100])


def test_a_time_near_a_tick_is_on_it_and_a_played_one_stays() -> None:
    from segue.grid import near_grid

    assert near_grid(float(np.float32(1 / 3))) == 1 / 3  # float32's 0.33333334
    assert near_grid(0.27) == 0.27  # a swing between the ticks
    assert near_grid(100 + 1e-6) == 100.0


def test_a_seed_note_is_sent_as_played_where_float32_keeps_its_ticks() -> None:
    from segue.grid import sent_times

    assert sent_times(0.27, 0.2) == (0.27, 0.2)  # ticks 6.48 to 11.28: as played
    assert sent_times(0.3125, 0.1) == (0.3125, 0.1)  # 62.5% swing, 7.5 ticks: float32 keeps it
    half = 12.5 / 24  # float32 makes it 12.4999994 ticks, rounded up as 12.5 is
    assert sent_times(half, 0.5) == (half, 0.5)  # it went on the grid: a tick from generate's
    near = 6.4999 / 24  # a ten-thousandth of a tick from half: float32 keeps its tick
    assert sent_times(near, 0.25) == (near, 0.25)
    assert sent_times(4000 + 0.5 / 24, 1.0) == (4000 + 0.5 / 24, 1.0)  # late: as played too
    rng = np.random.default_rng(1)  # whatever is sent snaps at the bridge (float32) as here
    late = [4095 + k / 48 for k in range(48)]  # a seed's latest beats (helper-46)
    for start in [*(k / 48 for k in range(2000)), *rng.uniform(0, 4096, 2000), *late]:
        sent, length = sent_times(start, 0.25)
        bridge = float(np.float32(sent)), float(np.float32(length))
        assert to_ticks(bridge[0]) == to_ticks(start), start
        assert to_ticks(bridge[0] + bridge[1]) == to_ticks(start + 0.25), start
    assert sent_times(0.01, 0.01) == (0.0, 1 / 24)  # snaps to no length: one tick


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(-100_000, 100_000).map(float),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.integers(0, 4_000).map(lambda t: float(np.float32(t / 24)) * 24),  # float32 beats
        st.integers(0, 4_000).map(lambda t: t + 0.5),  # half a tick
    )
)
def test_one_time_is_on_a_tick_as_the_times_of_a_clip_are(ticks: float) -> None:
    """``on_a_tick`` (one note's time, a request's every note) reads a time as ``on_ticks``
    (a clip's times at once) does."""
    from segue.grid import on_a_tick, on_ticks

    on_grid = float(on_ticks(np.asarray([ticks]))[0]) == float(np.floor(ticks + 0.5))
    assert on_a_tick(ticks) == on_grid
