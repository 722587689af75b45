"""Drums: the General MIDI drum map and Ableton Live's Drum Rack layout, in one place.

A drum clip's notes are pads, not pitches: General MIDI puts the kick on 36, the
snare on 38 and the closed hi-hat on 42 (MIDI channel 10 in a file), and Live's
Drum Rack lays its first pad, bottom left, on C1 = 36, sixteen pads to a page.
A rack that follows General MIDI plays a GM groove as written; a custom rack keeps
its own pads, and segue continues a clip on the pads it uses.

Whether a part on channel 1 is a beat on these pads or a musician's notes is
``segue.beat_reading``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FIRST_PAD = 36
"""Live's Drum Rack: the first pad (bottom left) plays C1, MIDI note 36."""
PADS_PER_PAGE = 16


@dataclass(frozen=True)
class Drum:
    """One General MIDI drum: its note, name, and family (what a drummer would call it)."""

    note: int
    name: str
    family: str


FAMILIES = (
    "kick",
    "snare",
    "clap",
    "rim",
    "hat",
    "open hat",
    "cymbal",
    "ride",
    "tom",
    "percussion",
)

GM_DRUMS: tuple[Drum, ...] = (
    Drum(35, "Acoustic Bass Drum", "kick"),
    Drum(36, "Bass Drum 1", "kick"),
    Drum(37, "Side Stick", "rim"),
    Drum(38, "Acoustic Snare", "snare"),
    Drum(39, "Hand Clap", "clap"),
    Drum(40, "Electric Snare", "snare"),
    Drum(41, "Low Floor Tom", "tom"),
    Drum(42, "Closed Hi-Hat", "hat"),
    Drum(43, "High Floor Tom", "tom"),
    Drum(44, "Pedal Hi-Hat", "hat"),
    Drum(45, "Low Tom", "tom"),
    Drum(46, "Open Hi-Hat", "open hat"),
    Drum(47, "Low-Mid Tom", "tom"),
    Drum(48, "Hi-Mid Tom", "tom"),
    Drum(49, "Crash Cymbal 1", "cymbal"),
    Drum(50, "High Tom", "tom"),
    Drum(51, "Ride Cymbal 1", "ride"),
    Drum(52, "Chinese Cymbal", "cymbal"),
    Drum(53, "Ride Bell", "ride"),
    Drum(54, "Tambourine", "percussion"),
    Drum(55, "Splash Cymbal", "cymbal"),
    Drum(56, "Cowbell", "percussion"),
    Drum(57, "Crash Cymbal 2", "cymbal"),
    Drum(58, "Vibraslap", "percussion"),
    Drum(59, "Ride Cymbal 2", "ride"),
    Drum(60, "Hi Bongo", "percussion"),
    Drum(61, "Low Bongo", "percussion"),
    Drum(62, "Mute Hi Conga", "percussion"),
    Drum(63, "Open Hi Conga", "percussion"),
    Drum(64, "Low Conga", "percussion"),
    Drum(65, "High Timbale", "percussion"),
    Drum(66, "Low Timbale", "percussion"),
    Drum(67, "High Agogo", "percussion"),
    Drum(68, "Low Agogo", "percussion"),
    Drum(69, "Cabasa", "percussion"),
    Drum(70, "Maracas", "percussion"),
    Drum(71, "Short Whistle", "percussion"),
    Drum(72, "Long Whistle", "percussion"),
    Drum(73, "Short Guiro", "percussion"),
    Drum(74, "Long Guiro", "percussion"),
    Drum(75, "Claves", "percussion"),
    Drum(76, "Hi Wood Block", "percussion"),
    Drum(77, "Low Wood Block", "percussion"),
    Drum(78, "Mute Cuica", "percussion"),
    Drum(79, "Open Cuica", "percussion"),
    Drum(80, "Mute Triangle", "percussion"),
    Drum(81, "Open Triangle", "percussion"),
)
GM_BY_NOTE = {d.note: d for d in GM_DRUMS}
GM_NOTES = tuple(d.note for d in GM_DRUMS)
CRASHES = tuple(d.note for d in GM_DRUMS if d.family == "cymbal" and "Crash" in d.name)
BRUSH_TAP, BRUSH_SLAP, BRUSH_SWIRL = 38, 39, 40
"""General MIDI 2's brush kit (program 41 on the drum channel) keeps GM's note numbers and
its families, and plays three of them with brushes: 38 a tap, 39 a slap (GM's clap), 40 a
swirl, a long stroke struck once a beat or so, where a GM kit's swirl is written as a
snare's strokes in triplets or 16ths."""
FILL_FAMILIES = ("snare", "tom")
"""What a fill is played on (with the clap or rim of a kit that has no snare, and the hats
of a kit of hats: :data:`FALLBACK_FILLS`)."""
FALLBACK_FILLS = (("clap", "rim"), ("hat",), ("open hat",))
"""What a fill is played on in a kit with no snare or tom, the first of these families the
kit has: a clap or rim roll, else a hat roll (a trap or house hat loop's fill: its closed or
pedal hat in 16ths, 32nds and triplets), else an open hat's. A kit of hats alone had no
fill pads: of 24 phrase fills of an 8th-note hat loop, 16 were the loop's 8ths again."""


def family(note: int) -> str | None:
    """A GM drum's family, or None for a note outside the GM drum map (a custom pad)."""
    drum = GM_BY_NOTE.get(note)
    return drum.family if drum else None


def pad(note: int) -> tuple[int, int] | None:
    """Where a note sits in a Drum Rack: (page from 0, pad 0-15 from the bottom left), or
    None below the first pad."""
    if note < FIRST_PAD:
        return None
    return divmod(note - FIRST_PAD, PADS_PER_PAGE)


def drum_name(note: int) -> str:
    """The GM name of a drum note, or its Drum Rack pad for a note outside the map."""
    drum = GM_BY_NOTE.get(note)
    if drum:
        return drum.name
    where = pad(note)
    return f"pad {where[1] + 1} of page {where[0] + 1}" if where else f"note {note}"


def fill_pads(kit: Iterable[int]) -> tuple[int, ...]:
    """The pads of a kit a fill is played on: its snares and toms, else the first of
    :data:`FALLBACK_FILLS` it has (its claps and rims, its hats, its open hats)."""
    pads = tuple(sorted(set(kit)))
    for families in (FILL_FAMILIES, *FALLBACK_FILLS):
        chosen = tuple(n for n in pads if family(n) in families)
        if chosen:
            return chosen
    return ()
