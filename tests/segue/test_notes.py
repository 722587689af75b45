"""The note and clip types: checks, time signatures, clip lengths."""

from __future__ import annotations

import dataclasses
import math

import pytest

from segue.errors import NoteError, SegueError
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
    with pytest.raises(NoteError, match="lower number"):
        TimeSignature(4, 3)
    for bad in (64, 24, 0, 8.5):  # one sentence for all: a file's 7/64 and a typed 7/24
        with pytest.raises(NoteError, match=r"the lower number must be 1, 2, 4, 8, 16 or 32$"):
            TimeSignature(7, bad)
    assert TimeSignature(7, 8.0).denominator == 8  # OSC clients send floats


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ((7, 5), "time signature 7/5: the lower number must be 1, 2, 4, 8, 16 or 32"),
        ((7.0, 5.0), "time signature 7/5: the lower number must be 1, 2, 4, 8, 16 or 32"),
        ((0, 4), "time signature 0/4: the upper number must be a whole number from 1 to 99"),
        ((4.5, 4), "time signature 4.5/4: the upper number must be a whole number from 1 to 99"),
    ],
)
def test_a_bad_time_signature_is_said_as_a_musician_writes_it(given, said) -> None:
    """7/5 was refused as "denominator must be one of (1, 2, 4, 8, 16, 32), got 5": Python's
    tuple, and a word a musician need not know."""
    with pytest.raises(NoteError) as caught:
        TimeSignature(*given)
    assert str(caught.value) == said


def test_clip_sorts_notes_and_rounds_length_up_to_a_bar() -> None:
    clip = Clip((Note(64, 4, 1), Note(67, 0, 1), Note(60, 0, 1)))
    assert [n.pitch for n in clip.notes] == [60, 67, 64]
    assert clip.length == 8
    assert Clip().length == 4
    assert Clip((Note(60, 0, 1),), time_signature=TimeSignature(6, 8)).length == 3


def test_a_late_release_past_a_bar_line_adds_no_bar() -> None:
    """A played take's last note released after the bar line, or a pad's last chord ringing
    on: no silent bar for the continuation to loop; a note held through most of the bar,
    or a note that starts there, adds the bar."""
    riff = [Note(60 + i % 3, i * 0.5, 0.5) for i in range(13)]  # 7/8: 2 bars, 7 beats

    def length(last: Note) -> float:
        return Clip((*riff, last), time_signature=TimeSignature(7, 8)).length

    assert length(Note(64, 6.5, 0.55)) == 7  # ends at 7.05
    assert length(Note(64, 6.5, 0.75)) == 7  # a sixteenth past: still a late release
    assert length(Note(64, 6.5, 2.25)) == 7  # half the bar (1.75 beats) past: a tail
    assert length(Note(64, 6.5, 2.3)) == 10.5  # held on through most of the bar
    assert length(Note(64, 7.0, 0.1)) == 10.5  # a note of the next bar
    assert Clip((Note(60, 0, 4.1),)).length == 4 and Clip((Note(60, 0, 0.1),)).length == 4
    pads = [Note(p, bar * 4.0, 4.5 if bar == 3 else 4.0) for bar in range(4) for p in (57, 60)]
    assert Clip(tuple(pads)).length == 16  # the last chord rings half a beat on: 4 bars
    assert Clip((Note(60, 0, 6.0),)).length == 4 and Clip((Note(60, 0, 6.1),)).length == 8


def test_clip_length_must_reach_the_last_note() -> None:
    with pytest.raises(NoteError, match="ends before its last note"):
        Clip((Note(60, 4, 1),), length=4)
    with pytest.raises(NoteError, match="clip length must be greater than 0"):
        Clip((), length=0)


def test_a_clip_takes_any_notes_and_always_has_a_length() -> None:
    clip = Clip(iter([Note(60, 5, 1)]), time_signature=TimeSignature(3, 4))
    assert clip.length == 6.0 and clip.bars == 2.0
    assert dataclasses.replace(clip, length=9.0).length == 9.0
    with pytest.raises(NoteError, match="ends before its last note"):
        dataclasses.replace(clip, length=5.0)
