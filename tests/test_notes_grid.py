"""The note and clip types and the model's grid."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from segue.errors import NoteError, SegueError
from segue.grid import TICKS_PER_BEAT, is_on_grid, snap, snap_clip, to_beats, to_ticks
from segue.notes import Clip, Note, TimeSignature


def test_note_accepts_touchosc_floats_and_normalises() -> None:
    note = Note(60.0, 1, 0.5, 100.0)
    assert note == Note(60, 1.0, 0.5, 100)
    assert isinstance(note.pitch, int) and isinstance(note.velocity, int)
    assert note.end == 1.5


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ((128, 0, 1, 100), "pitch must be between 0 and 127"),
        ((-1, 0, 1, 100), "pitch must be between 0 and 127"),
        ((60.5, 0, 1, 100), "pitch must be a whole number"),
        ((60, -0.25, 1, 100), "start must be 0 or later"),
        ((60, 0, 0, 100), "duration must be greater than 0"),
        ((60, 0, -1, 100), "duration must be greater than 0"),
        ((60, 0, 1, 0), "velocity must be between 1 and 127"),
        ((60, 0, 1, 128), "velocity must be between 1 and 127"),
        ((60, math.nan, 1, 100), "start must be a finite number"),
        ((60, 0, math.inf, 100), "duration must be a finite number"),
        (("C4", 0, 1, 100), "pitch must be a number"),
    ],
)
def test_note_rejects_bad_fields_with_a_clear_message(fields, message) -> None:
    with pytest.raises(NoteError, match=message):
        Note(*fields)


def test_note_errors_are_user_errors() -> None:
    assert issubclass(NoteError, SegueError)


def test_note_is_immutable() -> None:
    note = Note(60, 0, 1)
    with pytest.raises(AttributeError):
        note.pitch = 61  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ts", "beats"), [((4, 4), 4), ((3, 4), 3), ((6, 8), 3), ((7, 8), 3.5), ((3, 2), 6)]
)
def test_bar_length_in_beats(ts, beats) -> None:
    assert TimeSignature(*ts).beats_per_bar == beats


def test_time_signature_denominator_must_be_a_power_of_two() -> None:
    with pytest.raises(NoteError, match="denominator"):
        TimeSignature(4, 3)


def test_clip_sorts_notes_and_rounds_length_up_to_a_bar() -> None:
    clip = Clip((Note(64, 4, 1), Note(67, 0, 1), Note(60, 0, 1)))
    assert [n.pitch for n in clip.notes] == [60, 67, 64]
    assert clip.length == 8
    assert Clip().length == 4
    assert Clip((Note(60, 0, 1),), time_signature=TimeSignature(6, 8)).length == 3


def test_clip_length_must_reach_the_last_note() -> None:
    with pytest.raises(NoteError, match="ends before its last note"):
        Clip((Note(60, 4, 1),), length=4)
    with pytest.raises(NoteError, match="clip length must be greater than 0"):
        Clip((), length=0)


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
    assert is_on_grid(snap(as_float32))


def test_snap_clip_keeps_notes_at_least_one_tick_long_and_merges_duplicates() -> None:
    clip = Clip((Note(60, 0.001, 0.001), Note(60, 0.0, 0.002), Note(62, 0.33333334, 0.6666667)))
    snapped = snap_clip(clip)
    assert [(n.pitch, n.start, n.duration) for n in snapped.notes] == [
        (60, 0.0, 1 / 24),
        (62, 1 / 3, 2 / 3),
    ]
