"""The records ``takes.Turns`` hands its parts (``model/take_records.py``): the parts unpack
them by position, once, so a field moved in a record would hand a part another value under
the same name; each part must read the values the turns were built with, and its
constructor take a few named arguments, not a dozen in a row."""

from __future__ import annotations

import inspect

import numpy as np

from segue.grid import TICKS_PER_BEAT, clip_rows, to_ticks
from segue.model.answer_cuts import AnswerCuts
from segue.model.chord_clashes import ChordClashes
from segue.model.chord_voicings import ChordVoicings
from segue.model.drawn_pitches import DrawnPitches
from segue.model.loop import LoopHistory
from segue.model.loop_reading import read_loop
from segue.model.take_records import (
    LoopNotes,
    LoopTimes,
    StruckChords,
    TakeDraws,
    TurnLengths,
    TurnsReading,
)
from segue.model.take_sharing import TakesSharing
from segue.model.takes import Turns
from segue.model.takes_apart import TakesApart
from segue.model.turn_kinds import PartKind, turn_reach
from segue.model.turn_places import TurnPlaces
from segue.model.turn_sizes import AROUND, TURN
from segue.model.turned_voicings import TurnedVoicings
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature

BAR = 4 * TICKS_PER_BEAT  # a 4/4 bar, ticks
LINES = ((45, 45, 48, 48, 52, 52, 55, 57), (41, 41, 45, 45, 48, 48, 52, 53))
"""A bassline of 8ths: A C E G in one bar, F A C E in the next (a two-bar loop)."""


def _turns(bars: int) -> Turns:
    """Four takes' turns on :data:`LINES` played over ``bars`` bars."""
    notes = [
        Note(p, bar * 4.0 + k * 0.5, 0.4, 100 - 20 * (k % 2))
        for bar in range(bars)
        for k, p in enumerate(LINES[bar % 2])
    ]
    clip = Clip(tuple(notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return Turns(made, 4, np.random.default_rng(3))


def test_the_records_hold_their_values_in_the_order_the_parts_unpack_them() -> None:
    assert TakeDraws._fields == ("rows", "rng")
    assert LoopTimes._fields == ("bar", "shift", "clip_end", "onsets")
    assert TurnLengths._fields == ("turn", "phrase_turn", "reach")
    assert StruckChords._fields == ("chords", "intervals", "wide")
    assert LoopNotes._fields == (
        "pitches",
        "lengths",
        "stated",
        "key",
        "ornamental",
        "tonic",
        "middle",
        "span",
    )
    assert TurnsReading._fields == ("read", "kind", "draws", "loop", "chords", "notes")


def test_each_part_reads_the_loop_s_times_and_the_turn_s_lengths_it_was_built_with() -> None:
    """A two-bar loop played over four and eight bars: every part reads the turns' own
    rows, rng, bar, shift and clip end, and the places read the temperature's turn and the
    reach ``turn_kinds.turn_reach`` gives it."""
    for bars in (4, 8):
        turns = _turns(bars)
        assert turns.bar < turns.clip_end
        for part in (turns._turn_places, turns._turned_voicings, turns._drawn):
            assert part.rows == turns.rows == 4 and part._rng is turns._rng
            assert (part.bar, part.shift, part.clip_end) == (
                turns.bar,
                turns.shift,
                turns.clip_end,
            )
        places = turns._turn_places
        assert places.turn == turns._turned_voicings.turn
        assert places.reach == turn_reach(places.turn, turns.bar)
        assert places.phrase_turn >= places.turn > 0


PADS = ((57, 60, 64), (53, 57, 60))
"""A pad of quarter-note triads: Am in one bar, F in the next (a two-bar chord loop)."""
RIGHT_HAND = ((64, 67, 69, 67, 64, 62, 60, 62), (65, 69, 72, 69, 65, 64, 62, 64))
"""A line of 8ths over two bars whose first 8th of each bar is struck with a third below
(``LoopReading.line_chords``: a line's own chords)."""


def _made(notes: list[Note], bars: int) -> LoopHistory:
    """The history of ``notes`` played over ``bars`` 4/4 bars."""
    clip = Clip(tuple(notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    steps = steps_of(rows, BAR, Vocab())[1:]
    made = LoopHistory.of_seed(rows, steps, BAR, to_ticks(clip.length), chords=True)
    assert made is not None
    return made


def _pad(bars: int) -> LoopHistory:
    """:data:`PADS` played over ``bars`` bars."""
    return _made(
        [
            Note(p, bar * 4.0 + beat, 0.9, 100 - 20 * (beat % 2))
            for bar in range(bars)
            for beat in range(4)
            for p in PADS[bar % 2]
        ],
        bars,
    )


def _right_hand(bars: int) -> LoopHistory:
    """:data:`RIGHT_HAND` played over ``bars`` bars, its first 8th of each bar a third."""
    notes = []
    for bar in range(bars):
        for k, p in enumerate(RIGHT_HAND[bar % 2]):
            notes.append(Note(p, bar * 4.0 + k * 0.5, 0.4, 100 - 20 * (k % 2)))
            if k == 0:
                notes.append(Note(p - 4, bar * 4.0, 0.4, 90))
    return _made(notes, bars)


def _same(one: object, other: object) -> bool:
    """Whether two of a loop's readings hold the same values (arrays, chords by place)."""
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_same(one[k], other[k]) for k in one)
    if isinstance(one, np.ndarray) and isinstance(other, np.ndarray):
        return one.shape == other.shape and bool(np.array_equal(one, other))
    return type(one) is type(other) and one == other


def test_every_part_reads_the_loop_s_chords_times_and_kind_it_was_built_with() -> None:
    """A chord loop (:data:`PADS`) and a line with chords of its own (:data:`RIGHT_HAND`),
    each a two-bar figure played over 18 bars (its loop the last 16: ``loop.LONGEST_LOOP``,
    so that its bar, its length and the clip's end all differ), at the temperature's turn
    and cool (a turned note's first reach below ``turn_sizes.AROUND``; no sparse bass): the
    clashes, the voicings, the answers, the takes kept apart and the takes sharing a place
    each read the loop's own values, read again here (``read_loop``), under their own
    names. A swap of two of a record's fields of one type (bar and length, intervals and
    spread, cool and sparse) fails here."""
    for made, chord_loop in ((_pad(18), True), (_right_hand(18), False)):
        read = read_loop(made)
        assert len({read.bar, read.shift, read.clip_end}) == 3
        assert (read.intervals is not None) == chord_loop and (read.line_chords != {}) != chord_loop
        assert read.pairs is not None
        for reach in (AROUND - 1, AROUND + 5):
            turns = Turns(made, 4, np.random.default_rng(2), pitch_reach=reach)
            cool = reach < AROUND
            assert turns.cool == cool and not turns.sparse
            times = (read.bar, read.clip_end)
            clash = turns._clash
            assert (clash.bar, clash.shift, clash.clip_end) == (read.bar, read.shift, read.clip_end)
            assert _same(clash._chords, read.chords) and _same(clash.intervals, read.intervals)
            assert _same(clash._wide, read.wide)
            assert _same(clash._line_chords, read.line_chords)
            assert _same(clash._line_intervals, read.line_intervals)
            assert _same(clash._line_wide, read.line_wide)
            assert _same(clash.pairs, read.pairs) and _same(clash._outlined, read.outlined)
            voicings = turns._voicings
            assert (voicings.rows, voicings.turn) == (4, TURN)
            assert voicings.keeps_chords == turns.keeps_chords
            assert voicings.span == read.span and _same(voicings._altered, read.altered)
            assert voicings._lone == turns._loop_basses.lone
            assert _same(voicings._chords, read.chords) and _same(voicings._wide, read.wide)
            assert _same(voicings.intervals, read.intervals)
            assert _same(voicings._pairs, read.pairs)
            answers = turns._answers
            assert answers.rows == 4 and (answers.bar, answers.clip_end) == times
            assert answers.cool == cool and answers._far == read.bar - read.bar // 2
            assert _same(answers._chords, read.chords)
            assert _same(answers.intervals, read.intervals) and answers.shape == read.shape
            onsets, bars = read.onsets, read.shift // read.bar  # each bar's rhythm, 16 of them
            rhythms = [np.unique(onsets[onsets // read.bar == b] % read.bar) for b in range(bars)]
            assert len(answers._rhythms) == bars == 16
            assert all(map(_same, answers._rhythms, rhythms))
            apart = turns._apart
            assert apart.rows == 4 and (apart.bar, apart.clip_end) == times
            assert apart.shape == read.shape and _same(apart.intervals, read.intervals)
            sharing = turns._sharing
            assert sharing.rows == 4 and (sharing.bar, sharing.clip_end) == times
            assert sharing._by_voice == (cool and chord_loop)


def test_the_parts_take_eight_arguments_or_fewer() -> None:
    """Each part of the takes' turns that ``takes.Turns`` builds takes a few records and named
    values, not a dozen positional ones a reader cannot tell apart (and the type checker
    cannot, where two of one type swap)."""
    parts = (AnswerCuts, ChordVoicings, ChordClashes, TakesApart, TakesSharing)
    for part in (*parts, TurnPlaces, TurnedVoicings, DrawnPitches):
        taken = list(inspect.signature(part.__init__).parameters)[1:]
        assert len(taken) <= 8, (part.__name__, len(taken))


def test_turns_builds_its_parts_of_one_reading_of_the_loop() -> None:
    """``Turns`` hands the methods that build its parts the loop's reading as one record
    (``TurnsReading``: the reading, its kind, the draws, the loop's times, chords and
    notes), not six values each plus the temperature's turn and the meter's pulse (8)."""
    for build in (Turns._place_parts, Turns._take_parts):
        taken = inspect.signature(build).parameters
        assert len(taken) - 1 <= 3, (build.__name__, list(taken))
        assert taken["reading"].annotation == "TurnsReading"


def _answer_places(onsets: np.ndarray, bar: int, turn: int) -> np.ndarray:
    """Where in a ``bar`` the takes may answer, worked out again: the first place in each
    ``turn`` of the bar where the loop starts a note."""
    positions = np.unique(onsets % bar)
    return positions[np.diff(positions // turn, prepend=-1) > 0]


def test_the_takes_own_parts_read_the_loop_s_notes_chords_and_kind_they_were_built_with() -> None:
    """The same chord loop and line as above (:data:`PADS`, :data:`RIGHT_HAND`), cool and
    not: where each take's turn lies (``TurnPlaces``), the voices it turns
    (``TurnedVoicings``) and the pitches it draws (``DrawnPitches``) each read the loop's own
    notes, chords, basses and kind, read again here, under their own names. The line's
    classes, key's classes and tonic chord's differ (three (12,) bool arrays), its notes'
    pitches and lengths too, and so do the chord loop's basses and floor, and cool and
    ``keeps_chords``, sparse and lead: a swap of any two in a part's unpacking fails here."""
    for made in (_pad(18), _right_hand(18)):
        read = read_loop(made)
        assert not _same(read.pitches, read.lengths)
        for reach in (AROUND - 1, AROUND + 5):
            turns = Turns(made, 4, np.random.default_rng(2), pitch_reach=reach)
            kind = PartKind.of(read, turns._loop_basses, TURN, reach, 0)
            places = turns._turn_places
            assert _same(places.intervals, read.intervals) and _same(places._chords, read.chords)
            assert _same(places.key, read.key) and places.span == read.span
            assert _same(places._ends, read.onsets + read.lengths)
            assert _same(places._answers, _answer_places(read.onsets, read.bar, TURN))
            assert places.pulse == TICKS_PER_BEAT and places.sparse == kind.sparse
            turned = turns._turned_voicings
            assert (turned.cool, turned.keeps_chords, turned.held) == (
                kind.cool,
                kind.keeps_chords,
                kind.held,
            )
            assert _same(turned.intervals, read.intervals) and _same(turned._wide, read.wide)
            assert turned.span == read.span and turned._classes is turns._classes
            assert turned._basses == turns._loop_basses.basses != {}
            assert turned._floor == turns._loop_basses.floor
            drawn = turns._drawn
            assert _same(drawn._pitches, read.pitches) and _same(drawn.stated, read.stated)
            assert _same(drawn.key, read.key) and _same(drawn._ornamental, read.ornamental)
            assert _same(drawn._tonic, read.tonic) and drawn.middle == read.middle
            assert drawn.span == read.span and _same(drawn._outlined, read.outlined)
            assert drawn.pitch_reach == reach and drawn.outlines == turns._clash.outlines
            assert (drawn.sparse, drawn.lead) == (kind.sparse, kind.lead)
        if read.intervals is None:  # the line: its classes, key's and tonic chord's differ
            assert read.key is not None
            arrays = (read.stated, read.key, read.ornamental, read.tonic)
            assert len({a.tobytes() for a in arrays}) == 4
            assert kind.lead and not kind.sparse
        else:
            assert kind.keeps_chords and not kind.cool  # at the wider reach
