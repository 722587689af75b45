"""One work read with music21 into segue notes: one note list per part, the first meter and tempo.

Pickups line up with bar lines, tied notes become single notes, grace notes
and dynamics are left out (velocity 100) and repeats are not expanded.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from segue.corpus.listing import INSTALL_HINT
from segue.corpus.works import Work
from segue.errors import NoteError, SegueError
from segue.notes import Note, TimeSignature

DEFAULT_TEMPO = 120.0


@dataclass(frozen=True, slots=True)
class Track:
    name: str
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class ScoreNotes:
    """What segue keeps of a score: one note list per part, the first meter and tempo."""

    tracks: tuple[Track, ...]
    time_signature: TimeSignature
    tempo: float


def import_music21() -> Any:
    """Import music21 (slow, optional) or explain how to install it."""
    try:
        return importlib.import_module("music21")
    except ImportError:
        raise SegueError(f"music21 is not installed; install it with: {INSTALL_HINT}") from None


def parse_work(work: Work) -> Any:
    """The music21 score of one work (a Score; an Opus of one score is unwrapped)."""
    import_music21()
    from music21 import abcFormat, converter, stream

    if work.tune is not None:
        handler = abcFormat.ABCFile().readstr(work.tune)
        score = abcFormat.translate.abcToStreamScore(handler)
    else:
        score = converter.parseFile(work.source, forceSource=True, storePickle=False)
    if isinstance(score, stream.Opus):
        scores = list(score.scores)
        if len(scores) != 1:
            raise SegueError(f"holds {len(scores)} scores, expected one")
        score = scores[0]
    return score


def _first(score: Any, class_name: str) -> Any:
    return score.recurse().getElementsByClass(class_name).first()


def _time_signature(score: Any) -> TimeSignature:
    ts = _first(score, "TimeSignature")
    if ts is None:
        return TimeSignature()
    try:
        return TimeSignature(ts.numerator, ts.denominator)
    except NoteError:
        return TimeSignature()


def _tempo(score: Any) -> float:
    mark = _first(score, "MetronomeMark")
    bpm = mark.getQuarterBPM() if mark is not None else None
    return min(max(float(bpm), 1.0), 999.0) if bpm else DEFAULT_TEMPO


def _pickup(score: Any) -> float:
    """Beats missing from an incomplete first bar (an anacrusis), to align bar lines."""
    parts = list(score.parts) or [score]
    first = parts[0].getElementsByClass("Measure").first()
    return float(first.paddingLeft) if first is not None else 0.0


def _sounding(element: Any) -> list[tuple[int, str | None]]:
    """(MIDI pitch, tie type) for each pitch of a note or chord; unpitched notes give none."""
    members = element.notes if element.isChord else [element]
    pairs = []
    for member in members:
        pitch = getattr(member, "pitch", None)
        if pitch is None:
            continue
        tie = member.tie or (element.tie if element.isChord else None)
        pairs.append((pitch.midi, tie.type if tie is not None else None))
    return pairs


def _part_notes(part: Any, shift: float) -> tuple[Note, ...]:
    """A part's notes in beats, tied notes merged into one; grace notes left out.

    As in music21's ``stripTies``, a note tied on takes in the next note of its
    pitch that starts where it ends, even when that note lacks its "stop" tie.
    """
    done: list[tuple[int, float, float]] = []
    held: dict[int, list[float]] = {}  # pitch -> [start, end] of a note still tied on
    for element in part.flatten().notes:
        length = float(element.quarterLength)
        if length <= 0:
            continue
        start = float(element.offset) + shift
        for pitch, tie in _sounding(element):
            if not 0 <= pitch <= 127:
                continue
            span = held.pop(pitch, None)
            if span is not None and abs(span[1] - start) < 1e-6:
                span[1] = start + length
            else:
                if span is not None:
                    done.append((pitch, span[0], span[1]))
                span = [start, start + length]
            if tie in ("start", "continue"):
                held[pitch] = span
            else:
                done.append((pitch, span[0], span[1]))
    done.extend((pitch, s, e) for pitch, (s, e) in held.items())
    return tuple(Note(p, s, e - s) for p, s, e in sorted(done, key=lambda n: (n[1], n[0])))


def score_notes(score: Any) -> ScoreNotes:
    """The notes of a music21 score, one track per part, in beats from the first bar line."""
    shift = _pickup(score)
    parts = list(score.parts) or [score]
    tracks = []
    for index, part in enumerate(parts, start=1):
        name = (part.partName or "").strip() or f"part {index}"
        tracks.append(Track(name, _part_notes(part, shift)))
    return ScoreNotes(tuple(t for t in tracks if t.notes), _time_signature(score), _tempo(score))
