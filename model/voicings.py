"""A chord's turned voicings: the colour a take keeps, the room each voice has, and the
voicings clear of the clashes a loop lacks.

A take's turn plays some of a chord's upper voices anew (``segue.model.takes``). Which
pitches each may take is a voicing question a pianist or an arranger answers: keep the
chord's colour (its seventh, ninth or sus note; a seventh's fifth may go: :func:`colour_of`),
stay above its bass and near the voice's own pitch within the part's range (:func:`room_of`),
and sound no interval the loop's own voicing lacks (the ``clear`` table of
``segue.model.intervals``: :func:`clear_voicings`) nor a cluster at its bottom
(:func:`clustered`); a seventh over its seventh may put its root on top (:func:`chord_span`).
Pure functions on pitches (MIDI numbers, a chord's low to high).
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from itertools import combinations, permutations

import numpy as np

from segue.model import pitch_bits as bits

BEYOND = 2
"""Semitones a varied note may lie past the loop's lowest or highest note: a whole step,
a neighbour of the part's own edge (an octave below a bass's root is a sub-bass rumble, and
a lead's turn an octave above its top a shriek)."""


REACH = 12
"""How far (semitones) a varied note may move from the loop's: an octave."""

OPENED = 5
"""Semitones a pad's re-voiced upper voice may lie over the loop's highest note
(:func:`opened_span`): a fourth, as far as a keyboard player's top voice goes past a close
pad to put a triad's root on top (D3 F3 A3 -> D3 F3 D4 at the top of a Dm Bb C pad) or to
open it (F3 A3 C4 -> F3 C4 A4 under an E4 top). Kept to :data:`BEYOND`, a close triad at the
top of its pad had no re-voicing of its own classes there (a Dm Bb C pad's Dm, an Am F C G
pad's G: G3 B3 G4 lies a third over its E4), and its takes coloured it whenever they turned
it: 166 of 222 turned chords of the Dm Bb C pad in half notes, 82 of 158 of the Am F C G
pad (rng seeds 1-24). A third left the Dm and the F but one such voicing or none."""


def opened_span(span: tuple[int, int] | None) -> tuple[int, int] | None:
    """The span (lowest and highest pitch) whose room (:func:`room_of`, :data:`BEYOND` past
    it) a pad's re-voiced upper voice keeps to: the loop's ``span`` with its top
    :data:`OPENED` past the loop's highest note; its bottom the loop's, each voice over its
    own chord's bass (:func:`room_of`). None (no range) stays None."""
    if span is None:
        return None
    return span[0], span[1] + OPENED - BEYOND


def in_part(span: np.ndarray, size: int) -> np.ndarray:
    """(rows, ``size``) bool: the pitches within each row's part (``span``, (rows, 2): its
    lowest and highest pitch) and :data:`BEYOND` past it, where a turn, an answer or the
    network's own note of a take keeps to."""
    height = np.arange(size)[None]
    return (height >= span[:, :1] - BEYOND) & (height <= span[:, 1:] + BEYOND)


def coloured(chord: np.ndarray) -> bool:
    """Whether ``chord`` (its pitches) has a colour a turn keeps (:func:`_coloured`), kept by
    its pitches: a chord loop's turned voices ask it of a few chords at every step (a trance
    gate's request some 130 times, 4.4 -> 1 us), and the answer is a bool."""
    return _coloured(tuple(np.asarray(chord).tolist()))


@functools.lru_cache(maxsize=256)
def _coloured(chord: tuple[int, ...]) -> bool:
    """Whether ``chord`` (its pitches) has a colour a turn keeps: pitch classes other than
    those of one plain major or minor triad (a seventh, a ninth, a sus chord's second or
    fourth, a sixth, a diminished or augmented fifth). A turned Dm9 (D F A C E) that lost
    its E and C, a G13 its F, a sus chord resolved, is the loop's chord no longer (helper-89:
    5 and 6 of 24 takes of a 7th/9th loop; one of its sus chords resolved in 11 of 24). A
    plain triad, a power chord or a dyad turns to its neighbours (C E G, C F G): kept to its
    own classes, a close triad could only trade its voices, and its takes were alike."""
    classes = {int(p) % 12 for p in chord}
    if len(classes) != 3:  # a dyad (a second, a seventh): kept, its turn could only be an
        return len(classes) > 3  # octave; four classes or more are no triad
    return not any(  # three classes: a triad's when one is a root under its fifth and third
        (root + 7) % 12 in classes and ((root + 3) % 12 in classes or (root + 4) % 12 in classes)
        for root in classes
    )


SUSPENSIONS = (2, 5)
"""A sus chord's suspended voice over its root (semitones, as classes): a second or a fourth."""
THIRDS = (3, 4)
"""The thirds a suspension resolves to over its root: minor or major, by the key."""
SEVENTHS = (10, 11)
"""A seventh chord's seventh over its root (semitones, as classes): minor or major."""
ELEVENTH = 5
"""The colour a seventh chord's fifth steps down to (over its root): its 11th (Cm7 -> Cm11)."""
SIXTH = 9
"""The colour a seventh chord's seventh steps down to (over its root): its 6th (Fm7 -> Fm6)."""


def recoloured(
    chord: np.ndarray, key: np.ndarray | None, span: tuple[int, int] | None
) -> list[tuple[int, ...]]:
    """The chords (pitches, low to high) a keyboard player makes of a coloured ``chord`` (its
    pitches, low to high) by moving one voice a step (three semitones at most) to a class of
    the loop's ``key`` ((12,) bool), the others kept, its bass too, each within ``span`` (the
    loop's lowest and highest pitch) and :data:`BEYOND`. Of a sus chord over its bass, its
    suspension to the other one over the same root (sus4 <-> sus2), then to the key's third
    over it (Dsus4 -> Dm in C major, D in G). Of a seventh chord (:func:`root_of`; a ninth
    or a thirteenth too), its fifth (not its bass) down to its 11th (Cm7 -> Cm11, Am9 ->
    Am11; not over a major third, a minor 9th over it: Cmaj7/B's B3 C4 E4 F4), then its
    seventh down to its 6th (Fm7/C -> Fm6/C); of one with a 13th and no fifth, the 13th
    down to the fifth (G13 as G2 F3 B3 E4 -> G7, G2 F3 B3 D4: a Dm7 Dm7 G13 G13 pad, whose
    G13 had no voicing of its own in range, gave 2 distinct takes of 4 a request); of one
    with its fifth, last, its third up to the 4th, a 7sus4 (G7/D as D3 F3 G3 B3 -> D3 F3 G3
    C4: a close Dm7-G7/D stab's G7/D, with no voicing of its own in range, had no colour
    clear of a muddy second either, and its takes' per-request diversity was 0.099). None
    for a key not read. A 5-voice ninth had none (helper-225). A close sus pad (D4 G4 A4,
    C4 D4 G4, C4 F4 G4) has no voicing of its own that keeps its suspension in the part's range
    (:func:`turns_in_range`), and its takes turned it past the range, an F5 or G5 over its
    A4; a close Fm7/C stab's (C4 Eb4 F4 Ab4, to Bb4) none either (helper-219)."""
    if key is None:
        return []
    classes = {int(p) % 12 for p in chord}
    moves: list[tuple[int, int]] = []  # (class moved, class it moves to)
    root = int(chord[0]) % 12
    held = [s for s in SUSPENSIONS if (root + s) % 12 in classes]
    if len(classes) == 3 and (root + 7) % 12 in classes and len(held) == 1:
        suspended = (root + held[0]) % 12
        other = (root + sum(SUSPENSIONS) - held[0]) % 12
        moves = [(suspended, c) for c in (other, *((root + t) % 12 for t in THIRDS))]
    elif len(classes) >= 4:
        root = root_of(chord)
        third = any((root + t) % 12 in classes for t in THIRDS)
        seventh = [s for s in SEVENTHS if (root + s) % 12 in classes]
        if third and len(seventh) == 1:
            moves = [
                ((root + seventh[0]) % 12, (root + SIXTH) % 12),
            ]
            if (root + 3) % 12 in classes:  # an 11th over a major third is a minor 9th on it
                moves.insert(0, ((root + 7) % 12, (root + ELEVENTH) % 12))
            moves.append(((root + SIXTH) % 12, (root + 7) % 12))  # a 13th to the fifth
            if (root + 7) % 12 in classes:  # its third up to the 4th: a 7sus4 (Am7 -> A7sus4)
                third_class = next((root + t) % 12 for t in THIRDS if (root + t) % 12 in classes)
                moves.append((third_class, (root + ELEVENTH) % 12))
    low, high = (0, 127) if span is None else (span[0] - BEYOND, span[1] + BEYOND)
    out: list[tuple[int, ...]] = []
    for moved, target in moves:
        if not key[target] or target in classes:
            continue
        pitches = [int(p) for p in chord]
        at = [i for i, p in enumerate(pitches) if p % 12 == moved and i > 0]
        if len(at) != 1:
            continue
        step = (target - pitches[at[0]]) % 12
        pitches[at[0]] += step if step <= 6 else step - 12
        voicing = tuple(sorted(pitches))
        if (
            abs(step if step <= 6 else step - 12) <= 3
            and len(set(voicing)) == len(voicing)
            and voicing[0] == int(chord[0])
            and low <= voicing[0]
            and voicing[-1] <= high
        ):
            out.append(voicing)
    return out


def same_chord(
    chord: np.ndarray, pitch: int, key: np.ndarray | None, others: np.ndarray, third: bool = False
) -> np.ndarray:
    """(12,) bool: the classes a plain ``chord``'s turned voice (its pitches, low to high; the
    voice the loop's ``pitch``) may take and leave the chord itself, re-voiced or recoloured
    over the same bass: its own classes, and one colour over its root (:data:`COLOURS`) of the
    loop's ``key`` ((12,) bool; None: any) while ``others`` ((128,) bool: the chord's other
    voices as the take sounds them) hold no class not its own: its seventh, a suspension
    (sus2, sus4) in place of its third, an added ninth beside it; its root's class where no
    other voice holds it (:func:`triad_root`). Kept to the loop's classes, an Am F C G stab
    loop's turns put another of its chords over the bass (G B D on the C bar's G3, G E G on
    the G bar's): one stab so was a neighbour chord, a run of them (half a bar of house stabs
    or a 16th gate: ``turn_kinds.STABS``) another harmony. With ``third`` (a voice let go outside
    a take's turn), its third's class too where no other voice holds it: a let-go E4 of a C
    stab came back G4 (C G C G), the chord's third gone, where its turn was another bar."""
    root = triad_root(chord)
    own = np.zeros(12, dtype=bool)
    own[np.unique(np.asarray(chord) % 12)] = True
    kept = {root} | ({int(pitch) % 12} if third and (int(pitch) - root) % 12 in THIRDS else set())
    if int(pitch) % 12 in kept and not (np.asarray(others)[int(pitch) % 12 :: 12]).any():
        out = np.zeros(12, dtype=bool)
        out[int(pitch) % 12] = True
        return out
    sounding = np.zeros(12, dtype=bool)
    sounding[np.flatnonzero(others) % 12] = True
    out = own.copy()
    if not (sounding & ~own).any():
        for step in _colours(own, root, sounding):
            out[(root + step) % 12] |= key is None or bool(key[(root + step) % 12])
    return out


COLOURS = (2, 5, 10, 11)
"""The colours a plain chord's turn may add over its root (semitones, as classes): a ninth
(or a sus2), a sus4, a minor or major seventh. Not its sixth: C E A over C is Am/C, and G B
E over G an Em."""


def _colours(own: np.ndarray, root: int, sounding: np.ndarray) -> tuple[int, ...]:
    """Of :data:`COLOURS`, those a plain chord (its classes ``own``, its ``root``) takes with
    its voices ``sounding`` ((12,) bool): its sevenths; a ninth beside its third where the
    third sounds, else a suspension in its place (a sus4 over a major third is a semitone)."""
    third = any(sounding[(root + t) % 12] and own[(root + t) % 12] for t in THIRDS)
    return (*SEVENTHS, *((SUSPENSIONS[0],) if third else SUSPENSIONS))


def keeps_chord(chord: tuple[int, ...], voicing: tuple[int, ...]) -> bool:
    """Whether a turned ``voicing`` (pitches, low to high) of a plain ``chord`` keeps it
    (:func:`same_chord`): its root's class, and one class at most not its own, a colour over
    its root (:data:`COLOURS`)."""
    own = {p % 12 for p in chord}
    classes = {p % 12 for p in voicing}
    root = triad_root(np.asarray(chord))
    extra = classes - own
    return root in classes and len(extra) <= 1 and all((c - root) % 12 in COLOURS for c in extra)


def keeps_third(chord: tuple[int, ...], voicing: tuple[int, ...]) -> bool:
    """Whether a turned ``voicing`` (pitches) of a plain ``chord`` sounds the chord's third
    (its class over :func:`triad_root`): re-voiced, or coloured beside it (an added ninth, a
    seventh), not suspended (Asus2, Asus4 for an Am) nor a seventh in its place (A E G). A
    chord with no third (a power chord) keeps it in every voicing."""
    root = triad_root(np.asarray(chord))
    thirds = {p % 12 for p in chord if (p - root) % 12 in THIRDS}
    return not thirds or bool(thirds & {p % 12 for p in voicing})


def bare_fifth(chord: tuple[int, ...], voicing: tuple[int, ...]) -> bool:
    """Whether a turned ``voicing`` (pitches) of a plain ``chord`` with a third is an open
    fifth: it leaves out the chord's third (:func:`keeps_third`) and sounds no colour in its
    place (a sus2 or sus4, a seventh), its root and fifth alone (C4 C5 G5 for a C). On a pad
    the third says major or minor, and a keyboard player re-voicing one keeps it."""
    return not keeps_third(chord, voicing) and {p % 12 for p in voicing} <= {p % 12 for p in chord}


def same_classes(chord: np.ndarray, voicing: tuple[int, ...]) -> bool:
    """Whether a turned ``voicing`` (pitches) of a plain ``chord`` (its pitches) plays the
    chord's own classes alone: re-voiced, its notes moved, doubled or one left out, no colour
    (a sus, a seventh, an added ninth) in it."""
    own = {int(p) % 12 for p in np.asarray(chord).tolist()}
    return {p % 12 for p in voicing} <= own


def inversions(
    chord: np.ndarray, span: tuple[int, int], clear: tuple[int, ...]
) -> list[tuple[int, ...]]:
    """The inversions (pitches, low to high, in a fixed order) of a plain ``chord`` (its
    pitches, each class once) that a high pad's take may play (``turn_kinds.MIDDLE_C``): its
    own classes, each once, another pitch in the bass, every pitch within ``span`` (lowest and
    highest) and :data:`BEYOND` past it, every two clear (``clear``: each pitch's clear
    pitches, ``pitch_bits.rows_of``). Under the top as over it: a high Am F C G pad's C/G
    (G4 C5 E5, its range F4 to E5, its top opened to A5) E4 G4 C5, E4 C5 G5 and C5 E5 G5, its
    G (G4 B4 D5) B4 D5 G5 and D5 G5 B5, as a keyboard player re-voices a pad in the right
    hand."""
    own = [int(p) for p in np.asarray(chord).tolist()]
    classes = {p % 12 for p in own}
    if len(classes) != len(own):
        return []
    pitches = [
        p
        for p in range(max(0, span[0] - BEYOND), min(127, span[1] + BEYOND) + 1)
        if p % 12 in classes
    ]
    return [
        voicing
        for voicing in combinations(pitches, len(own))
        if voicing[0] != own[0]
        and {p % 12 for p in voicing} == classes
        and all(clear[a] >> b & 1 for a, b in combinations(voicing, 2))
    ]


def triad_root(chord: np.ndarray) -> int:
    """The pitch class of a plain ``chord``'s root (its pitches, low to high): of a major or
    minor triad in any inversion, the class with a third and a fifth over it (C/G's C, where
    :func:`root_of` asks a seventh of a root above the bass), else :func:`root_of`'s."""
    classes = {int(p) % 12 for p in chord}
    for root in sorted(classes):
        for third in THIRDS:
            if classes == {root, (root + third) % 12, (root + 7) % 12}:
                return root
    return root_of(chord)


def colour_of(chord: np.ndarray) -> np.ndarray:
    """The pitch classes a turn of ``chord`` (its pitches, low to high) keeps: all of them,
    but the fifth of a chord of four classes or more (a seventh, a ninth), the note a pianist
    or an arranger leaves out of a seventh chord first. Kept to every class, a close Dm7
    (D3 F3 A3 C4) had no voicing of its own in a loop from D3 to D4 and was never turned
    (helper-114); its takes may now play D3 F3 C4 D4 (helper-119). The fifth is the root's
    (:func:`root_of`), not the bass's: an inversion's (a G7 over its D, D4 F4 G4 B4) was
    taken for a chord with no fifth, and it kept all four classes and never turned."""
    classes = np.unique(np.asarray(chord) % 12)
    if len(classes) >= 4:
        classes = classes[classes != (root_of(chord) + 7) % 12]
    return classes


def root_of(chord: np.ndarray) -> int:
    """The pitch class of ``chord``'s root (its pitches, low to high): its bass's, where the
    chord has a third (minor or major) and a fifth or a seventh over it (a sixth chord over
    its root: C E G A is a C6), else the first class from the bass up with a third, a fifth
    and a seventh over it (G7 over its D: G; Cmaj7 over its B: C), else the bass's (a sus
    chord)."""
    classes = {int(p) % 12 for p in chord}
    bass = int(chord[0]) % 12

    def has(root: int, *steps: tuple[int, ...]) -> bool:
        return all(any((root + s) % 12 in classes for s in step) for step in steps)

    if has(bass, (3, 4), (7, 10, 11)):
        return bass
    upward = sorted(classes, key=lambda c: (c - bass) % 12)
    return next((c for c in upward if has(c, (3, 4), (7,), (10, 11))), bass)


def over_its_seventh(chord: np.ndarray) -> bool:
    """Whether ``chord`` (its pitches, low to high) is a seventh chord of four classes over its
    seventh, a 4-2 chord (Dm7 over its C, Cmaj7 over its B: :func:`root_of`)."""
    classes = {int(p) % 12 for p in chord}
    root = root_of(chord)
    return (
        len(classes) == 4
        and (int(chord[0]) - root) % 12 in (10, 11)
        and bool(classes & {(root + 3) % 12, (root + 4) % 12})
    )


def over_its_fifth(chord: np.ndarray) -> bool:
    """Whether ``chord`` (its pitches, low to high) is a plain major or minor triad over its
    fifth, a 6-4 chord (C/G, Am/E: :func:`triad_root`), its root an inner voice (G3 C4 E4,
    not G3 E4 C5)."""
    classes = {int(p) % 12 for p in chord}
    if len(classes) != 3 or coloured(chord):
        return False
    root = triad_root(chord)
    return (int(chord[0]) - root) % 12 == 7 and int(chord[-1]) % 12 != root


def over_its_root(chord: np.ndarray) -> bool:
    """Whether ``chord`` (its pitches, low to high) is a plain major or minor triad over its
    root (:func:`triad_root`), its third under its top voice (G3 B3 D4, not G3 D4 B4)."""
    classes = {int(p) % 12 for p in chord}
    if len(classes) != 3 or coloured(chord):
        return False
    root = triad_root(chord)
    return int(chord[0]) % 12 == root and any(
        (int(p) - root) % 12 in THIRDS for p in np.asarray(chord)[:-1]
    )


def voice_span(
    chord: np.ndarray, pitch: int, span: tuple[int, int] | None, kept: bool = False
) -> tuple[int, int] | None:
    """The span whose room (:func:`room_of`) the turned voice of ``chord`` (its pitches, low to
    high) at ``pitch`` keeps to: :func:`chord_span`'s, but where a turn keeps the chord itself
    (``kept``), for the third of a triad over its root (:func:`over_its_root`), up to its
    octave, the spread triad a keyboard player opens a close one to (G3 D4 B4, D3 A3 F#4). A
    close G (G3 B3 D4) in a stab loop topping at E4 whose take turned its B alone had no
    voicing with its third in the part's range: a Gsus4 (G3 C4 D4) or a third let go (G3 D4
    F4), whatever ``turned_voicings.SUSPENDED`` drew; a D after a Dsus4 (D3 F#3 A3, a loop from D3
    to A3) had only the loop's own Dsus4. Its other voices keep the chord's span."""
    reach = chord_span(chord, span, kept)
    if reach is None or not kept or not over_its_root(chord):
        return reach
    if (int(pitch) - triad_root(chord)) % 12 not in THIRDS:
        return reach
    return reach[0], max(reach[1], int(pitch) + 12 - BEYOND)


def chord_span(
    chord: np.ndarray, span: tuple[int, int] | None, kept: bool = False
) -> tuple[int, int] | None:
    """The span (the loop's lowest and highest pitch) whose room (:func:`room_of`, :data:`BEYOND`
    past it) a turned voice of ``chord`` (its pitches, low to high) keeps to: ``span``, but
    for a seventh over its seventh (:func:`over_its_seventh`), up to its root an octave over
    the one a step above its bass, where a keyboard player puts it (C4 F4 A4 D5 for a close
    Dm7/C, B3 E4 G4 C5 for a Cmaj7/B): its close voicing's other voices lie in the octave
    over its bass, and a pad whose top was a step past them (C4 D4 F4 A4 in a loop from B3 to
    A4) had no voicing of its own there and was never turned. So, where a turn keeps the
    chord itself (``kept``: a stab loop's, ``takes.Turns.keeps_chords``), for a triad over
    its fifth (:func:`over_its_fifth`): up to its root an octave over its lowest (G3 E4 C5
    for a close C/G, E3 C4 A4 for an Am/E), the one re-voicing that keeps its root and its
    third; in a stab loop from G3 to F4 a close C/G's turns were sus chords or no third (G3
    C4 D4, G3 C4 F4, G3 C4 G4), whatever the rng drew. Not where a turn may leave the
    chord: a C F G Am stab once a bar turned its F/C (C4 F4 A4) to C4 C5 E5, past the part."""
    if span is None:
        return span
    if over_its_seventh(chord):
        bass = int(chord[0])
        root = bass + 12 + (root_of(chord) - bass) % 12
    elif kept and over_its_fifth(chord):
        root = 12 + next(int(p) for p in chord if int(p) % 12 == triad_root(chord))
    else:
        return span
    return span[0], max(span[1], root - BEYOND)


def doubles_none(chord: np.ndarray) -> bool:
    """Whether a turn of ``chord`` (its pitches, low to high) doubles none of its classes: a
    close seventh over its seventh (:func:`over_its_seventh`, its voices within an octave)
    whose voices double none. It may leave out its fifth for its ninth (B3 D4 E4 C5 for a
    Cmaj7/B), not for a second root or seventh: a close Emaj7/D# (D#4 E4 G#4 B4) turned to
    D#4 E4 G#4 E5, its root doubled a minor ninth over its bass, in 27 of 96 takes, a
    Cmaj7/B (B2 C3 E3 G3) to B2 C3 E3 B3, its bass's seventh doubled, in 25 (helper-180). A
    keyboard player keeps the seventh in the bass and its other classes once each:
    D#4 G#4 B4 E5, B2 E3 G3 C4. A pedal under a chord an octave or more above it (C3 under
    D4 F4 A4) is no close 4-2 chord, and its turns may double its pedal (C3 D4 F4 C5)."""
    chord = np.asarray(chord)
    return (
        int(chord[-1]) - int(chord[0]) < 12
        and over_its_seventh(chord)
        and len(np.unique(chord % 12)) == len(chord)
    )


def held_third(chord: np.ndarray, altered: np.ndarray) -> int | None:
    """The pitch of a plain triad's third (``chord``: its pitches, low to high; the major or
    minor third over its root, in any inversion) that no turn moves, where its class is one
    of ``altered`` ((12,) bool: the loop's notes out of its key, ``keys.altered``) and a
    voice above the bass plays it (the highest that does); else None. The leading tone of a
    minor key's dominant (an Andalusian pad's E chord's G#, in A minor) or a secondary
    dominant's (the A chord's C# in C major) is the chord's own sound: turned, an Andalusian
    pad's E chord played E2 E4 B4 E5 or E2 E4 C5 E5 (helper-180), the dominant gone. A
    keyboard player moves its other voices."""
    classes = {int(p) % 12 for p in chord}
    if len(classes) != 3:
        return None
    for root in classes:
        for third in (3, 4):
            if classes == {root, (root + third) % 12, (root + 7) % 12}:
                held = (root + third) % 12
                upper = [int(p) for p in chord[1:] if int(p) % 12 == held]
                return upper[-1] if upper and altered[held] else None
    return None


CLUSTER = 3
"""The widest (semitones) three lowest voices of a voicing may lie and be a cluster, a minor
third: two seconds stacked at its bottom, one of them a semitone (B3 C4 D4 of a Cmaj7 over
its B). A pianist or an arranger spreads a chord over a step at its bottom (a 4-2 chord:
B3 E4 G4 C5), where three voices within one critical band blur into one muddy sound."""


def clustered(voicing: tuple[int, ...]) -> bool:
    """Whether ``voicing`` (pitches, low to high) has a cluster at its bottom (:data:`CLUSTER`).
    Of a seventh chord's classes and its ninth (:func:`voiced_classes`), only a major seventh
    over its seventh can (B C D of a Cmaj7/B); a turn plays one only where the loop's own
    chord is one (:func:`colour_keeping`, :func:`clear_voicings`)."""
    return len(voicing) >= 3 and voicing[2] - voicing[0] <= CLUSTER


def voiced_classes(chord: np.ndarray) -> np.ndarray:
    """(12,) bool: the pitch classes a turned voice of ``chord`` (its pitches, low to high)
    may take where its fifth may go (:func:`colour_of`): the chord's own, and of a major or
    dominant seventh (a major third, a fifth and a seventh over its root, :func:`root_of`)
    its ninth, the note an arranger puts in the fifth's place. An inverted seventh in a
    close pad has no other voicing of its own classes in the part's range: an A7 over its
    C# (C#4 E4 G4 A4, a loop from B3 to A4) has no pitch of them above A4 short of C#5, and
    every take of helper-150's inverted-sevenths pad was the loop; with its ninth, its turn
    may play C#4 G4 A4 B4, a G7 over its B B3 F4 G4 A4 (a ninth of the loop's classes
    there: ``Turns.voicing``). Not a minor seventh's ninth, a semitone under its minor third
    however the two are voiced (a semitone, a major seventh, a minor ninth): a close Am7's
    turns played A3 G4 B4 C5 (B4 under C5 in a loop with no semitone: 42 such notes in 48
    requests at -t 1, 68 at -t 1.3)."""
    out = np.zeros(12, dtype=bool)
    out[np.asarray(chord) % 12] = True
    root = root_of(chord)
    if (
        out.sum() == 4
        and out[(root + 4) % 12]
        and out[(root + 7) % 12]
        and out[[(root + 10) % 12, (root + 11) % 12]].any()
    ):
        out[(root + 2) % 12] = True
    return out


def kept_voicing(allowed: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Of ``allowed`` ((rows, pitches) bool), row by row, the pitches above the chord's bass
    (``levels`` of ``Turns.voicing`` 1 or more) where they leave one, and of those the
    ones that keep its colour within the part's range (2) where they leave one: where only
    the loop's own pitch does, the voice keeps it (no turn), rather than leave the part or
    the chord's colour. The same tiers narrow a let-go voice by ``Turns.chord_clashing``
    (clear of a semitone 1, of every clash 2), where they leave a pitch."""
    out = allowed.copy()
    for level in (1, 2):
        tier = out & (levels >= level)
        taken = tier.any(axis=1)
        out[taken] = tier[taken]
    return out


def room_of(
    pitch: int, bass: int, span: tuple[int, int] | None, wide: np.ndarray | None = None
) -> np.ndarray:
    """(128,) bool: the pitches a chord's turned voice (the loop's ``pitch``) may take: above
    the chord's ``bass``, within :data:`REACH` of its own pitch, and within the loop's
    ``span`` and :data:`BEYOND` past it (as ``turn_pitches.turn_pitches`` keeps them); given
    ``wide`` (``intervals.wide_enough``), as far above the bass as the loop's voicing is there
    (a neo-soul loop's root alone under a seventh: a turned voice put E2 on its C2, C2 E2 B2 G3
    D4)."""
    at = np.arange(128)
    out = (at > bass) & (np.abs(at - pitch) <= REACH)
    if span is not None:
        out &= (at >= span[0] - BEYOND) & (at <= span[1] + BEYOND)
    if wide is not None:
        out &= wide[:, bass]
    return out


@dataclass(frozen=True)
class ChordRooms:
    """What a turn asks of a chord (its ``pitches``, low to high) over and over, voice by
    voice and take by take, worked out once (:func:`chord_rooms`): each voice's rank from the
    top (:func:`rank_of`), its room (:func:`room_of`, as bits: ``segue.model.pitch_bits``),
    the classes its colour keeps (:func:`colour_of`) and its voiced classes
    (:func:`voiced_classes`, as bits), whether its fifth may go, the span its rooms keep to
    (:func:`chord_span`: a seventh over its seventh's reaches its root on top), whether
    the chord is a cluster at its bottom (:func:`clustered`: its turns may be one) and
    whether its turns double none of its classes (:func:`doubles_none`). Built
    once per request for each chord and span (``takes.Turns``) and shared by the takes: each
    asked anew per voice and take, they were most of a seventh-chord stab loop's set-up."""

    pitches: tuple[int, ...]
    ranks: tuple[int, ...]
    rooms: tuple[int, ...]
    colour: int
    own: int
    dropped: bool
    span: tuple[int, int] | None
    clustered: bool
    single: bool = False


def chord_rooms(
    chord: np.ndarray,
    span: tuple[int, int] | None,
    wide: np.ndarray | None = None,
    kept: bool = False,
) -> ChordRooms:
    """The :class:`ChordRooms` of ``chord`` (its pitches, low to high) in the loop's ``span``
    (the chord's own: :func:`chord_span`, ``kept``; ``wide``: :func:`room_of`)."""
    chord = np.asarray(chord)
    pitches = tuple(int(p) for p in chord)
    colour = colour_of(chord)
    # a 4-2's root on top, a kept 6-4's, a kept root-position triad's third (voice_span)
    reaches = [voice_span(chord, p, span, kept) for p in pitches]
    reach = chord_span(chord, span, kept)
    if reach is not None:  # the span of its widest voice's room
        reach = reach[0], max(r[1] for r in reaches if r is not None)
    return ChordRooms(
        pitches=pitches,
        ranks=tuple(rank_of(chord, p) for p in pitches),
        rooms=tuple(
            bits.from_array(room_of(p, pitches[0], r, wide))
            for p, r in zip(pitches, reaches, strict=True)
        ),
        colour=bits.of(colour.tolist()),
        own=bits.from_array(voiced_classes(chord)),
        dropped=len(colour) < len(np.unique(chord % 12)),
        span=reach,
        clustered=clustered(pitches),
        single=doubles_none(chord),
    )


def colour_keeping(
    chord: np.ndarray,
    pitch: int,
    turned: set[int],
    struck: np.ndarray,
    span: tuple[int, int] | None,
    wide: np.ndarray | None = None,
    rooms: ChordRooms | None = None,
) -> np.ndarray:
    """(128,) bool: the pitches (:func:`room_of`, ``wide``) the turned voice of ``chord`` (its
    pitches, low to high) at ``pitch`` may take so that the chord keeps every pitch class, with the
    voices ``struck`` ((128,) bool: those below it, as the take struck them), the loop's
    voices kept above it (ranks not in ``turned``), and the voices still to turn above it each
    on a pitch of its own room. Kept to the chord's missing classes wherever they lay, a close
    Dm7-G7 loop's turned voices went to F4 and C5 above its C4 (18 of 24 takes, default
    requests): in the room, a voice takes the other turned voice's class, or leaves its own
    to the other voice; none there, the loop's own pitch (``Turns.voicing``). A seventh over
    its seventh's room reaches its root on top (:func:`chord_span`), and no pitch makes a
    cluster at the bottom of the voices known (:func:`clustered`) where the loop's chord has
    none: a close Cmaj7/B's G4 went to D4, B3 C4 D4 E4. ``rooms``: the chord's
    :class:`ChordRooms` in ``span``, where the caller has them already."""
    if rooms is None:
        rooms = chord_rooms(chord, span, wide)
    pitch = int(pitch)
    own = (
        rooms.rooms[rooms.pitches.index(pitch)]
        if pitch in rooms.pitches
        else bits.from_array(room_of(pitch, rooms.pitches[0], rooms.span, wide))
    )
    return bits.to_array(_keeping(rooms, pitch, own, turned, bits.from_array(struck)))


def _keeping(chord: ChordRooms, pitch: int, own_room: int, turned: set[int], struck: int) -> int:
    """:func:`colour_keeping` on bits: the pitches the turned voice at ``pitch`` of ``chord``
    (its room ``own_room``) may take, the pitches ``struck`` below it."""
    used = struck
    later = []  # the rooms of the voices still to turn above it
    for p, rank, room in zip(chord.pitches, chord.ranks, chord.rooms, strict=True):
        if p <= pitch:
            continue
        if rank in turned:
            later.append(room)
        else:
            used |= 1 << p
    need = chord.colour & ~bits.classes(used)
    free = [bits.classes(room & ~used) for room in later]  # the classes each may take
    candidates = chord.own if chord.dropped else bits.CLASSES
    if chord.single:  # a 4-2 chord's classes once each, the voices above too (doubles_none)
        candidates &= ~bits.classes(used)
        fits = 0
        for c in bits.members(candidates):
            if _filled(need & ~(1 << c), free, candidates & ~(1 << c)):
                fits |= 1 << c
    else:
        # a candidate class outside ``need`` leaves all of it to the voices above; one in it,
        # the rest
        fits = candidates & ~need if _placed(list(bits.members(need)), free) else 0
        for c in bits.members(candidates & need):
            if _placed([m for m in bits.members(need) if m != c], free):
                fits |= 1 << c
    out = own_room & ~used & bits.in_every_octave(fits)
    if chord.clustered or not out:
        return out
    lowest = list(bits.members(used))[:3]  # no cluster at the bottom of the voices known
    for p in bits.members(out):
        if clustered(tuple(sorted([*lowest, p]))):
            out &= ~(1 << p)
    return out


def _placed(missing: list[int], free: list[int]) -> bool:
    """Whether the classes ``missing`` each go to a voice of its own whose classes ``free``
    (bits, one per voice) hold it."""
    return len(missing) <= len(free) and any(
        all(free[v] >> m & 1 for v, m in zip(order, missing, strict=True))
        for order in permutations(range(len(free)), len(missing))
    )


def _filled(need: int, free: list[int], pool: int) -> bool:
    """Whether the voices whose classes ``free`` (bits, one per voice) hold them each take a
    class of ``pool`` (bits) of its own, and together every class of ``need``."""
    if not free:
        return not need
    return any(
        _filled(need & ~(1 << c), free[1:], pool & ~(1 << c)) for c in bits.members(free[0] & pool)
    )


def turns_in_range(
    chord: np.ndarray,
    turned: set[int],
    span: tuple[int, int] | None,
    wide: np.ndarray | None = None,
    rooms: ChordRooms | None = None,
) -> bool:
    """Whether the voices ``turned`` (ranks from the top) of a coloured ``chord`` (its pitches,
    low to high) have a voicing other than the loop's that keeps every pitch class of it, and
    each turned voice on a pitch of the chord's classes in its room (:func:`colour_keeping`,
    ``wide``, voice by voice from the lowest, as a take strikes them). A close Fsus2 in a loop whose
    top is its C has none: its G and its C fit nowhere else in the part's range. ``rooms``: the
    chord's :class:`ChordRooms` in ``span``, where the caller has them already."""
    if rooms is None:
        rooms = chord_rooms(chord, span, wide)
    own_pitches = bits.in_every_octave(rooms.own)
    loop = sorted(rooms.pitches)

    def voicings(at: int, struck: int) -> bool:
        if at == len(rooms.pitches):
            return list(bits.members(struck)) != loop
        pitch = rooms.pitches[at]
        if rooms.ranks[at] not in turned:
            return voicings(at + 1, struck | 1 << pitch)
        keeps = _keeping(rooms, pitch, rooms.rooms[at], turned, struck) & own_pitches
        return any(voicings(at + 1, struck | 1 << p) for p in bits.members(keeps))

    return voicings(0, 0)


def clear_voicings(
    chord: np.ndarray,
    rooms: dict[int, np.ndarray],
    clear: np.ndarray,
    limit: int,
    colour: np.ndarray | None = None,
    single: bool = False,
) -> set[tuple[int, ...]]:
    """The voicings (pitches, low to high; at most ``limit`` of them) other than the loop's
    ``chord`` (its pitches, low to high) in which its voices of ``rooms`` (by pitch: (128,)
    bool, the pitches each may take) move and the others stay, no two voices on one pitch,
    and every two voices sound an interval ``clear`` allows ((128, 128) bool); given
    ``colour`` (pitch classes, :func:`colour_of`), those that keep every one of them; none
    with a cluster at its bottom the loop's chord lacks (:func:`clustered`); ``single``, none
    that doubles a class (:func:`doubles_none`). A close
    G3 B3 D4 whose turned voices may take B3, C4 or D4 has one: G3 C4 D4 (G3 B3 C4 has a
    semitone the loop lacks). A close Cmaj7 (C4 E4 G4 B4) in a loop up to C5 has none that
    keeps its E and B: E4 B4 C5 strikes a semitone, and its 7th on top (E5) lies past the part."""
    return clear_voicings_of(
        tuple(int(p) for p in chord),
        {int(p): bits.from_array(room) for p, room in rooms.items()},
        bits.rows_of(clear),
        limit,
        None if colour is None else bits.of(colour.tolist()),
        single,
    )


def clear_voicings_of(
    chord: tuple[int, ...],
    rooms: dict[int, int],
    clear: tuple[int, ...],
    limit: int,
    colour: int | None = None,
    single: bool = False,
) -> set[tuple[int, ...]]:
    """:func:`clear_voicings` on bits (``segue.model.pitch_bits``), as a request asks it chord
    by chord: ``rooms`` by pitch, the pitches each voice may take; ``clear``, each pitch's
    pitches it sounds clear with (``pitch_bits.rows_of``, once per request); ``colour``, the
    classes every voicing keeps; ``single``, a voicing doubles none of them
    (:func:`doubles_none`). The same voicings, found in the same order."""
    out: set[tuple[int, ...]] = set()
    moving = [p for p in chord if p in rooms]
    kept = [p for p in chord if p not in rooms]
    loose = not clustered(chord)  # its turns, no cluster at their bottom

    def place(at: int, chosen: list[int], sounding: int) -> None:
        if len(out) >= limit:
            return
        if at == len(moving):
            voicing = tuple(sorted(kept + chosen))
            if (
                voicing != chord
                and (colour is None or not colour & ~bits.of_classes(voicing))
                and not (loose and clustered(voicing))
                and not (single and bits.of_classes(voicing).bit_count() < len(voicing))
            ):
                out.add(voicing)
            return
        for p in bits.members(rooms[moving[at]] & ~sounding):  # no two voices on one pitch
            if clear[p] & sounding == sounding:
                place(at + 1, [*chosen, p], sounding | 1 << p)

    place(0, [], bits.of(kept))
    return out


def nearest_first(chord: np.ndarray, voicings: set[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """``voicings`` (pitches, low to high) of ``chord`` (its pitches, low to high), those whose
    voices move least from the loop's first: by the widest move of a voice (the voicing's
    and the chord's pitches paired low to high, as a player leads them), then by all the
    moves together, then low to high. A close Em7 (E3 G3 B3 D4): E3 G3 D4 E4 (a step and a
    second's move), E3 G3 D4 G4, E3 B3 D4 G4, E3 D4 E4 G4."""

    def moves(voicing: tuple[int, ...]) -> tuple[int, int, tuple[int, ...]]:
        apart = [abs(a - int(b)) for a, b in zip(voicing, chord, strict=True)]
        return max(apart), sum(apart), voicing

    return sorted(voicings, key=moves)


def rank_of(chord: np.ndarray, pitch: int) -> int:
    """Which voice of ``chord`` (its pitches, low to high) ``pitch`` is, counted from the top.
    On a list, ``bisect_left`` is ``np.searchsorted``'s (side left: the same halving, from
    the whole chord) at a tenth of its cost (4.2 -> 0.5 us; a chord loop's turned voices ask
    it some 160 times a trance gate's request, helper-308)."""
    return len(chord) - 1 - bisect.bisect_left(np.asarray(chord).tolist(), pitch)
