"""Where a clip says its tonic, bar by bar (:func:`bar_tonics`, :func:`tonic_votes`): the harmony
each bar opens on and ends on (the root of the chord its notes spell, else a bass's note) and
its lowest note, the bars counted from the first downbeat; and the register under which a
part is a bass line, whose single notes are harmonies (:data:`BASS_BELOW`)."""

from __future__ import annotations

import numpy as np

from segue.notes import Note

OPENING_VOTES = 2
"""What the harmony each bar of a loop opens on counts towards its tonic, against 1 for the
harmony the bar ends on and 1 for its lowest note (:func:`tonic_votes`): a loop begins its
bars on its home chord (I-V-vi-IV, i-VI-III-VII, i-iv: its bass's first note is the tonic),
a hook's phrase ends on its tonic, often its lowest note too, after opening on its third or
fifth (E G A G E D C). Each bar counts, not the clip's first and last alone: a loop has no
start, and a 4-bar loop of E phrygian read from its 3rd bar was D minor."""
BASS_BELOW = 52
"""The median pitch (MIDI) under which a part is a bass line, whose single notes are the
harmony's (an A F C G bass opens on A minor): below E3, where no melody or chorale part of
the bundled models' validation splits lies (``segue.model.choice`` tells a bass by it too)."""


SONORITY = 2.0
"""Beats from a clip's first onset (and up to its last) whose notes are heard as one
harmony (:func:`tonic_votes`): half a bar of 4/4, a chord's usual length in a loop, the
notes of an arp's chord in 8ths or 16ths."""


def chord_root(pitch_classes: set[int]) -> int | None:
    """The root of the triad or seventh chord these pitch classes spell in any inversion
    (the note from which the others stack in thirds: a fifth above it, a third, and a
    seventh, if any), or None where they spell none or more than one."""
    roots = [
        root
        for root in pitch_classes
        if (root + 7) % 12 in pitch_classes
        and ((root + 3) % 12 in pitch_classes or (root + 4) % 12 in pitch_classes)
        and all((p - root) % 12 in (0, 3, 4, 7, 10, 11) for p in pitch_classes)
    ]
    return roots[0] if len(roots) == 1 else None


def _harmony(notes: list[Note], at: float, line: bool) -> int | None:
    """The pitch class a musician hears as the harmony of ``notes`` (those of a clip's
    first or last :data:`SONORITY` beats): the root of the chord they spell
    (:func:`chord_root`), else the lowest of those that start ``at`` its first or last onset
    (a bass's first note, a chord's bass); None where that is one note of a ``line`` above
    the bass's register (:func:`_melodic`), which opens where its tune does, often on its
    third or fifth: a melody's first note is no harmony."""
    root = chord_root({n.pitch % 12 for n in notes})
    if root is not None:
        return root
    struck = [n.pitch for n in notes if abs(n.start - at) < 1e-6]
    return None if line and len(struck) == 1 else min(struck) % 12


def _melodic(notes: list[Note] | tuple[Note, ...]) -> bool:
    """Whether ``notes`` are a tune's: above a bass's register (median pitch at or above
    :data:`BASS_BELOW`), where a single note is melody, not the harmony under it."""
    return float(np.median([n.pitch for n in notes])) >= BASS_BELOW


def tonic_votes(
    notes: list[Note] | tuple[Note, ...], bar: float = 4.0, downbeat: float = 0.0
) -> np.ndarray:
    """(12,) how strongly the clip says each pitch class is its tonic, where a musician hears
    a tonic, in each of its bars (``bar`` beats long, counted from its first ``downbeat``,
    a pickup before it no bar's: ``segue.model.pickups``; a loop's, so the votes are the
    same from whichever bar it is started): :data:`OPENING_VOTES` for the
    harmony a bar opens on (the notes of its first :data:`SONORITY` beats), 1 for the one it
    ends on (its last), 1 for its lowest note. A harmony is the root of the chord its notes
    spell (an arp of a G chord that opens on its B, B D G, opens on G), else its lowest note
    at the bar's first or last onset (a bass's first note, a hook's final: :func:`_harmony`);
    a tune's single first note opens no harmony (a C major hook that opens on its E and
    never goes below it was locked to E minor and its takes played F#; a G pickup into a C
    pentatonic hook, G major), and its last note is heard as the harmony it ends on."""
    return votes_of(bar_tonics(notes, bar, downbeat))


def votes_of(places: list[tuple[int | None, int | None, int]]) -> np.ndarray:
    """(12,) :func:`tonic_votes` of a clip's bars' places (:func:`bar_tonics`)."""
    votes = np.zeros(12, dtype=np.int64)
    for opens, ends, lowest in places:
        if opens is not None:
            votes[opens] += OPENING_VOTES
        if ends is not None:  # always: a last harmony is read as a bass's (_harmony)
            votes[ends] += 1
        votes[lowest] += 1
    return votes


def bar_tonics(
    notes: list[Note] | tuple[Note, ...], bar: float = 4.0, downbeat: float = 0.0
) -> list[tuple[int | None, int | None, int]]:
    """For each bar (``bar`` beats from the clip's first ``downbeat``) with notes, in order:
    the harmony it opens on (None for a tune's single first note), the one it ends on, and
    its lowest note's pitch class (:func:`tonic_votes`). The notes of a pickup before the
    first downbeat (``segue.model.pickups``) lead into a bar and are none of their own."""
    if not notes:
        return []
    melodic = _melodic(notes)
    bars: dict[int, list[Note]] = {}
    for n in notes:
        if n.start >= downbeat - 1e-9:
            bars.setdefault(int(np.floor((n.start - downbeat) / bar + 1e-9)), []).append(n)
    out: list[tuple[int | None, int | None, int]] = []
    for index in sorted(bars):
        inside = bars[index]
        first = min(n.start for n in inside)
        last = max(n.start for n in inside)
        opening = [n for n in inside if n.start - first < SONORITY - 1e-6]
        ending = [n for n in inside if last - n.start < SONORITY - 1e-6]
        opens = _harmony(opening, first, melodic)
        ends = _harmony(ending, last, False)  # a tune's final note is its tonic as often as not
        out.append((opens, ends, min(n.pitch for n in inside) % 12))
    return out
