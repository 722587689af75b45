"""What a clip's last loop is, read once for its takes' turns (``segue.model.takes.Turns``):
its notes from the loop's start (of a fixed shape, its roots alone: ``segue.model.shapes``),
its register (middle, span, ways about its middle), its key and classes, and of a chord loop
(two notes or more struck together at :data:`turn_pitches.CHORDAL` of its places) its
chords and the intervals they sound, of a line its key as it sounds (``line_key``), its
tonic chord, the chords it outlines, its grace notes and the chords it strikes. Read of the
loop alone: it draws nothing, and every take and request reads the same."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.answer_pitches import tonic_chord
from segue.model.arpeggios import outlined_chords
from segue.model.contour import contour_of
from segue.model.intervals import (
    SPANS,
    clear_pairs,
    intervals_of,
    narrowest_by_register,
    wide_enough,
)
from segue.model.key_lock import lock_key
from segue.model.keys import Key, altered
from segue.model.loop import LoopHistory
from segue.model.shapes import fixed_shape, lowest_notes
from segue.model.turn_pitches import CHORDAL, line_key, sounded, ways_about
from segue.model.vocab import where_set
from segue.model.voices import ornaments
from segue.notes import Note


class Unread:
    """What :func:`read_loop` is given for a shape its caller has not read (it reads it)."""


UNREAD = Unread()


@dataclass
class LoopReading:
    """A clip's last loop, read once (:func:`read_loop`). ``onsets`` (ticks from the loop's
    start), ``pitches`` and ``lengths`` (ticks) are its notes (of a fixed ``shape``, its
    roots'); the rest is read of them."""

    bar: int
    shift: int
    clip_end: int
    shape: tuple[int, ...] | None
    onsets: np.ndarray
    pitches: np.ndarray
    lengths: np.ndarray
    contour: tuple[int, int]
    """A line's widest step and longest run of one pitch: its turned notes'
    (``DrawnPitches.gives_back``)."""
    middle: float
    """The loop's median pitch: varied notes stay on their side of it (``turn_pitches``)."""
    ways: tuple[bool, bool]
    span: tuple[int, int] | None
    """The loop's lowest and highest pitch; None where it starts no note."""
    stated: np.ndarray
    """(12,) bool: the classes the loop plays: a sparse bass's pickups' (``pickup_pitches``)."""
    ornamental: np.ndarray
    """(12,) bool: the classes a line plays only as grace notes out of its key (a chromatic D#
    before an E, not a C major lead's A before its G): no answer's (``answering_near``)."""
    classes: np.ndarray | None = None
    """(12,) bool: a chord loop's pitch classes, a line's key's (``turn_pitches``)."""
    key: np.ndarray | None = None
    """(12,) bool: the loop's key (``lock_key``): an answer's classes."""
    altered: np.ndarray = field(default_factory=lambda: np.zeros(12, dtype=bool))
    """(12,) bool: a chord loop's classes out of its key (``keys.altered``): a plain chord's
    third there is held (``ChordVoicings.held_rank``)."""
    whole: Key | None = None
    """A line's key, read once (``line_key``)."""
    tonic: np.ndarray = field(default_factory=lambda: np.zeros(12, dtype=bool))
    """(12,) bool: a line's tonic chord (``answer_pool``)."""
    intervals: np.ndarray | None = None
    """A chord loop's intervals (``consonant_with``)."""
    wide: np.ndarray | None = None
    """And how wide they are by register."""
    chords: dict[int, np.ndarray] = field(default_factory=dict)
    """A chord loop's chords, by place in the loop."""
    line_chords: dict[int, np.ndarray] = field(default_factory=dict)
    """A line's chords (two notes or more struck together: a ballad's right hand over its
    broken left hand), by place."""
    line_intervals: np.ndarray = field(default_factory=lambda: np.zeros(SPANS, dtype=bool))
    """The intervals a line's chords sound."""
    line_wide: np.ndarray | None = None
    """And their spread."""
    pairs: np.ndarray | None = None
    """The pairs of pitches clear of a semitone the loop (or the line's chords) lacks and of
    mud (``clear_pairs``): a turn's at 1 or more (``chord_clashing``,
    ``ChordVoicings.clear_rows``)."""
    outlined: dict[int, np.ndarray] = field(default_factory=dict)
    """A line's arpeggios, by beat (``arpeggios.outlined_chords``)."""


def read_loop(history: LoopHistory, shape: tuple[int, ...] | None | Unread = UNREAD) -> LoopReading:
    """The clip's last loop in ``history``, read. ``shape``: the loop's fixed shape
    (``shapes.fixed_shape`` of the clip's notes in its last loop), where the caller has read
    it already; read here where not given."""
    start = history.clip_end - history.shift
    onsets = np.asarray(history.onsets[: history.clip_notes], dtype=np.int64)
    pitches = np.asarray(history.pitches[: history.clip_notes], dtype=np.int64)
    # the clip's notes' lengths in ticks (not the model's duration classes: a key weighs
    # each pitch by how long it sounds)
    lengths = np.asarray(history.lengths[: history.clip_notes], dtype=np.int64)
    in_loop = onsets >= start
    # a line in a fixed shape (octaves, power chords): its turns and answers are its
    # root's, and the shape follows (segue.model.shapes)
    if isinstance(shape, Unread):
        shape = fixed_shape(onsets[in_loop], pitches[in_loop])
    if shape is not None:
        roots = lowest_notes(onsets[in_loop], pitches[in_loop])
        in_loop[where_set(in_loop)[~roots]] = False
    loop, pitches, lengths = onsets[in_loop] - start, pitches[in_loop], lengths[in_loop]
    middle = float(np.median(pitches)) if len(pitches) else 60.0
    read = LoopReading(
        history.bar,
        history.shift,
        history.clip_end,
        shape,
        loop,
        pitches,
        lengths,
        contour_of(pitches),
        middle,
        ways_about(pitches, middle),
        (int(pitches.min()), int(pitches.max())) if len(pitches) else None,
        chord_classes(pitches),  # the classes it states
        _ornamental(loop, pitches, lengths),
    )
    _, struck = np.unique(loop, return_counts=True)
    if len(struck) and np.count_nonzero(struck > 1) >= CHORDAL * len(struck):
        _read_chords(read)
    elif len(loop):
        _read_line(read)
    return read


def chord_classes(pitches: np.ndarray) -> np.ndarray:
    """(12,) bool: a chord loop's pitch classes (of its notes' ``pitches``)."""
    out = np.zeros(12, dtype=bool)
    out[np.unique(pitches % 12)] = True
    return out


def loop_notes(onsets: np.ndarray, pitches: np.ndarray, lengths: np.ndarray) -> tuple[Note, ...]:
    """A loop's notes (``onsets`` and ``lengths`` in ticks) as notes in beats."""
    return tuple(
        Note(int(p), int(o) / TICKS_PER_BEAT, max(1, int(d)) / TICKS_PER_BEAT)
        for o, p, d in zip(onsets, pitches, lengths, strict=True)
    )


def _read_chords(read: LoopReading) -> None:
    """A chord loop's classes, intervals, chords and key, into ``read``."""
    loop, pitches, ends = read.onsets, read.pitches, read.onsets + read.lengths
    read.classes = chord_classes(pitches)
    read.intervals = intervals_of(loop, ends, pitches)
    read.wide = wide_enough(narrowest_by_register(loop, ends, pitches))
    read.pairs = clear_pairs(read.intervals, read.wide)
    read.chords = _chords_at(loop, pitches)
    key = lock_key(loop_notes(loop, pitches, read.lengths), read.bar / TICKS_PER_BEAT)
    read.key = _classes_of(key)
    read.altered[sorted(altered(key))] = True


def _read_line(read: LoopReading) -> None:
    """A line's key (from the loop's bars, at their places in the loop: where it opens and
    ends says its tonic), its scale as it sounds, its tonic chord, the chords it outlines and
    those it strikes, into ``read``."""
    loop, pitches = read.onsets, read.pitches
    notes = loop_notes(loop, pitches, read.lengths)
    key = lock_key(notes, read.bar / TICKS_PER_BEAT)
    read.key = _classes_of(key)
    if key is not None:  # a grace in the scale is a scale note: an answer's
        read.ornamental[sorted(key.pitch_classes() - key.extra)] = False
    read.whole = line_key(sounded(notes, read.shape), key) if key is not None else None
    read.classes = _classes_of(read.whole)
    read.tonic = tonic_chord(read.whole or key)  # a lead's answers' chord (answer_pool)
    read.outlined = outlined_chords(loop, pitches, read.bar, read.shift)
    read.line_chords = _chords_at(loop, pitches)
    if read.line_chords:
        ends = loop + read.lengths
        # as they sound where it strikes them: a ballad's left hand broken in 8ths
        # passes a G#3 under the right hand's G4 once, and its takes' let-go voices
        # struck F#4 over the G chord's G2, a major seventh the chords never sound
        struck_at = np.array(sorted(read.line_chords))
        read.line_intervals = intervals_of(loop, ends, pitches, struck_at)
        read.line_wide = wide_enough(narrowest_by_register(loop, ends, pitches))
        read.pairs = clear_pairs(read.line_intervals, read.line_wide)


def _ornamental(onsets: np.ndarray, pitches: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(12,) bool: the classes a loop (``onsets`` and ``lengths`` in ticks) plays only as
    grace notes (:func:`_graces`), before a line's key clears those of its scale."""
    graces = _graces(onsets, lengths)
    out = np.zeros(12, dtype=bool)
    out[pitches[graces] % 12] = True
    out[pitches[~graces] % 12] = False
    return out


def _graces(onsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(n,) bool: which of a loop's notes (``onsets`` and ``lengths`` in ticks) are grace
    notes (``voices.ornaments``) of the note after them."""
    order = np.argsort(onsets, kind="stable")
    out = np.zeros(len(onsets), dtype=bool)
    out[order] = ornaments(onsets[order] / TICKS_PER_BEAT, lengths[order] / TICKS_PER_BEAT)
    return out


def _chords_at(places: np.ndarray, pitches: np.ndarray) -> dict[int, np.ndarray]:
    """The chords (their pitches, low to high) struck at ``places`` (ticks): two notes or
    more at one place, by place."""
    out = {}
    for place in np.unique(places):
        chord = np.sort(pitches[places == place])
        if len(chord) > 1:
            out[int(place)] = chord
    return out


def _classes_of(key: Key | None) -> np.ndarray | None:
    """(12,) bool: the pitch classes of ``key``; None for none."""
    if key is None:
        return None
    out = np.zeros(12, dtype=bool)
    out[sorted(key.pitch_classes())] = True
    return out
