"""A left hand's broken chords: the bass each one stands on.

A pianist's left hand that plays its chords one note at a time (an Alberti bass, C3 G3 E3
G3; a "root, fifth, octave, fifth" figure, C2 G2 C3 G2), or a bass that arpeggiates its
chords, is heard as a bass line and a figure over it: the note it strikes where a bar
begins or its chord changes is the chord's bass, and another chord tone there puts the
harmony over it in inversion (a G chord's G2 turned to D3 is G/D). Such a line lies low
(:data:`LEFT_HAND`); an arp in the middle or high register is a figure over a bass that
another part plays, and its turns may strike another of its chord's tones on a downbeat.
A part in a fixed shape (octaves, power chords) is ``segue.model.shapes``'s.
"""

from __future__ import annotations

import numpy as np

from segue.model.arpeggios import beat_ticks

LEFT_HAND = 60
"""Middle C: a line most of whose notes lie below it (the bass clef, a pianist's left hand
or a bass) is the harmony's bass where it outlines chords; one whose notes lie mostly at or
above it (an arp over A3 C4 E4 A4, a lead) is a figure over the harmony."""


def low_line(pitches: np.ndarray) -> bool:
    """Whether a line (its notes' ``pitches``) lies in a left hand's register: more than half
    of its notes below :data:`LEFT_HAND`."""
    pitches = np.asarray(pitches)
    return bool(len(pitches)) and int((pitches < LEFT_HAND).sum()) * 2 > len(pitches)


def broken_basses(
    onsets: np.ndarray,
    pitches: np.ndarray,
    bar: int,
    length: int,
    outlined: dict[int, np.ndarray],
    moved: int = 0,
) -> dict[int, tuple[int, int]]:
    """The basses of a low line's broken chords (its loop, ``length`` ticks, its notes at
    ``onsets``, ticks, of ``pitches``; ``outlined``: the chords it arpeggiates by beat,
    ``segue.model.arpeggios.outlined_chords``), by place (ticks into the loop): where a bar
    begins or the chord it outlines changes and the loop strikes a note, the lowest note
    struck there, where no note the loop plays before the next such place is lower, and
    where that span ends (ticks; past ``length`` where it runs round the loop's end). None
    for a line that does not lie low (:func:`low_line`, where the musician played it: its
    ``pitches`` less ``moved``, an octave move into the model's register): an arp's
    downbeat is no bass; a left hand moved up two octaves for the model is still one."""
    onsets = np.asarray(onsets)
    pitches = np.asarray(pitches)
    if not outlined or not low_line(pitches - moved):
        return {}
    unit = beat_ticks(bar)
    beats = max(-(-length // unit), 1)
    starts = [
        beat * unit
        for beat in sorted(outlined)
        if beat * unit % bar == 0
        or (beat - 1) % beats not in outlined
        or not np.array_equal(outlined[beat], outlined[(beat - 1) % beats])
    ]
    struck = [at for at in starts if (onsets == at).any()]
    out: dict[int, tuple[int, int]] = {}
    for k, at in enumerate(struck):
        end = struck[k + 1] if k + 1 < len(struck) else struck[0] + length
        bass = int(pitches[onsets == at].min())
        inside = ((onsets >= at) & (onsets < end)) | (onsets < end - length)  # round the loop
        if int(pitches[inside].min()) >= bass:
            out[at] = (bass, end)
    return out
