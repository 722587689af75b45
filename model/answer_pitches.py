"""Which pitches a take may play where the loop rests (``segue.model.takes``): an answer in
a phrase's silent last bar or in a call's rest, near the loop's next note
(:func:`answer_pitches`; a line's near where the line sits: :func:`answer_near_line`); a
lead's answer into its next note, of its own notes, a step from it or its tonic chord
(:func:`answer_pool`, :func:`tonic_chord`); a sparse bass's pickup into its next root
(:func:`pickup_pitches`); and the first of them in rank, as many as the takes need
(:func:`first_ranked`)."""

from __future__ import annotations

import numpy as np

from segue.model.keys import Key
from segue.model.turn_sizes import AROUND, NEIGHBOUR
from segue.model.voicings import REACH, in_part


def answer_pitches(
    allowed: np.ndarray,
    loop_pitch: np.ndarray,
    key: np.ndarray | None,
    takes: np.ndarray | int,
    fits: np.ndarray | None = None,
    near: np.ndarray | None = None,
    span: np.ndarray | None = None,
    together: np.ndarray | None = None,
    middle: float | None = None,
    previous: np.ndarray | None = None,
) -> np.ndarray:
    """(rows,) bool: the rows of an answer's note whose pitches (``allowed``, (rows, pitches)
    bool) are narrowed, in place, to the pitches nearest the loop's next note (``loop_pitch``,
    (rows,)) that give each of the ``takes`` answering there (per row: :meth:`Turns.sharing`)
    a pitch of its own: of the loop's ``key`` (12 bool; None: any), within :data:`REACH`, of
    a chord loop's clear of a harsh clash (``fits`` at least 1, :meth:`Turns.clashing`), the
    loop's own pitch left in (it is struck as it is, not answered: ``generate``). An answer
    held to a chord loop's own classes and to the loop's span had one pitch or two to take:
    the 4 takes of an Am chord held through the phrase answered C4 in 40 of 40, of a C3
    drone D3 or B2 (helper-87). Within the part (``span``, (rows, 2): :meth:`Turns.span_at`,
    and :data:`BEYOND` past it) where that leaves each take a pitch of its own, or each of
    those answering at one place (``together``, (rows,): :meth:`Turns.sharing`; ``takes``
    counts those answering late at either place, :meth:`Turns.answering_late`): four power
    chords answering a loop of E5 G5 A5 D5 on its beats 3 and 4 took an A1 root, under the
    part. A line's answers (its ``middle`` given: the median of its notes) count their
    distance from the span between the loop's next note and the middle, where the line sits
    (:func:`answer_near_line`), the line's note before the answer (``previous``, (rows,))
    the last it takes (:func:`_moving_on`). Returns the rows so narrowed; the others, whose
    key and range leave too few, are left as they are."""
    pitch = np.arange(allowed.shape[1])[None]
    loop = np.asarray(loop_pitch)[:, None]
    anchor = loop if near is None else np.asarray(near)[:, None]
    other = allowed & (pitch != loop) & (pitch != anchor) & (np.abs(pitch - anchor) <= REACH)
    if key is not None:
        other &= key[pitch % 12]
    if fits is not None:
        other &= fits >= 1
    takes = np.broadcast_to(np.asarray(takes), (len(allowed),))
    if span is not None and together is not None:
        inside = other & in_part(span, allowed.shape[1])
        wide = takes > together  # the late answers' takes, at either place
        room = inside.sum(axis=1) >= takes
        other = np.where((wide & room)[:, None], inside, other)
        takes = np.where(wide & ~room, together, takes)  # else each at its place
    done = other.sum(axis=1) >= np.minimum(np.maximum(takes, 1), 2)
    away = np.abs(pitch - anchor) if middle is None else _away(pitch, anchor[:, 0], middle)
    before = np.full(len(allowed), -1) if previous is None else np.asarray(previous)
    for r in np.flatnonzero(done):
        other[r] = _moving_on(other[r], int(before[r]), max(int(takes[r]), 1))
        far = np.sort(away[r][other[r]])
        reach = far[min(max(int(takes[r]), 1), len(far)) - 1]  # as far as the last take needs
        own = bool(allowed[r, loop[r, 0]])
        allowed[r] = other[r] & (away[r] <= reach)
        allowed[r, loop[r, 0]] = own
    return done


STEPS = 2
"""Semitones from the next root a sparse bass's pickup may lie in the key, whatever the
clip plays: a step into it (B1 or G#1 into an A major A1, A1 or F1 into a G minor G1)."""


def pickup_pitches(
    next_pitch: np.ndarray,
    stated: np.ndarray,
    key: np.ndarray | None,
    reach: int,
    approach: bool = False,
    size: int = 128,
) -> np.ndarray:
    """(rows, ``size``) bool: the pitches a sparse bass's pickup into the loop's next note
    (``next_pitch``, (rows,): the next phrase's root) may take, among which each take's
    draw chooses (:meth:`DrawnPitches.picking_up`): within ``reach`` (semitones) of it, a class
    the clip plays (``stated``, 12 bool: its roots and fifths), the next root's fifth (above,
    or a fourth below) or a step into it (:data:`STEPS`) in the ``key`` (12 bool; None:
    any), or where it is the note right before it (``approach``: after the bar's last note,
    ``TurnPlaces._pickups``) a semitone from it, a chromatic approach (G#1 or Bb1 into an A1);
    and its octave where the reach is a fifth or more (:data:`AROUND`). A sub bass's answers
    on its held last bar's third and fourth beats keep its key, as they did. A key the
    clip leaves open (no third: G F C G read as G minor, an A-E power bass as A major)
    gives no class the clip does not play but those steps: held to the pitches nearest the
    root, the four takes of every request were the same four
    pickups (rng seeds 1-8), and an A-E bass took a C#2 and an F#1, a G-F-C-G one a Bb1."""
    pitch = np.arange(size)[None]
    to = pitch - np.asarray(next_pitch, dtype=np.int64)[:, None]
    keyed = np.ones(12, dtype=bool) if key is None else np.asarray(key, dtype=bool)
    fifth = (to % 12 == 7) & keyed[pitch % 12]
    step = ((np.abs(to) <= STEPS) & keyed[pitch % 12]) | ((np.abs(to) == 1) & approach)
    near = (np.abs(to) <= reach) & (to != 0) & (stated[pitch % 12] | fifth | step)
    return near | ((np.abs(to) == 12) & (reach >= AROUND))


def tonic_chord(key: Key | None) -> np.ndarray:
    """(12,) bool: the classes of ``key``'s tonic chord, its root, third and fifth where the
    scale has them (A C E in A minor, D F A in D dorian); none for no key."""
    out = np.zeros(12, dtype=bool)
    if key is None:
        return out
    steps = set(key.steps())
    for above in (0, 4 if 4 in steps and 3 not in steps else 3, 7):
        if above in steps:
            out[(key.tonic + above) % 12] = True
    return out


def answer_pool(
    next_pitch: int,
    line: np.ndarray,
    key: np.ndarray | None,
    chord: np.ndarray,
    middle: float,
    outlined: np.ndarray | None = None,
    size: int = 128,
) -> np.ndarray:
    """(``size``,) bool: the pitches a lead's answer in its rest into the loop's next note
    (``next_pitch``) may take, among which the rng chooses its takes'
    (:meth:`DrawnPitches.answering_near`): the line's own pitches (``line``) in the key, a step
    (:data:`STEPS`) from its next note in the ``key`` (12 bool; None: any), and the tones of
    its tonic ``chord`` (12 bool: :func:`tonic_chord`) within a fourth (:data:`NEIGHBOUR`) of
    the line's ``middle`` and within its span: all near where the line sits, none over its
    top or under its bottom by more than a step. Where the line outlines a chord there
    (``outlined``, 12 bool: an arp's or a pluck riff's bar, :func:`outlined_chords`), the
    tones of that chord within a step of its span, as an arp's answer plays its chord
    (:meth:`Turns.clashing`). The next note itself is left to the draw, as it was."""
    pitch = np.arange(size)
    line = np.asarray(line, dtype=np.int64)
    if outlined is not None and len(line):
        near = (pitch >= line.min() - STEPS) & (pitch <= line.max() + STEPS)
        return np.asarray(outlined, dtype=bool)[pitch % 12] & near & (pitch != next_pitch)
    keyed = np.ones(12, dtype=bool) if key is None else np.asarray(key, dtype=bool)
    own = np.isin(pitch, line) & keyed[pitch % 12]  # none it plays only as a grace
    step = (np.abs(pitch - next_pitch) <= STEPS) & keyed[pitch % 12]
    within = (pitch >= line.min()) & (pitch <= line.max()) if len(line) else own
    tone = chord[pitch % 12] & keyed[pitch % 12] & (np.abs(pitch - middle) <= NEIGHBOUR) & within
    return (own | step | tone) & (pitch != next_pitch)


def first_ranked(ranks: np.ndarray, allowed: np.ndarray, count: np.ndarray) -> np.ndarray:
    """(rows, pitches) bool: of each row's pitches ranked (``ranks`` above 0,
    :meth:`DrawnPitches.picking_up`) and ``allowed``, the ``count`` (per row) first in rank; all of
    them where fewer."""
    ranked = np.where(allowed & (ranks > 0), ranks, np.iinfo(np.int64).max)
    order = np.sort(ranked, axis=1)
    last = order[np.arange(len(ranks)), np.clip(np.asarray(count) - 1, 0, ranks.shape[1] - 1)]
    return (ranked <= last[:, None]) & (ranked < np.iinfo(np.int64).max)


def _away(pitch: np.ndarray, anchor: np.ndarray, middle: float) -> np.ndarray:
    """(rows, pitches) semitones from each ``pitch`` to the span between each row's
    ``anchor`` (an answer's next note) and the line's ``middle``; 0 within it."""
    low = np.minimum(anchor, middle)[:, None]
    high = np.maximum(anchor, middle)[:, None]
    return np.maximum(np.maximum(low - pitch, pitch - high), 0)


def _moving_on(other: np.ndarray, previous: int, takes: int) -> np.ndarray:
    """``other`` ((pitches,) bool: a line's answer's pitches besides its next note's) but the
    line's note before the answer (``previous``; -1 for none) where that leaves each of the
    ``takes`` a pitch: struck again, the answer stood still where a player moves on (the
    span over the line's middle reached the note it fell from: a lead's G4 A4 in its last
    bar, its next note D5, answered A4 in 8 of 32 takes)."""
    if previous < 0 or not other[previous] or other.sum() - 1 < takes:
        return other
    out = other.copy()
    out[previous] = False
    return out


def answer_near_line(
    allowed: np.ndarray,
    loop_pitch: np.ndarray,
    middle: float,
    takes: np.ndarray | int,
    previous: np.ndarray | None = None,
) -> None:
    """``allowed`` ((rows, pitches) bool: a line's answers, as :func:`turn_pitches` left
    them) narrowed, in place, to the pitches nearest the line where it sits: between the
    loop's next note (``loop_pitch``, (rows,)) and the line's ``middle`` (its median),
    else as near to them as gives each of the ``takes`` answering there (per row:
    :meth:`Turns.sharing`) a pitch of its own; the loop's own pitch as it was. An answer is
    a note more, not a note turned: anywhere within :data:`REACH` on its next note's side of
    the middle it moved the take's median with it, and a sparse lead's answers (a note or
    two a bar, whose takes answer in its rests) carried 148 of the 172 semitones by which
    the takes' medians missed the real continuations' more than the clip played again did
    (LMMS dev leads, measured). The line's note before the answer (``previous``, (rows,))
    is the last pitch it takes (:func:`_moving_on`). A row with fewer such pitches than
    takes is left as is."""
    pitch = np.arange(allowed.shape[1])
    loop = np.asarray(loop_pitch)
    away = _away(pitch[None], loop, middle)
    takes = np.broadcast_to(np.maximum(np.asarray(takes), 1), (len(allowed),))
    before = np.full(len(allowed), -1) if previous is None else np.asarray(previous)
    for r in range(len(allowed)):
        other = allowed[r] & (pitch != loop[r])
        if other.sum() < takes[r]:
            continue
        other = _moving_on(other, int(before[r]), int(takes[r]))
        reach = np.sort(away[r][other])[takes[r] - 1]  # as far as the last take needs
        own = bool(allowed[r, loop[r]])
        allowed[r] &= (away[r] <= reach) & (other | (pitch == loop[r]))
        allowed[r, loop[r]] = own
