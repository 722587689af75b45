"""The note and clip types shared by MIDI files, the model, the bridge and the device.

Time is in beats (quarter notes, as in Ableton Live); pitch is 0-127 and
velocity 1-127. Every check lives in :func:`validate_note` and
:func:`validate_time_signature`, so a bad value is caught the same way wherever
it enters (a MIDI file, an OSC message, the Python API).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from segue.errors import NoteError

VALID_DENOMINATORS = (1, 2, 4, 8, 16, 32)


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NoteError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise NoteError(f"{name} must be a finite number, got {value!r}")
    return number


def _whole(name: str, value: float, low: int, high: int) -> int:
    number = _finite(name, value)
    if number != int(number):
        raise NoteError(f"{name} must be a whole number, got {value!r}")
    if not low <= number <= high:
        raise NoteError(f"{name} must be between {low} and {high}, got {int(number)}")
    return int(number)


def validate_note(
    pitch: float, start: float, duration: float, velocity: float
) -> tuple[int, float, float, int]:
    """Check and normalise note fields; accept ints or floats (TouchOSC sends floats).

    Returns ``(pitch, start, duration, velocity)`` with pitch and velocity as ints.
    """
    p = _whole("pitch", pitch, 0, 127)
    v = _whole("velocity", velocity, 1, 127)
    s = _finite("start", start)
    if s < 0:
        raise NoteError(f"start must be 0 or later (in beats), got {s:g}")
    d = _finite("duration", duration)
    if d <= 0:
        raise NoteError(f"duration must be greater than 0 beats, got {d:g}")
    return p, s, d, v


def validate_time_signature(numerator: float, denominator: float) -> tuple[int, int]:
    """The time signature as two whole numbers; a NoteError that says it as a musician
    writes it (``time signature 7/5: the lower number must be 1, 2, 4, 8, 16 or 32``),
    not as Python writes a tuple."""
    shown = f"time signature {_written(numerator)}/{_written(denominator)}"
    try:
        num = _whole("numerator", numerator, 1, 99)
    except NoteError:
        raise NoteError(f"{shown}: the upper number must be a whole number from 1 to 99") from None
    try:
        den = _finite("denominator", denominator)
    except NoteError:
        den = math.nan
    if den not in VALID_DENOMINATORS:  # 64 and 24 alike: the same sentence names them all
        allowed = ", ".join(map(str, VALID_DENOMINATORS[:-1])) + f" or {VALID_DENOMINATORS[-1]}"
        raise NoteError(f"{shown}: the lower number must be {allowed}")
    return num, int(den)


def _written(value: object) -> str:
    """A number of a time signature as it is written: 4.0 (from OSC) as 4, text as typed."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    return str(value)


@dataclass(frozen=True, slots=True)
class Note:
    """One note: pitch 0-127, start and duration in beats, velocity 1-127."""

    pitch: int
    start: float
    duration: float
    velocity: int = 100

    def __post_init__(self) -> None:
        p, s, d, v = validate_note(self.pitch, self.start, self.duration, self.velocity)
        object.__setattr__(self, "pitch", p)
        object.__setattr__(self, "start", s)
        object.__setattr__(self, "duration", d)
        object.__setattr__(self, "velocity", v)

    @property
    def end(self) -> float:
        return self.start + self.duration

    def shifted(self, beats: float) -> Note:
        """The same note moved later (or earlier) by ``beats``."""
        return Note(self.pitch, self.start + beats, self.duration, self.velocity)


@dataclass(frozen=True, slots=True)
class TimeSignature:
    numerator: int = 4
    denominator: int = 4

    def __post_init__(self) -> None:
        num, den = validate_time_signature(self.numerator, self.denominator)
        object.__setattr__(self, "numerator", num)
        object.__setattr__(self, "denominator", den)

    @property
    def beats_per_bar(self) -> float:
        """Length of one bar in beats (quarter notes): 4/4 -> 4, 6/8 -> 3, 3/2 -> 6."""
        return self.numerator * 4 / self.denominator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def sort_key(note: Note) -> tuple[float, int, float, int]:
    """Time order; notes of a chord from low to high pitch."""
    return (note.start, note.pitch, note.duration, note.velocity)


@dataclass(frozen=True, slots=True, init=False)
class Clip:
    """Notes in time order, the clip's length in beats and its time signature.

    ``Clip(notes)`` without a length takes the end of the last note rounded up
    to a whole bar (at least one bar); a given length must reach the last
    note's start. ``length`` is always a number once the clip exists.
    """

    notes: tuple[Note, ...]
    length: float
    time_signature: TimeSignature

    def __init__(
        self,
        notes: Iterable[Note] = (),
        length: float | None = None,
        time_signature: TimeSignature | None = None,
    ) -> None:
        ordered = tuple(sorted(notes, key=sort_key))
        for note in ordered:
            if not isinstance(note, Note):
                raise NoteError(f"a clip holds Note objects, got {type(note).__name__}")
        signature = time_signature if time_signature is not None else TimeSignature()
        object.__setattr__(self, "notes", ordered)
        object.__setattr__(self, "time_signature", signature)
        object.__setattr__(self, "length", _clip_length(ordered, length, signature))

    @property
    def bars(self) -> float:
        return self.length / self.time_signature.beats_per_bar

    def __len__(self) -> int:
        return len(self.notes)


LATE_RELEASE = 0.5
"""The share of a bar that a clip's last sound may run into the next bar without adding it
to the clip: a played take releases its last notes late, and a pad's last chord rings on
past the loop's end (held 4.5 beats in a 4-bar loop of 4/4), and a bar added for that would
hold nothing but the tail, a silent bar that a continuation loops, one bar out of step. A
tail that holds through most of the bar is a held note, and the bar is the clip's."""


def whole_bars(end: float, last_start: float, bar: float) -> float:
    """A clip's length (beats) from where its sound ends (``end``) and its last note starts:
    whole bars (at least one) up to the end, leaving out a bar that the end reaches by no
    more than :data:`LATE_RELEASE` of it, unless a note starts in it."""
    bars = max(
        1,
        math.ceil((end - LATE_RELEASE * bar) / bar - 1e-9),
        math.floor(last_start / bar + 1e-9) + 1,
    )
    return bars * bar


def _clip_length(notes: tuple[Note, ...], length: float | None, signature: TimeSignature) -> float:
    """The given length, checked, or the last note's end rounded up to a whole bar
    (:func:`whole_bars`)."""
    bar = signature.beats_per_bar
    if length is None:
        end = max((n.end for n in notes), default=0.0)
        last_start = max((n.start for n in notes), default=0.0)
        return whole_bars(end, last_start, bar)
    checked = _finite("clip length", length)
    if checked <= 0:
        raise NoteError(f"clip length must be greater than 0 beats, got {checked:g}")
    last_start = max((n.start for n in notes), default=0.0)
    if notes and last_start >= checked:
        raise NoteError(
            f"clip length {checked:g} beats ends before its last note starts "
            f"(at {last_start:g} beats)"
        )
    return checked
