"""A left hand's broken chords: the bass each one stands on.

A pianist's left hand that plays its chords one note at a time (an Alberti bass, C3 G3 E3
G3; a "root, fifth, octave, fifth" figure, C2 G2 C3 G2), or a bass that arpeggiates its
chords, is heard as a bass line and a figure over it: the note it strikes where a bar
begins or its chord changes is the chord's bass, and another chord tone there puts the
harmony over it in inversion (a G chord's G2 turned to D3 is G/D). Such a line lies low
(:data:`LEFT_HAND`); an arp in the middle or high register is a figure over a bass that
another part plays, and its turns may strike another of its chord's tones on a downbeat.
A part in a fixed shape (octaves, power chords) is ``segue.model.shapes``'s.

A left hand of root, fifth and octave (C2 G2 C3 G2) outlines no triad, yet its chords are
its roots: it outlines fifths (:func:`fifth_outline`), and where it changes fifth (C G, then
G D) its chord changes. An oom-pah (a waltz, a stride, a polka's boom-chick) strikes its
bass alone on a beat and its chord over it after (:func:`chord_basses`): the bass is the
chord's, as its own lowest note would be. A left hand keeps its lowest note on every bar's
downbeat whatever the chord's quality: a bar that breaks a diminished, augmented or sus
chord by itself (:func:`broken_bars`; a seventh chord without its root is one) has its bass.
A jazz pianist's shells broken one note at a time (root and seventh, D2 C3; root, seventh
and third, F2 Eb3 A3; no fifth) outline no triad: their roots are their basses
(:func:`shell_outline`). A 6/8 oom-pah strikes its bass on both of the bar's dotted-quarter
beats, the meter's pulse.
"""

from __future__ import annotations

import numpy as np

from segue.chords import SEVENTHS, THIRDS
from segue.model.arpeggios import (
    LEAP,
    TRIADS,
    beat_ticks,
    holds_chord,
    outline_mask,
    outlined_chords,
)

LEFT_HAND = 60
"""Middle C: a line most of whose notes lie below it (the bass clef, a pianist's left hand
or a bass) is the harmony's bass where it outlines chords; one whose notes lie mostly at or
above it (an arp over A3 C4 E4 A4, a lead) is a figure over the harmony."""


def low_line(pitches: np.ndarray) -> bool:
    """Whether a line (its notes' ``pitches``) lies in a left hand's register: more than half
    of its notes below :data:`LEFT_HAND`."""
    pitches = np.asarray(pitches)
    return bool(len(pitches)) and int((pitches < LEFT_HAND).sum()) * 2 > len(pitches)


FIFTH = 7
"""A perfect fifth (semitones): a root and the fifth over it, the two classes of a left hand
of root, fifth and octave."""


def fifth_outline(classes: list[int]) -> int:
    """The fifth a span of a line (its pitch ``classes`` in time order) outlines, as a 12-bit
    mask (bit c: pitch class c; ``segue.model.arpeggios.outline_mask``'s form), 0 for none: a
    root and its fifth, and no other class (C2 G2 C3 G2: C G)."""
    pair = sorted(set(classes))
    if len(pair) != 2 or (pair[1] - pair[0]) not in (FIFTH, 12 - FIFTH):
        return 0
    return 1 << pair[0] | 1 << pair[1]


def shell_outline(pitches: list[int]) -> int:
    """The shell a span of a low line (its ``pitches`` in time order) breaks, as a 12-bit mask
    (:func:`fifth_outline`'s form), 0 for none: its first and lowest note the root (a left
    hand strikes it first; a riff falling from its seventh to its root, C3 D2, is a riff),
    over it only the root's classes, a seventh (:data:`SEVENTHS`) and a third
    (:data:`THIRDS`), a class each, every move from one note to another a leap (D2 C3 D2 C3:
    Dm7; F2 Eb3 A3 Eb3: F7). A third without a seventh is a shell as a tenth (C2 E3), a
    pianist's reach: a bass riff on a root and the third over it (D2 F2, the blues scale's)
    is a riff, and a line that steps (C3 B2 C3, D3 C3) no shell."""
    if len(set(pitches)) < 2:
        return 0
    root = min(pitches)
    if pitches[0] != root:
        return 0
    over = {(p - root) % 12 for p in pitches} - {0}
    sevenths, thirds = over.intersection(SEVENTHS), over.intersection(THIRDS)
    if over != sevenths | thirds or len(sevenths) > 1 or len(thirds) > 1:
        return 0
    if not sevenths and min(p for p in pitches if p != root) < root + 12:
        return 0  # a third, not a tenth
    moves = [abs(b - a) for a, b in zip(pitches, pitches[1:], strict=False) if b != a]
    if any(move < LEAP for move in moves):
        return 0
    return sum(1 << (root + c) % 12 for c in {0, *over})


def chord_or_fifth(pitches: list[int]) -> int:
    """The chord (``segue.model.arpeggios.outline_mask``), or else the fifth
    (:func:`fifth_outline`) or the shell (:func:`shell_outline`) a span of a low line (its
    ``pitches`` in time order) outlines, as a 12-bit mask; 0 for none."""
    classes = [p % 12 for p in pitches]
    return outline_mask(classes) or fifth_outline(classes) or shell_outline(pitches)


SHELL_STRIKES = 2
"""How many notes a bar of a low line strikes where it breaks a shell in two
(:func:`two_strike_shells`): a jazz left hand's root on 1 and its seventh or tenth after it
(D2 C3 in half notes, or the root held three beats and its seventh on 4), where a triad or
a fifth broken takes three notes (``segue.model.arpeggios.OUTLINED``)."""


def two_strike_shells(
    onsets: np.ndarray, pitches: np.ndarray, bar: int, length: int
) -> dict[int, np.ndarray]:
    """The shells (:func:`shell_outline`) that bars of a low line break in
    :data:`SHELL_STRIKES` notes, its root on the bar's downbeat (F2 Eb3, Bb2 Ab3 in half
    notes: F7, Bb7), by beat (``segue.model.arpeggios.outlined_chords``' form: each of the
    bar's beats, the shell's pitch classes). A bass line's root and fifth (C2 G2) or third
    (C2 E2), or a bar that opens on another note than its lowest, breaks none."""
    unit = beat_ticks(bar)
    out: dict[int, np.ndarray] = {}
    for at in range(0, length, bar):
        inside = (onsets >= at) & (onsets < at + bar)
        if len(np.unique(onsets[inside])) != SHELL_STRIKES or not (onsets == at).any():
            continue
        order = np.lexsort((pitches[inside], onsets[inside]))
        mask = shell_outline(pitches[inside][order].tolist())
        if mask:
            for beat in range(at // unit, min(at + bar, length) // unit):
                out[beat] = (mask >> np.arange(12)) & 1 == 1
    return out


LEFT_HAND_CHORDS = (*TRIADS, (3, 6), (4, 8), (2, 7), (5, 7))
"""The chords a left hand breaks a bar of (:func:`broken_bars`), as the intervals (semitones)
of two tones over their root: a minor and a major triad, a diminished (B D F) and an
augmented triad (C E G#), a sus2 (C D G) and a sus4 (C F G). A seventh chord without its
root is one of them (G7's B D F, C7's E G Bb: diminished; Cmaj7's E G B: minor), and one
with it holds one."""


def broken_bars(onsets: np.ndarray, pitches: np.ndarray, bar: int, length: int) -> list[int]:
    """The bar lines (ticks into a loop of ``length`` ticks, its notes at ``onsets``, ticks,
    of ``pitches``) of the bars that break a chord of any quality (:data:`LEFT_HAND_CHORDS`)
    by themselves: their notes, in time order, leap over it
    (``segue.model.arpeggios.outline_mask``: B2 F3 D3 F3, G7 over its third without its
    root, a diminished triad), or they play its three tones and no other (a Gsus4 in close
    position, G2 D3 C3 D3, moves by seconds; three classes that make a chord are no scale)."""
    order = np.lexsort((pitches, onsets))
    onsets, pitches = np.asarray(onsets)[order], np.asarray(pitches)[order]
    out: list[int] = []
    for at in range(0, length, bar):
        classes = (pitches[(onsets >= at) & (onsets < at + bar)] % 12).tolist()
        mask = sum(1 << c for c in set(classes))
        three = mask.bit_count() == 3 and holds_chord(mask, LEFT_HAND_CHORDS)
        if three or outline_mask(classes, LEFT_HAND_CHORDS):
            out.append(at)
    return out


def broken_basses(
    onsets: np.ndarray,
    pitches: np.ndarray,
    bar: int,
    length: int,
    moved: int = 0,
) -> dict[int, tuple[int, int]]:
    """The basses of a low line's broken chords (its loop, ``length`` ticks, its notes at
    ``onsets``, ticks, of ``pitches``; the chords or fifths it outlines by beat,
    ``segue.model.arpeggios.outlined_chords`` of :func:`chord_or_fifth`), by place (ticks
    into the loop): where a bar begins or the chord it outlines changes and the loop
    strikes a note, the lowest note struck there, where no note the loop plays before the
    next such place is lower, and where that span ends (ticks; past ``length`` where it
    runs round the loop's end). None for a line that does not lie low (:func:`low_line`,
    where the musician played it: its ``pitches`` less ``moved``, an octave move into the
    model's register): an arp's downbeat is no bass; a left hand moved up two octaves for
    the model is still one. A low line that outlines no triad but fifths
    (:func:`fifth_outline`: C2 G2 C3 G2, then G2 D3 G3 D3) has them for its chords. A bar
    of a line that outlines chords begins a span where it breaks a chord of any quality by
    itself (:func:`broken_bars`: B2 F3 D3 F3, an Alberti bass's dominant without its root).
    A bar that strikes a shell's root and then its seventh (:func:`two_strike_shells`: F2
    Eb3 in half notes) has its root for bass."""
    onsets = np.asarray(onsets)
    pitches = np.asarray(pitches)
    if not low_line(pitches - moved):
        return {}
    # a left hand of root, fifth and octave outlines no triad: its fifths are its chords
    outlined = outlined_chords(onsets, pitches, bar, length, chord_or_fifth)
    # a left hand that strikes its root and then its seventh, two notes a bar
    outlined = {**two_strike_shells(onsets, pitches, bar, length), **outlined}
    if not outlined:
        return {}
    unit = beat_ticks(bar)
    beats = max(-(-length // unit), 1)
    changes = {
        beat * unit
        for beat in outlined
        if beat * unit % bar == 0
        or (beat - 1) % beats not in outlined
        or not np.array_equal(outlined[beat], outlined[(beat - 1) % beats])
    }
    # a left hand keeps its lowest note on every bar's downbeat whatever the chord's quality
    starts = sorted(changes.union(broken_bars(onsets, pitches, bar, length)))
    struck = [at for at in starts if (onsets == at).any()]
    out: dict[int, tuple[int, int]] = {}
    for k, at in enumerate(struck):
        end = struck[k + 1] if k + 1 < len(struck) else struck[0] + length
        bass = int(pitches[onsets == at].min())
        inside = ((onsets >= at) & (onsets < end)) | (onsets < end - length)  # round the loop
        if int(pitches[inside].min()) >= bass:
            out[at] = (bass, end)
    return out


def chord_basses(
    onsets: np.ndarray,
    pitches: np.ndarray,
    bar: int,
    length: int,
    moved: int = 0,
    pulse: int = 0,
) -> dict[int, int]:
    """An oom-pah's basses (a loop of ``length`` ticks, its notes at ``onsets``, ticks, of
    ``pitches``, ``moved`` from where the musician played them): by place, the note a place
    on a beat (:func:`beat_ticks`, or of the meter's ``pulse``, ticks: a dotted quarter in
    6/8, whose oom-pah strikes its bass on 8ths 1 and 4) strikes alone, below
    :data:`LEFT_HAND` where the musician played it, under the next chord (two pitches or
    more struck together) the loop strikes, round its end: lower than every note of it, and
    the notes struck between (a melody over the chords) lie above its lowest. The bass of a
    waltz (C2 on 1, E3 G3 C4 on 2 and 3), a stride (C2 on 1, G1 on 3, the chord on 2 and 4)
    or a boom-chick; a left hand that moves on under the chord (C2 G2, then C3 with the right
    hand's triad) has none."""
    onsets = np.asarray(onsets)
    pitches = np.asarray(pitches)
    places = np.unique(onsets)
    chords = np.array([at for at in places.tolist() if len(np.unique(pitches[onsets == at])) > 1])
    out: dict[int, int] = {}
    if not len(chords):
        return out
    unit = beat_ticks(bar)
    for at in places.tolist():
        struck = np.unique(pitches[onsets == at])
        on_beat = not at % unit or (pulse > 0 and not at % bar % pulse)
        if not on_beat or len(struck) > 1 or int(struck[0]) - moved >= LEFT_HAND:
            continue
        gap = int(((chords - at) % length).min())  # to the next chord
        chord = pitches[onsets == (at + gap) % length]
        between = pitches[((onsets - at) % length > 0) & ((onsets - at) % length < gap)]
        if int(struck[0]) < chord.min() and (between > chord.min()).all():
            out[at] = int(struck[0])
    return out


def bar_roots(
    onsets: np.ndarray, pitches: np.ndarray, bar: int, length: int, below: int
) -> dict[int, int]:
    """A bass line's roots, by place (ticks into its loop of ``length`` ticks, its notes at
    ``onsets``, ticks, of ``pitches``, as the musician played them): the note each bar strikes
    alone on its downbeat, where every bar of the loop strikes one there, the line's median
    lies under ``below`` (a bass's register, ``tonic_votes.BASS_BELOW``) and it strikes other
    notes besides. A bass player puts the chord's root on the bar where the chord changes
    (A1 on 1 of an Am bar, then its fifth or octave, a passing note, an approach) and varies
    the notes after it: a root-fifth bass in half notes whose take turned its A1 put the bar
    over another chord. A line that strikes only its downbeats (a sub bass's whole notes) is
    its roots alone: none here."""
    onsets = np.asarray(onsets)
    pitches = np.asarray(pitches)
    if not len(pitches) or float(np.median(pitches)) >= below:
        return {}
    out: dict[int, int] = {}
    for at in range(0, length, bar):
        struck = np.unique(pitches[onsets == at])
        if len(struck) != 1:
            return {}
        out[at] = int(struck[0])
    return out if len(np.unique(onsets)) > len(out) else {}
