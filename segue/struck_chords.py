"""Which notes struck together are a keyboard's chords, not a kit's pads.

A Drum Rack's clip and a keyboard's part lie on the same notes (a kick, a snare and an
open hat, C2 E2 Bb2, are a C7 shell). A keyboard moves its chords as a progression moves
them (the same shape on other notes, or over a bass that moves); a kit's pads stay where
they lie, a shape on the kick again and again. ``segue.beat_reading`` asks these readings
before it takes a part on channel 1 for a beat. The chords are ``segue.chords``'s table.
"""

from __future__ import annotations

from collections.abc import Iterable

from segue.chords import EXTENDED_CHORDS, KEYBOARD_CHORDS, SEVENTHS
from segue.drums import family


def struck_chords(together: Iterable[set[int]]) -> list[set[int]]:
    """The notes struck together that are chords of a progression: a major or minor triad
    where the notes over their lowest change from one to another (two chords or more), or
    a chord a keyboard strikes (a seventh or sixth chord or its shell, a suspended,
    diminished or augmented triad: :func:`is_keyboard_chord`) moved as a progression moves
    it, the same shape struck again on other notes (:func:`moved_chords`) or chords over a
    bass that moves (:func:`over_a_moving_bass`). A kick under a pedal hat and a ride (C2
    G#2 D#3) is an A flat triad, struck the same again and again: a jazz ride pattern, no
    chord. A beat's pads spell chords of their own where they lie (a kick, a snare and an
    open hat, C2 E2 B flat 2, are a C7 shell; a kick, a clap and a hat a C diminished
    triad), but a kit's pads stay where they lie: its kick under a clap and a hat is that
    shape on the kick, again and again, where a blues vamp's C7 shell (C2 E2 Bb2) moves to
    F7's (F2 A2 Eb3), which a kick, a snare and an open hat, then two toms and a ride, had
    spelled: the vamp was played as drums (helper-147)."""
    together = list(together)
    triads = [struck for struck in together if is_triad(struck)]
    uppers = {frozenset(p % 12 for p in sorted(struck)[1:]) for struck in triads}
    chords = triads if len(uppers) >= 2 else []
    keyboard = [struck for struck in together if is_keyboard_chord(struck)]
    moved = moved_chords(keyboard) + over_a_moving_bass(keyboard)
    return [struck for struck in together if struck in chords or struck in moved]


def is_triad(struck: set[int]) -> bool:
    """Whether notes struck together are three or more on a major or minor triad's pitch
    classes (its root, third and fifth, doubled or not)."""
    classes = {p % 12 for p in struck}
    if len(struck) < 3 or len(classes) < 2:
        return False
    return any(
        classes <= {root, (root + third) % 12, (root + 7) % 12}
        for root in classes
        for third in (3, 4)
    )


def is_keyboard_chord(struck: set[int]) -> bool:
    """Whether notes struck together spell a chord a keyboard strikes: three pitch classes
    or more, every one of a chord of :data:`KEYBOARD_CHORDS` on one of them (its root), or
    a shell of two, a root and its seventh above it (:data:`SEVENTHS`)."""
    classes = {p % 12 for p in struck}
    if len(classes) == 2:
        low, high = sorted(struck)[0], max(struck)
        return (high - low) % 12 in SEVENTHS and low % 12 != high % 12
    return len(classes) >= 3 and any(
        {(c - root) % 12 for c in classes} <= set(chord)
        for root in classes
        for chord in KEYBOARD_CHORDS
    )


def moved_chords(chords: list[set[int]]) -> list[set[int]]:
    """Of chords struck (each a set of pitches), those whose shape (the intervals over
    the lowest note) is struck on other notes too: C7's shell on C2 (C2 E2 Bb2) and on F2
    (F2 A2 Eb3) is one chord moved down a fifth, as a vamp or a progression moves it (a
    sus4 vamp keeps a note: B1 E2 F#2, F#2 B2 C#3). A kit's pads stay where they lie: a
    shape on the kick, again and again. A shell of two notes (a root and its seventh,
    C2+Bb2 to F2+Eb3) moves to notes none the same: a kit's pairs of one shape share a pad
    (a kick under a clap, C2+Eb2, the clap under a hat, Eb2+F#2)."""
    shapes: dict[tuple[int, ...], list[frozenset[int]]] = {}
    for struck in chords:
        low = min(struck)
        placed = shapes.setdefault(tuple(sorted(p - low for p in struck)), [])
        if frozenset(struck) not in placed:
            placed.append(frozenset(struck))
    moved = {
        chord
        for placed in shapes.values()
        for chord in placed
        if any(other != chord and (len(chord) > 2 or not chord & other) for other in placed)
    }
    return [struck for struck in chords if frozenset(struck) in moved]


BASS_SHARE = 0.25
"""The share of a part's chords (:func:`over_a_moving_bass`) that two lowest notes or
more carry each, from which the chords over them are a progression's: each chord of a
progression of four lasts as long as the others (ii-V-I-VI, a ii-V vamp, each a half). A
beat's pads that spell a chord lie on its kick (a kick, a snare and a hat spell D7 over
C), but for one now and then on its snare (a snare, a hat and a crash, D F# C#)."""


def over_a_moving_bass(chords: list[set[int]]) -> list[set[int]]:
    """Of chords struck (each a set of pitches), those of three notes or more whose lowest
    note carries :data:`BASS_SHARE` of them or more where another lowest note does too: a
    progression's bass moves and each chord lasts a while over it (a ii-V vamp, D minor 7
    over D2 and G7 over G2, shells of other shapes: D2 F2 C3 on a snare and toms, G2 B2 F3
    on toms and a ride), one bass no note struck over another and no chord's notes over it
    the same as over another. A beat's pads struck together lie on its kick, the same pads
    over its two kicks (B1 and C2 under a pedal hat and a ride), or a clap under a hat and
    an open hat (Eb2 F#2 Bb2) with its kick under that clap and hat (C2 Eb2 F#2)."""
    full = [struck for struck in chords if len({p % 12 for p in struck}) >= 3]
    basses: dict[int, int] = {}
    for struck in full:
        basses[min(struck)] = basses.get(min(struck), 0) + 1
    held = {bass for bass, count in basses.items() if count >= BASS_SHARE * len(full)}
    over = {bass: [s for s in full if min(s) == bass] for bass in held}
    notes = {bass: set().union(*above) for bass, above in over.items()}
    uppers = {bass: {frozenset(s) - {bass} for s in above} for bass, above in over.items()}
    moves = any(
        a not in notes[b] and b not in notes[a] and not uppers[a] & uppers[b]
        for a in held
        for b in held
        if a < b
    )
    return [struck for struck in full if min(struck) in held] if moves else []


VOICED = 3
"""Semitones, at the least, between neighbouring notes of a chord a hand voices low on the
keyboard (:func:`vamped_chords`): a left hand or a comping hand in the second octave
spreads its notes a third or more apart (Cm9: Eb2 Bb2 D3), where a kit's pads struck
together lie a semitone or a tone apart now and then (a snare and a clap, D2 Eb2)."""
REPEATED = 0.25
"""The share of a part's notes struck together that strike one chord (the same pitches),
from which it is a vamp's chord struck again and again (:func:`vamped_chords`), not a
kit's accent: a beat strikes a crash over its snare and hat (D2 F#2 C#3) once in a phrase."""


def vamped_chords(together: list[set[int]], bass: int) -> list[set[int]]:
    """Of notes struck together (each a set of pitches), those that strike a one-chord
    vamp's chord over its ``bass`` (the part's lowest note): the same pitches again and
    again (:data:`REPEATED` of them or more), three pitch classes or more, no kick among
    them, voiced a third or more apart (:data:`VOICED`), and with the bass a keyboard's
    chord on it (:data:`KEYBOARD_CHORDS`, :data:`EXTENDED_CHORDS`). A keyboard strikes its
    bass and its chord apart: a C9 vamp's left hand strikes C2 with its seventh, Bb2 (a kick
    and an open hat) on 1 and 3, and its right hand E2 Bb2 D3 (a snare, the open hat and a
    tom) on 2, the and of 3 and the and of 4, which went to the drum model (helper-162: 11
    ninth, 6/9, add9 and altered vamps of 16, quantized and played in). A kit's pads that
    spell a chord lie on its kick (a kick, a snare and an open hat, C2 E2 Bb2)."""
    counts: dict[frozenset[int], int] = {}
    for struck in together:
        counts[frozenset(struck)] = counts.get(frozenset(struck), 0) + 1
    vamped = {
        chord
        for chord, count in counts.items()
        if count >= 2 and count >= REPEATED * len(together) and is_voiced_over(chord, bass)
    }
    return [struck for struck in together if frozenset(struck) in vamped]


def is_voiced_over(chord: Iterable[int], bass: int) -> bool:
    """Whether notes struck together are a hand's chord over ``bass``: three pitch classes
    or more, none a kick, neighbouring notes :data:`VOICED` semitones apart or more, and
    with the bass a chord of :data:`KEYBOARD_CHORDS` or :data:`EXTENDED_CHORDS` on it."""
    notes = sorted(chord)
    classes = {(p - bass) % 12 for p in notes}
    if len(classes) < 3 or any(family(p) == "kick" for p in notes):
        return False
    if any(b - a < VOICED for a, b in zip(notes, notes[1:], strict=False)):
        return False
    return any(classes | {0} <= set(c) for c in (*KEYBOARD_CHORDS, *EXTENDED_CHORDS))
