"""The chords an arpeggio outlines, beat by beat, so that a take's turned note keeps to them.

A bar of a line outlines a chord where it leaps over a triad (:func:`outlined_chord`).
An arp changes chord where its harmony does: every bar, every two beats, every beat, on
beat 2 or 4 (Am for one beat, F for three), or across a bar line (a chord on beats 4 and
1). :func:`outlined_chords` splits the loop into the spans its chords last
(:func:`best_spans`): each a bar at most, from beat to beat, each span outlining a chord
that is not the chord of the span beside it (nor holds it or is held by it) unless a
bar line lies between them. A rest, or a note held on, keeps the chord that sounded.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from segue.grid import TICKS_PER_BEAT

LEAP = 3
"""The smallest step between two pitch classes (semitones, either way round the octave)
that counts as a leap: a minor third. An arpeggio moves by thirds, fourths and fifths (an
Am arp A C E A: 3, 4, 5), a scale by seconds, and an octave (the same class) is neither."""
OUTLINED = (3, 5)
"""How many pitch classes a bar of a line may play and still outline one chord: a triad's
3 up to a ninth chord's 5. A bar that plays 6 or 7 leaps over most of its key."""
TRIADS = ((3, 7), (4, 7))
"""The chords an arpeggio outlines (:func:`outline_mask`), as the intervals (semitones) of
their third and fifth over their root: a minor and a major triad."""


def outlined_chord(pitches: np.ndarray) -> np.ndarray | None:
    """(12,) bool: the pitch classes of the chord a bar of a line (its ``pitches``, in time
    order) outlines, or None where it outlines none: an arpeggio plays :data:`OUTLINED`
    pitch classes, mostly (more than half of its moves from one class to another) by leaps
    of :data:`LEAP` or more (A C E A C E: Am), a triad among them (a root, its third and
    its fifth). A scale (C D E F) moves by steps, an octave bass (A1 A2) or a riff on a
    root and its fifth plays fewer classes, and a figure of two power chords (C G, D A)
    leaps over no triad: its C, G and D made one "chord", and its takes, kept to it, were
    more alike from one request to the next (helper-81)."""
    mask = outline_mask((np.asarray(pitches, dtype=np.int64) % 12).tolist())
    return _classes(mask) if mask else None


def outline_mask(classes: list[int], chords: tuple[tuple[int, int], ...] = TRIADS) -> int:
    """:func:`outlined_chord` of pitch ``classes`` in time order, as a 12-bit mask (bit c:
    pitch class c), 0 for none; the chord among them one of ``chords`` (two intervals over
    a root, semitones: :data:`TRIADS`)."""
    mask = 0
    for c in classes:
        mask |= 1 << c
    if not OUTLINED[0] <= mask.bit_count() <= OUTLINED[1]:
        return 0
    moves = [(b - a) % 12 for a, b in zip(classes, classes[1:], strict=False)]
    moves = [min(m, 12 - m) for m in moves if m]
    if sum(m >= LEAP for m in moves) * 2 <= len(moves):
        return 0
    return mask if holds_chord(mask, chords) else 0


def pitch_outline(pitches: list[int]) -> int:
    """:func:`outline_mask` of a span's ``pitches`` in time order (their classes)."""
    return outline_mask([p % 12 for p in pitches])


@functools.cache  # of 4,096 masks, asked again and again: half of outlined_chords' time
def holds_chord(mask: int, chords: tuple[tuple[int, int], ...] = TRIADS) -> bool:
    """Whether pitch classes (a 12-bit ``mask``, bit c: pitch class c) hold one of ``chords``
    (two intervals over a root, semitones): a root and the chord's two other tones; what it
    says of a mask and chords is kept."""
    return any(
        mask >> root & 1 and mask >> (root + one) % 12 & 1 and mask >> (root + two) % 12 & 1
        for root in range(12)
        for one, two in chords
    )


def _classes(mask: int) -> np.ndarray:
    """(12,) bool: the pitch classes of a 12-bit ``mask``."""
    return (mask >> np.arange(12)) & 1 == 1


def beat_ticks(bar: int) -> int:
    """The ticks of the beats a loop's chords may change on: a quarter note, or in a bar
    that is not a whole number of them (7/8), an eighth."""
    return TICKS_PER_BEAT if bar % TICKS_PER_BEAT == 0 else math.gcd(bar, TICKS_PER_BEAT)


Span = tuple[int, int]
"""A span of a loop's beats: its first beat and how many (it may run over the loop's end)."""


KEY = 7
"""The pitch classes a sounding beat outside every chord counts for (:func:`best_spans`): a
key's, to which a line's turns keep there."""
Cost = tuple[int, int]
"""How well spans cover a loop (:func:`best_spans`): its sounding beats weighted by the
pitch classes their turns may take (a chord's, or :data:`KEY`), and its spans."""


def best_spans(
    chords: dict[Span, int], sounding: list[bool], longest: int, bar_lines: set[int]
) -> list[Span]:
    """The spans of a loop of ``len(sounding)`` beats (``sounding``: whether a note starts in
    each) that its chords last: spans of ``chords`` (each up to ``longest`` beats, with the
    chord it outlines, a mask of :func:`outline_mask`) and single beats that outline none,
    together covering the loop once. Two spans of chords meet only where neither chord
    holds the other (Am, then F), or on one of the ``bar_lines`` (beats): an Am7 bar whose
    second half leaves out the G is Am7, not Am7 then Am. Of the ways to cover the loop,
    the one whose sounding beats may take the fewest pitch classes (a chord's, beat for
    beat, or outside every chord :data:`KEY`: A C E A F A C F ... is Am for a beat then F,
    not Fmaj7 for the bar), then of the fewest spans."""
    beats = len(sounding)

    def fits(one: int, two: int, beat: int) -> bool:
        """Whether a span of chord ``one`` may meet one of ``two`` at ``beat`` (0: none)."""
        return not one or not two or beat % beats in bar_lines or bool(one & ~two and two & ~one)

    def cost(span: Span) -> int:
        chord = chords.get(span, 0)
        return span[1] * chord.bit_count() if chord else KEY * sounding[span[0] % beats]

    def cover(begin: int, end: int, around: Span | None) -> tuple[Cost, list[Span]]:
        """The best spans from beat ``begin`` to ``end`` (past the loop's end: on from its
        start), between the ends of the span ``around`` (None: from a bar line to it)."""
        edge = 0 if around is None else chords[around]
        # ways[beat][chord of the last span]: the best cost and spans covering begin..beat
        ways: dict[int, dict[int, tuple[Cost, list[Span]]]] = {
            begin: {edge: ((0, 0), []) if around is None else ((cost(around), 1), [around])}
        }
        for beat in range(begin, end):
            for last, (so_far, spans) in ways.get(beat, {}).items():
                for length in range(1, min(longest, end - beat) + 1):
                    span = (beat % beats, length)
                    chord = chords.get(span, 0)
                    if (length > 1 and not chord) or not fits(last, chord, beat):
                        continue
                    total = (so_far[0] + cost(span), so_far[1] + 1)
                    at = ways.setdefault(beat + length, {})
                    if chord not in at or total < at[chord][0]:
                        at[chord] = (total, [*spans, span])
        done = [way for last, way in ways.get(end, {}).items() if fits(last, edge, end)]
        return min(done, key=lambda way: way[0], default=((KEY * beats + 1, 0), []))

    # from the loop's start (a bar line), or around a chord that runs on over its end
    found = [cover(0, beats, None)]
    for at, length in chords:
        if at + length > beats > length:
            found.append(cover(at + length - beats, at, (at, length)))
    return min(found, key=lambda way: way[0])[1]


def outlined_chords(
    onsets: np.ndarray,
    pitches: np.ndarray,
    bar: int,
    length: int,
    outline: Callable[[list[int]], int] = pitch_outline,
) -> dict[int, np.ndarray]:
    """The chords (:func:`outlined_chord`; or those ``outline`` reads of a span's pitches in
    time order, a 12-bit mask of pitch classes) a line's loop (``length`` ticks; its notes at
    ``onsets``, ticks from the loop's start, of ``pitches``) arpeggiates, by beat
    (:func:`beat_ticks`; 0: the loop's first): in the spans of :func:`best_spans`, each a
    bar at most. A beat that starts no note has the chord of the last beat that does."""
    unit = beat_ticks(bar)
    beats = max(-(-length // unit), 1)
    longest = min(max(bar // unit, 1), beats)
    order = np.lexsort((pitches, onsets))
    notes: list[list[int]] = [[] for _ in range(beats)]
    for onset, pitch in zip(
        np.asarray(onsets)[order].tolist(), np.asarray(pitches)[order].tolist(), strict=True
    ):
        notes[min(onset // unit, beats - 1)].append(pitch)
    chords: dict[Span, int] = {}
    for first in range(beats):
        played: list[int] = []
        for count in range(1, longest + 1):
            played += notes[(first + count - 1) % beats]
            mask = outline(played) if len(played) >= OUTLINED[0] else 0
            if mask:
                chords[first, count] = mask
    if not chords:  # most lines: no span outlines a chord
        return {}
    sounding = [len(n) > 0 for n in notes]
    bar_lines = {beat for beat in range(beats) if beat * unit % bar == 0}
    masks: dict[int, int] = {}
    for span in best_spans(chords, sounding, longest, bar_lines):
        for k in range(span[1] if span in chords else 0):
            masks[(span[0] + k) % beats] = chords[span]
    for beat in range(beats):  # a rest, or a note held on: the chord that sounded
        back = next((b % beats for b in range(beat, beat - beats, -1) if sounding[b % beats]), None)
        if back is not None and back in masks and beat not in masks:
            masks[beat] = masks[back]
    return {beat: _classes(mask) for beat, mask in masks.items()}
