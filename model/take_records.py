"""The records that ``takes.Turns`` builds once and hands to the parts of its takes'
turns (``TurnPlaces``, ``TurnedVoicings``, ``DrawnPitches``, ``AnswerCuts``, ``TakesApart``,
``TakesSharing``) and to the parts it reads of the loop (``ChordClashes``, ``ChordVoicings``):
values that always travel together, named, so that a part's constructor takes a few arguments
and two neighbouring ints cannot swap unseen. A part unpacks them once, in its ``__init__``,
into plain attributes of its own: its per-step methods read no record. ``Turns`` itself hands
them on together (:class:`TurnsReading`) to the methods that build its parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:  # both import the parts, which import these records
    from segue.model.loop_reading import LoopReading
    from segue.model.turn_kinds import PartKind


class TakeDraws(NamedTuple):
    """The takes that draw: how many (``rows``) and the rng they draw with (``rng``; each
    request's copy of the turns its own: ``Turns.drawing_with``)."""

    rows: int
    rng: np.random.Generator


class LoopTimes(NamedTuple):
    """What the loop is in time: its ``bar``, its ``shift`` (its length) and the clip's end
    (``clip_end``), in ticks, and its notes' onsets from its start (``onsets``, ticks)."""

    bar: int
    shift: int
    clip_end: int
    onsets: np.ndarray


class TurnLengths(NamedTuple):
    """What a take's turn is: the temperature's ``turn`` (ticks), a phrase end's
    (``phrase_turn``: longer for a chord loop of stabs, ``turn_kinds.STABS``) and the bars at
    a phrase's end where a turn may lie (``reach``: ``turn_kinds.TURN_BARS``, or the
    phrase's where a turn is a whole bar)."""

    turn: int
    phrase_turn: int
    reach: int


class StruckChords(NamedTuple):
    """The chords a loop strikes (two notes or more at one place): by place in the loop
    (``chords``, ticks -> pitches, low to high), the intervals they sound (``intervals``,
    ``intervals.intervals_of``) and how wide those are by register (``wide``,
    ``intervals.wide_enough``). A chord loop's (``intervals`` None: a line, no chords) and a
    line's own (a ballad's right hand over its broken left hand: ``LoopReading.line_chords``),
    each read once (``loop_reading``)."""

    chords: dict[int, np.ndarray]
    intervals: np.ndarray | None
    wide: np.ndarray | None


class LoopNotes(NamedTuple):
    """What the loop's notes are besides where they begin (``LoopTimes.onsets``, in the same
    order): their ``pitches`` and ``lengths`` (ticks); and what they play: the classes the
    loop plays (``stated``, (12,) bool), its key's (``key``; None: none), the classes a line
    plays only as grace notes out of its key (``ornamental``), its tonic chord's (``tonic``),
    its median pitch (``middle``) and its lowest and highest pitch (``span``; None: it starts
    no note). Read once (``loop_reading``); three of its fields are (12,) bool, so a part
    reads them by name, never by position."""

    pitches: np.ndarray
    lengths: np.ndarray
    stated: np.ndarray
    key: np.ndarray | None
    ornamental: np.ndarray
    tonic: np.ndarray
    middle: float
    span: tuple[int, int] | None


class TurnsReading(NamedTuple):
    """What ``takes.Turns`` builds the parts of its takes' turns of (``Turns._place_parts``,
    ``Turns._take_parts``): the loop read once (``read``) and its kind (``kind``), the takes
    that draw (``draws``), and the records of the loop made of the reading (``loop``, its
    ``chords``, its ``notes``). Each field of its own type, so that the type checker sees a
    swap in the unpacking."""

    read: LoopReading
    kind: PartKind
    draws: TakeDraws
    loop: LoopTimes
    chords: StruckChords
    notes: LoopNotes
