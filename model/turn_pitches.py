"""Which pitches a take's turned note may take (``segue.model.takes``): of those the network
allows, near the loop's note and on its side of the loop's middle (:func:`turn_pitches`,
:func:`ways_about`), each take a pitch of its own where there are enough; of a chord loop's
own pitch classes (:data:`CHORDAL`), of a line's key (:func:`line_key`, read in the notes
the line sounds: :func:`sounded`)."""

from __future__ import annotations

import functools
import math
from itertools import chain

import numpy as np

from segue.model import pitch_bits as bits
from segue.model.key_lock import lock_key
from segue.model.keys import Key
from segue.model.small_scales import small_key
from segue.model.turn_sizes import NEIGHBOUR
from segue.model.voicings import BEYOND, REACH
from segue.notes import Note


def turn_pitches(
    allowed: np.ndarray,
    loop_pitch: np.ndarray,
    middle: float,
    classes: np.ndarray | None = None,
    span: tuple[int, int] | np.ndarray | None = None,
    takes: np.ndarray | int = 1,
    fits: np.ndarray | None = None,
    reach: int = REACH,
    exchanged: np.ndarray | None = None,
    ways: tuple[bool, bool] = (True, True),
    outline: bool | np.ndarray = False,
    contour: tuple[np.ndarray, ...] = (),
) -> np.ndarray:
    """The pitches a varied note (a turn's or an answer's) may take: of ``allowed``
    ((rows, pitches) bool), those within :data:`REACH` of the loop's note (``loop_pitch``,
    (rows,); for an answer, the loop's next note) and on its side of the loop's ``middle``
    (its median pitch): a note above the middle varies at or above it, a note below at or
    below it, a note on it either way of ``ways`` (down, up: :attr:`Turns.ways`, the ways
    that keep the loop's median where it is). A bass line's high note turns high, its root turns
    low, and the part stays in its register (on the producer model's validation windows,
    register error 1.44 -> 1.19 / 1.23 -> 1.08 / 1.63 -> 1.54 semitones for bass / chords /
    leads, the F1 and the takes' differences as before). And of the pitch classes
    ``classes`` (12 bool): a chord loop's own (a pad's takes turned an Am-F-C-G loop's last
    chord into Bbm and C#7 in 25 of 40 takes, helper-47), a line's key. And within ``span``
    (the loop's lowest and highest pitch, or each row's: :meth:`Turns.span_at`) and
    :data:`BEYOND` past it: a sub bass whose lowest note is F1 turned down to Bb0, at 29 Hz
    (helper-65). The side is let go before
    ``takes`` (per row: the takes turning its note, :meth:`Turns.sharing`) would have to
    share a pitch (a sub bass's G1 turned to E1 or F1 only, and two of four takes were one
    take in half the requests, helper-67), then the takes share; where the key and the span
    leave no pitch but the loop's own, the span is let go, then the side, then the classes,
    then the reach. And of a chord loop's turned or answering voice, first the pitches that
    ``fits`` ((rows, pitches) int8, :meth:`Turns.clashing`: 2 clear of a clash, 1 of a
    semitone; of an arpeggio's turned note, 2 for the chord its bar outlines), in the key
    and the part: a power-chord loop's turned voices went an octave below its lowest note
    (D1 under D2) where only pitches out of the part were clear of a clash (helper-71).
    A ``reach`` narrower than :data:`REACH` (a cool temperature: :func:`reach_for`) is
    kept first at every tier, where it leaves what the tier asks (the takes a pitch of
    their own each), then a fourth (:data:`NEIGHBOUR`), then the octave: the turn a
    neighbour of the loop's note, not a leap (from a step straight to the octave, 9 of 60
    turned notes at -t 0.3 moved more than a fourth, 2 at -t 0.5; 2 now, helper-138). A
    chord's voice whose own pitch is free (``exchanged``, (rows,) bool:
    :meth:`Turns.exchanging`, a voice below it has moved) keeps it where it is the only
    pitch clear of a semitone, rather than move onto one: a close G's D4, over the B3 that the
    take turned to C4, went to B3 (G3 B3 C4 in 32 of 64 turned chords of helper-114's dorian
    loop, helper-128). A tier is taken where it leaves as many pitches as takes besides the
    loop's own: where that was not there to take (a Dm9's A3, whose F3 the take turned, must
    bring back the F: F3 clear, F4 a semitone over the E4 above), the one clear pitch did not
    pass and a clash came with it (F4 over E4, E3 under F3: 35 of 65 harsh notes of 16
    takes of helper-112's neo-soul loop, rng seeds 1-4; 0 now).
    Where ``fits`` is a line's ``outline`` (2: the chord its bar outlines, 1: the rest of the
    key, no clash either way; per row or one for all: :attr:`Turns.outlines`, a turn's, not
    an answer's, which plays its chord), a note whose side of the middle holds no other pitch
    of its chord keeps its side before its chord: a pedal arp's pedal (C4 G4 C4 E4 in 16ths,
    half its notes a C4 under the middle) has no other chord tone on its side within the
    part, and turned to the E4 or G4 over the middle, every take's median moved up a whole
    step (32 of 32 takes, rng 1-8); it takes its neighbour in the key on its side now (B3,
    D4), as a pedal moves, and the part keeps its register. A note with a tone of its chord
    on its side turns as before: to its chord across the middle rather than share a pitch.
    Each of the ``contour`` masks ((rows, pitches) bool, in order: a line's turned note in
    its contour from the take's latest note and into the loop's next, then from the latest
    alone, ``contour.in_contour``) is kept first at every tier of the key and the part, on
    the note's side of the middle, then across it where the note is off the middle (one on
    it turns its way, ``ways``), each take a pitch of its own and of its chord where its
    bar outlines one (``fits``' best), before any tier without it: a stepwise lead's
    half-bar turn took its chord across the middle, up 14 semitones and down 12 (D4 A3 B4
    B3), where a step in the key was there. Where it leaves fewer such pitches than takes,
    the takes share them (two at least, which ``TakesApart.apart`` gives to the takes in
    turn), then take two of the chord across the middle (where several takes turn the note,
    as a line that outlines no chord does first), then share one, the contour kept all the
    while: an Am F C G arp in 16ths, whose contour left its four takes fewer tones of their
    chord than takes at an 8-bar section's end, let it go and struck B3 B3 or G3 G3 there
    (40 of 376 turned notes, rng seeds 1-8; 10 now, 37 wider leaps -> 1). One pitch for
    them all makes them one take: an A minor arp's whole bar at bar 16 takes its chord's
    tones across the middle first."""
    width = allowed.shape[1]
    loops = np.asarray(loop_pitch).reshape(-1).tolist()
    n = len(loops)
    # every mask a tier is made of, as a set of pitches per row (pitch_bits): a row tries
    # tier after tier, and on ints each is a few operations where it was a NumPy call apiece
    # (a line's contour made this the costliest step of a standard request); those of the
    # pitches alone (reach, side, classes, part) made as ints too, row by row: a chord
    # loop's turned voice, one row, spent 100-150 us on some 30 NumPy calls here. The
    # voices' pitches (fits >= 0) narrow ``allowed`` on the sets too, where they leave more
    # than one pitch: a trance gate's turned voice, one row, spent some 7 us of its 40 on
    # that narrowing as arrays (helper-308)
    arrays = [allowed] if fits is None else [allowed, fits >= 0, fits >= 2, fits >= 1]
    if fits is not None:
        arrays.append(fits >= fits.max(axis=1, keepdims=True))
    arrays.extend(np.broadcast_to(c, (n, width)) for c in contour)
    sets = bits.rows_of(np.concatenate(arrays)) if n else ()
    everything = (1 << width) - 1
    down, up = _sides_of(middle, width)
    on_it = (down if ways[0] else 0) | (up if ways[1] else 0)
    class_rows = None if classes is None else np.asarray(classes).reshape(-1, 12).tolist()
    bounds = None if span is None else _per_row(span, (n, 2))
    takes_of = _per_row(takes, (n,))
    outlined = _per_row(np.asarray(outline, dtype=bool), (n,))
    swapped = [False] * n if exchanged is None else np.asarray(exchanged, dtype=bool).tolist()
    reaches = sorted({reach, max(reach, NEIGHBOUR)}) if reach < REACH else []
    out = allowed.copy()
    for r, loop in enumerate(loops):
        row = iter(sets[r::n])  # this row's set of each array, in the order above
        allowed_r = next(row)
        fit2, fit1, best_r, narrowed = 0, 0, 0, False
        if fits is not None:  # never another voice's pitch, while one is left (a triad lost
            apart = allowed_r & next(row)  # its B)
            narrowed = apart.bit_count() > 1
            allowed_r = apart if narrowed else allowed_r
            fit2, fit1, best_r = next(row), next(row), next(row)
        near = allowed_r & _span_bits(loop - REACH, loop + REACH, width)
        side_r = up if loop > middle else down if loop < middle else on_it
        ours = (
            everything
            if class_rows is None
            else _in_every_octave(tuple(class_rows[r if len(class_rows) > 1 else 0])) & everything
        )
        within = (
            everything
            if bounds is None
            else _span_bits(
                math.ceil(bounds[r][0] - BEYOND), math.floor(bounds[r][1] + BEYOND), width
            )
        )
        kept_r = [near & side_r & ours & within, near & ours & within]  # the key's, in the part
        clear_r = (
            [] if fits is None else [tier & level for level in (fit2, fit1) for tier in kept_r]
        )
        lined = bool(outlined[r])
        if clear_r:  # of those, a note whose side holds no other of its chord (a pedal)
            lined = lined and clear_r[0].bit_count() - (clear_r[0] >> loop & 1) == 0
        own_r = (1 << loop) & everything if swapped[r] else 0
        if fits is None:  # an arp's chord across the middle too, but for a note on it (ways:
            best_r = everything  # the median kept) and a line that outlines chords (a pedal
        contour_r = list(row)  # arp's pedal keeps its side: lined)
        closer_r = [_span_bits(loop - c, loop + c, width) for c in reaches]
        if reach < REACH:  # cool: the contour no further from the loop's note than a fourth
            fourth = _span_bits(loop - max(reach, NEIGHBOUR), loop + max(reach, NEIGHBOUR), width)
            contour_r = [c & fourth for c in contour_r]
        last_r = [near & side_r & ours, near & ours, near & side_r, near]
        off = loop != middle and fits is None
        across = loop != middle and not lined  # a chord's tones across it, but a pedal's
        ways_r = (side_r, everything if off else 0)
        chosen = _first_tier(
            _tiers(kept_r, clear_r, own_r, lined, int(takes_of[r])),
            contour_r,
            _shared(int(takes_of[r]), ways_r, everything if across else 0),
            best_r,
            last_r,
            closer_r,
            int(loop),
        )
        if chosen is not None or narrowed:  # else what the row allowed, narrowed or not
            out[r] = bits.to_row(allowed_r if chosen is None else chosen, width)
    return out


def _span_bits(low: int, high: int, width: int) -> int:
    """The set of the pitches from ``low`` to ``high`` (inclusive) of ``width`` pitches."""
    low, high = max(low, 0), min(high, width - 1)
    return ((1 << (high - low + 1)) - 1) << low if high >= low else 0


def _per_row(value: object, shape: tuple[int, ...]) -> list:
    """``value`` broadcast to ``shape``, as (nested) lists: ``np.broadcast_to(...).tolist()``,
    without the broadcast where it has that shape already (a turned voice's span, takes and
    outline, one row each: some 4 us apiece of a trance gate's 40 us call, helper-308)."""
    array = np.asarray(value)
    return (array if array.shape == shape else np.broadcast_to(array, shape)).tolist()


@functools.lru_cache(maxsize=64)
def _sides_of(middle: float, width: int) -> tuple[int, int]:
    """The sets of the pitches (of ``width``) at or below ``middle`` and at or above it.
    Kept by ``middle``: a request asks it of one loop's middle at every turned note, and the
    sets are ints, never changed in place."""
    if math.isnan(middle):
        return 0, 0
    at = min(max(float(middle), -1.0), float(width))  # past the pitches: all or none
    return _span_bits(0, math.floor(at), width), _span_bits(math.ceil(at), width - 1, width)


@functools.lru_cache(maxsize=256)
def _in_every_octave(classes: tuple[bool, ...]) -> int:
    """The set of the pitches of the pitch classes ``classes`` ((12,) bool, as a tuple).
    Kept by the classes: a loop's turned notes ask it of a few sets of classes again and
    again, and the set is an int, never changed in place."""
    return bits.in_every_octave(bits.from_classes(classes))


Tier = tuple[int, int]
"""A set of pitches (``pitch_bits``) and how many it must leave besides the loop's own."""


def _tiers(kept: list[int], clear: list[int], own: int, lined: bool, takes: int) -> list[Tier]:
    """:func:`turn_pitches`' tiers of one row, in the order they are tried: of ``kept`` (the
    key's, near and on the loop's side, in the part; then either side) and, in a chord loop,
    ``clear`` (those 2 clear of a clash, then 1), no clash, a pitch of its own for each of
    ``takes``, else takes share a pitch rather than clash, else no semitone; a ``lined`` row
    (a line's turn whose side holds no other of its chord) its side first. Then the clear
    ``own`` pitch, then the key's in the part, each take a pitch of its own, then shared."""
    rest = [(kept[0], takes), (kept[1], takes), (kept[0], 1), (kept[1], 1)]
    if not clear:
        return rest
    if lined:  # its bar's chord, else its key, on its side first
        order = [(0, takes), (2, takes), (1, takes), (3, takes), (0, 1), (2, 1), (1, 1), (3, 1)]
    else:
        order = [(0, takes), (1, takes), (0, 1), (1, 1), (2, takes), (3, takes), (2, 1), (3, 1)]
    return [(clear[i], o) for i, o in order] + [(clear[2] & own, 0), (clear[3] & own, 0), *rest]


def _shared(takes: int, ways: tuple[int, int], across: int) -> list[tuple[int, tuple[int, ...]]]:
    """How a row's ``takes`` keep a line's contour, in order: how many pitches each way
    must leave besides the loop's, and the ``ways`` (sets of pitches: its side of the
    middle, then across it): each take a pitch of its own; else two or more for them to
    share (``TakesApart.apart`` gives each its own while they last); else, where several takes
    turn the note, two ``across`` the middle (a chord's tones there, but a pedal's); else
    one for them all."""
    pair = min(takes, 2)
    several = [(pair, (across,))] if takes > 1 else []
    return [(takes, ways), (pair, ways), *several, (1, ways)]


def _first_tier(
    tiers: list[Tier],
    contour: list[int],
    shared: list[tuple[int, tuple[int, ...]]],
    best: int,
    last: list[int],
    closer: list[int],
    loop: int,
) -> int | None:
    """The first set that leaves as many pitches as it must besides the ``loop``'s pitch, of:
    ``tiers`` narrowed to each ``contour`` (of each of ``shared``'s ways, with as many
    pitches as it asks, :func:`_shared`, and to the ``best`` fits); then the ``tiers``
    themselves; then ``last``'s, any pitch; each first within each of ``closer`` (the
    reaches of a cool temperature), then as it is. None where none does."""
    shaped = (
        (tier & best & way & shape, others)
        for others, ways in shared
        for way in ways
        for shape in contour
        for tier, _ in tiers
    )
    for tier, others in chain(shaped, tiers, ((t, 1) for t in last)):
        for narrower in (*(tier & c for c in closer), tier):
            count = narrower.bit_count()
            if count and count - (narrower >> loop & 1) >= others:
                return narrower
    return None


def ways_about(pitches: np.ndarray, middle: float) -> tuple[bool, bool]:
    """The ways (down, up) a loop's note on its median ``middle`` may turn and leave the
    median where it is: up where the notes at or below it stay half the loop's without it,
    down where those at or above do; either way where neither holds. A lead whose home note
    is its median, A4 in a line of 31 notes with 11 A4s, 4 under and 16 over, had its A4
    turned up (C5-D5) in 10 of 32 takes, each take's median a whole step higher (rng 1-8,
    4 takes); it turns down now, and no take's median moves (as many notes turned)."""
    p = np.asarray(pitches)
    half = len(p) / 2
    at = int((p == middle).sum())
    down = at > 0 and bool((p > middle).sum() + at - 1 >= half)
    up = at > 0 and bool((p < middle).sum() + at - 1 >= half)
    return (down, up) if down or up else (True, True)


def line_key(notes: tuple[Note, ...], read: Key | None = None, bar: float = 4.0) -> Key | None:
    """The key a line's turns keep to: the one :func:`lock_key` reads (``read``, where it
    has read it already; with the line's own notes out of its scale), or the small scale the
    line fills on its tonic (:func:`smallest_scale`: a C major pentatonic hook's takes
    turned its notes to F or B, helper-89)."""
    key = read if read is not None else lock_key(notes, bar)
    return None if key is None else small_key(notes, key)


CHORDAL = 0.5
"""The share of a loop's onsets struck with two notes or more from which its takes' turns
keep to the loop's pitch classes: a chord's voices sound together, and one out of the
key is a clash. A line's turns keep to its key (``segue.model.key_lock.lock_key``, which holds
the line's own notes too): a line's passing note is its key's, and with four takes on one
note, three of them had to leave the key to differ (helper-65: a sub bass's bar of G1
turned to F#1 and Bb0, out of A minor, in 17% of the phrase ends of 4 takes, none of 1)."""


def sounded(roots: tuple[Note, ...], shape: tuple[int, ...] | None) -> tuple[Note, ...]:
    """A line's notes as they sound: of a part in a fixed ``shape`` (its root line), each
    root with the shape on it, the notes its key is heard in. An open fifth drone's root
    line (D3 alone) said D major, while the part (D3 A3: D no-third, ``small_scales.open_third``)
    keeps its roots to D G A: the takes' answers drew from E and B that the shape then left
    out, and 4 takes answered with 2 roots (helper-206)."""
    if shape is None:
        return roots
    return tuple(
        Note(n.pitch + step, n.start, n.duration, n.velocity)
        for n in roots
        for step in shape
        if n.pitch + step <= 127
    )
