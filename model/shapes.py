"""A part played in one fixed shape: a line doubled in octaves, power chords, an open fifth.

Producers double a line all the time: an octave bass (C2 and C3 struck together on every
note), a lead doubled an octave up, held octaves on a pad, power chords (a root and its
fifth, or root, fifth and octave) on a guitar-like synth, an open fifth drone. Such a part
is one line played in a fixed shape (:func:`fixed_shape`), and its takes keep the shape:
a take's turn or answer moves the line (the shape's lowest voice, its root) and the shape
follows in parallel, and a chord of the network's own is the shape on its root. The
first note a take strikes at an onset is the shape's root (a loop strikes its chords from
the bottom up, and a turn or an answer plays the root first); the notes struck with it
there are the shape's other voices above it (:func:`completed`), as long as the root
(:func:`root_ends`). A chord part of triads or sevenths turns voice by voice, as before
(``segue.model.takes``): its chords are not one shape.

A key lock (``--key``) holds the shape's root, not its other voices: a power chord's
fifth is part of its sound (a distorted guitar's, a synth's), not a melodic choice, and
follows the root in parallel even where it leaves the key (E5, E and B, in F major: the
rock player's perfect fifth, not a diminished B flat, and not a bare E under its octave).
That is the clip's own chord; a root of a take's own keeps to those whose fifth the key
holds (the lock's, or the one ``--key auto`` reads: :func:`roots_in_key`), as a player
keeps to the key's power chords: no B5, F#'s, in C major or E minor pentatonic.
A range (``--low``, ``--high``) holds the whole shape: its root line keeps to the roots on
which every voice lies in the range (:func:`root_room`), and a range that leaves some of
the part's roots no such place is said in one line (:func:`range_notice`).
"""

from __future__ import annotations

import numpy as np

SHAPE_CLASSES = frozenset({0, 7})
"""The interval classes (semitones above the root, modulo an octave) of a fixed shape:
octaves (all 0) or a power chord's fifth (7): root and fifth, root, fifth and octave, a
root doubled under a fifth. A third or a seventh is a chord's colour, and a chord part of
those turns voice by voice; a fourth over the root (G3 under C4) is an inversion, another
chord."""


def fixed_shape(onsets: np.ndarray, pitches: np.ndarray) -> tuple[int, ...] | None:
    """The intervals (semitones above the lowest note, low to high, 0 first) that every
    onset of a part (its notes at ``onsets``, ticks, of ``pitches``) strikes, where each
    strikes two notes or more of one shape of :data:`SHAPE_CLASSES` (octaves, a power
    chord, an open fifth); None for any other part (a line, a part with one single note,
    chords of other shapes, or of several)."""
    notes = np.unique(np.stack([np.asarray(onsets), np.asarray(pitches)], axis=1), axis=0)
    if not len(notes):
        return None
    starts = np.flatnonzero(np.diff(notes[:, 0], prepend=notes[0, 0] - 1))  # sorted by onset
    sizes = np.diff(starts, append=len(notes))
    if sizes.min() < 2 or (sizes != sizes[0]).any():
        return None
    chords = notes[:, 1].reshape(-1, int(sizes[0]))  # one row an onset, low to high
    above = chords - chords[:, :1]
    if (above != above[0]).any() or not {int(s) % 12 for s in above[0]} <= SHAPE_CLASSES:
        return None
    return tuple(int(s) for s in above[0])


def root_ceiling(onsets: np.ndarray, pitches: np.ndarray, shape: tuple[int, ...]) -> float:
    """The highest pitch a take's own first note at an onset of a part in ``shape`` (its
    notes at ``onsets``, of ``pitches``) is heard as the shape's root: halfway from its
    roots' median up to the voice above them. Above it, the note lies nearer the voice above
    (an A2 over a D2 power-chord line is the D's fifth), and as a root it moved the part up
    by that voice's interval (A2 E3 for the part's D2 A2)."""
    roots = np.asarray(pitches)[lowest_notes(onsets, pitches)]
    return float(np.median(roots)) + shape[1] / 2


def root_floor(onsets: np.ndarray, pitches: np.ndarray, shape: tuple[int, ...]) -> float:
    """The lowest pitch a take's own first note at an onset of a part in ``shape`` (its
    notes at ``onsets``, of ``pitches``) is heard as a root of the part's line: half the
    shape's span under its lowest root, where the shape still overlaps the clip's lowest by
    half. A line may step under the clip (a whole step, a fourth in octaves), but below that
    the part has left its register: power chords on E2 came back on A0 and E0 at --memory 0
    -t 2, where nothing but the range held the network's roots from below."""
    roots = np.asarray(pitches)[lowest_notes(onsets, pitches)]
    return float(np.min(roots)) - shape[-1] / 2


def lowest_notes(onsets: np.ndarray, pitches: np.ndarray) -> np.ndarray:
    """(notes,) bool: the notes (at ``onsets``, of ``pitches``) that are the lowest struck at
    their onset: a shape's line, its roots."""
    onsets, pitches = np.asarray(onsets), np.asarray(pitches)
    out = np.zeros(len(onsets), dtype=bool)
    order = np.lexsort((pitches, onsets))
    first = np.diff(onsets[order], prepend=-1 if not len(onsets) else onsets[order][0] - 1) != 0
    out[order[first]] = True
    return out


def roots_fitting(allowed: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(rows, 128) bool: of ``allowed`` ((rows, 128) bool), the pitches on which every pitch
    of ``shape`` is allowed: a root whose octave or fifth the key or the range leave out
    would break the shape."""
    out = allowed.copy()
    for s in shape[1:]:
        out[:, : out.shape[1] - s] &= allowed[:, s:]
        out[:, out.shape[1] - s :] = False
    return out


def roots_in_key(
    classes: np.ndarray, shape: tuple[int, ...], own: tuple[int, ...] | list[int] = ()
) -> np.ndarray:
    """(128,) bool: the roots on which the ``shape``'s voices other than the root's octaves
    (a power chord's fifth) keep to the key's pitch ``classes`` ((12,) bool), and every
    root of the clip's ``own`` pitch classes (its E5 keeps its B natural in F major: the
    clip's own sound). A guitarist in C major or A minor plays no power chord on B, whose
    fifth is F#: the part moves to a root whose fifth the key holds (E5, G5, A5, D5, C5),
    not to a bare B, which would leave the part's sound for a thin octave."""
    pitches = np.arange(128)
    out = np.ones(128, dtype=bool)
    for s in shape:
        if s % 12:
            out &= np.asarray(classes, dtype=bool)[(pitches + s) % 12]
    return out | np.isin(pitches % 12, list(own))


MOVE_REACH = 2
"""Semitones a root of a take's own (a turn's, an answer's) whose fifth leaves the key may
move to one whose fifth the key holds (:func:`keyed_roots`): a step, as a player moves a
chord shape up or down the neck (B5 to C5 or A5)."""


def keyed_roots(fit: np.ndarray, keyed: np.ndarray) -> np.ndarray:
    """(rows, 128) bool: of each row's roots ``fit`` ((rows, 128) bool), those ``keyed``
    ((rows, 128) bool: roots whose shape fits, its fifth in the key, :func:`roots_in_key`);
    of a row with none there (a turn that chose B2 alone, whose fifth is F#), the keyed
    roots nearest its own, within :data:`MOVE_REACH`; else its own."""
    both = fit & keyed
    out = np.where(both.any(axis=1)[:, None], both, fit)
    for r in np.flatnonzero(~both.any(axis=1) & fit.any(axis=1) & keyed.any(axis=1)):
        places = np.flatnonzero(keyed[r])
        away = np.abs(places[:, None] - np.flatnonzero(fit[r])[None]).min(axis=1)
        if away.min() <= MOVE_REACH:
            out[r] = False
            out[r, places[away == away.min()]] = True
    return out


def root_ends(struck: np.ndarray, pitch_end: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(rows,) where the root (the lowest pitch ``struck``, (rows, 128) bool, at their onset)
    of each of ``rows`` stops sounding (ticks, of ``pitch_end``, (rows, 128)); -1 elsewhere."""
    root = np.argmax(struck, axis=1)
    ends = pitch_end[np.arange(len(rows)), root]
    return np.where(rows & struck.any(axis=1), ends, -1)


def completed(
    pitches: np.ndarray,
    base: np.ndarray,
    struck: np.ndarray,
    shape: tuple[int, ...],
    rows: np.ndarray,
    free: np.ndarray | None = None,
    ceiling: float = 127.0,
    floor: float = 0.0,
    keyed: np.ndarray | None = None,
) -> np.ndarray:
    """Of ``rows``, those whose take has struck notes at its onset already (``struck``,
    (rows, 128) bool), fewer than the ``shape``'s: their ``pitches`` ((rows, 128) bool, in
    place) are the shape's pitches on the root (the lowest struck) not struck yet, of
    ``base`` (the pitches the range and the notes still sounding allow there, before a turn
    or a repeat narrowed them, and whatever the key: the shape's voices follow its root out
    of the key, as a power chord's fifth does) where it leaves one, and where every note
    struck there is the shape's on that root: a voice folded under the root by the range
    (B1 under E2) is not one, and no shape is built on it. A take's first note at
    an onset (none struck) keeps to roots (of ``pitches``: in the key) on which the whole
    shape fits ``base`` (:func:`roots_fitting`),
    where it leaves one, and to the ``keyed`` roots ((128,) bool, :func:`roots_in_key`:
    a power chord's fifth in the key, or a root of the clip's own) where that leaves one,
    else to the nearest of them (:func:`keyed_roots`);
    of the ``free`` rows (the network's own note: not a turn, an answer
    or the loop's), between ``floor`` (:func:`root_floor`) and ``ceiling``
    (:func:`root_ceiling`) too, where that leaves one.
    Returns the rows whose pitch is the shape's."""
    count = struck.sum(axis=1)
    first = np.flatnonzero(rows & (count == 0))
    if len(first):
        fit = pitches[first] & roots_fitting(base[first], shape)
        if keyed is not None:
            fit = keyed_roots(fit, roots_fitting(base[first], shape) & keyed[None])
        if free is not None:
            scale = np.arange(fit.shape[1])
            low = fit & ((scale <= ceiling) & (scale >= floor))[None]
            fit = np.where((free[first] & low.any(axis=1))[:, None], low, fit)
        some = fit.any(axis=1)
        pitches[first[some]] = fit[some]
    voicing = np.flatnonzero(rows & (count > 0) & (count < len(shape)))
    if not len(voicing):
        return np.zeros(len(rows), dtype=bool)
    wanted = np.zeros((len(voicing), pitches.shape[1]), dtype=bool)
    root = np.argmax(struck[voicing], axis=1)
    for s in shape:
        inside = root + s < pitches.shape[1]
        wanted[np.flatnonzero(inside), (root + s)[inside]] = True
    # a lowest voice with a note struck over it that is not the shape's on it is no root: a
    # voice the range folded under the root (B1 under E2, of a B2 cut by --high 45), on
    # which the shape built a cluster (B1 E2 F#2)
    wanted[(struck[voicing] & ~wanted).any(axis=1)] = False
    wanted &= base[voicing] & ~struck[voicing]
    some = wanted.any(axis=1)
    pitches[voicing[some]] = wanted[some]
    out = np.zeros(len(rows), dtype=bool)
    out[voicing[some]] = True
    return out


def root_room(in_range: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(128,) bool: of the pitches ``in_range`` ((128,) bool), the roots on which the whole
    ``shape`` lies in it: under --high 50 an octave bass's roots go up to D2 (38), and its
    Eb2 comes an octave down (Eb1 Eb2), not as an Eb2 under an Eb3 cut off."""
    return roots_fitting(np.asarray(in_range, dtype=bool)[None], shape)[0]


def shape_name(shape: tuple[int, ...]) -> str:
    """How a musician names a fixed ``shape``: octaves (all of them octaves), fifths (a
    root and its fifth: power chords, an open fifth), else power chords (root, fifth and
    octave, a root doubled under a fifth)."""
    if all(s % 12 == 0 for s in shape):
        return "octaves"
    return "fifths" if shape == (0, 7) else "power chords"


NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def range_notice(
    shape: tuple[int, ...] | None, roots: np.ndarray, low: int, high: int
) -> str | None:
    """One line for a part in ``shape`` (its ``roots``, pitches) whose range ``low``-``high``
    leaves some of its roots no octave where the whole shape fits (:func:`root_room`):
    there its takes play the root without the voices the range has no room for; None where
    every root has one, or there is no shape. An octave bass on C2 Eb2 F2 G2 Bb2 under --low
    40 --high 50 (narrower than its octave) keeps no octave; under --low 38 --high 55 its C
    and Bb have none (C2 lies under the range, C3's octave over it)."""
    if shape is None or not len(roots):
        return None
    lo, hi = max(0, int(low)), min(127, int(high))
    in_range = np.zeros(128, dtype=bool)
    in_range[lo : hi + 1] = True
    room = {int(p) % 12 for p in np.flatnonzero(root_room(in_range, shape))}
    missing = sorted({int(r) % 12 for r in roots} - room)
    if not missing:
        return None
    name = shape_name(shape)
    if high - low < shape[-1]:
        return (
            f"the range {low}-{high} is narrower than the clip's {name} ({shape[-1]} "
            "semitones): its takes cannot keep that shape; widen the range to keep it"
        )
    return (
        f"the range {low}-{high} has no room for the clip's {name} ({shape[-1]} semitones) "
        f"on {', '.join(NOTE_NAMES[c] for c in missing)}: there its takes play without the "
        "shape's other voices; widen the range to keep it"
    )
