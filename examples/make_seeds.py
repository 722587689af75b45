"""Write the example seed clips in examples/seeds/ (short phrases composed for segue).

python examples/make_seeds.py [--force]   (without --force, the clips that exist are kept)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segue.midi_io import write_midi
from segue.notes import Clip, Note, TimeSignature

HERE = Path(__file__).parent / "seeds"


def line(pitches: list[int], lengths: list[float], velocity: int = 90) -> list[Note]:
    notes, t = [], 0.0
    for pitch, length in zip(pitches, lengths, strict=True):
        if pitch >= 0:  # a negative pitch is a rest
            notes.append(Note(pitch, t, length, velocity))
        t += length
    return notes


def reel() -> Clip:
    """Four bars of a G major reel in 8ths."""
    pitches = [
        67,
        71,
        74,
        71,
        67,
        71,
        74,
        79,
        78,
        74,
        72,
        71,
        69,
        72,
        76,
        72,
        67,
        71,
        74,
        71,
        67,
        71,
        74,
        79,
        81,
        79,
        78,
        76,
        74,
        71,
        69,
        67,
    ]
    return Clip(tuple(line(pitches, [0.5] * 32)), 16, TimeSignature(4, 4))


def jig() -> Clip:
    """Four bars of a D major jig in 6/8."""
    pitches = [
        62,
        66,
        69,
        74,
        69,
        66,
        67,
        71,
        74,
        71,
        67,
        64,
        66,
        69,
        74,
        69,
        66,
        62,
        64,
        66,
        64,
        62,
        -1,
    ]
    lengths = [0.5] * 21 + [1.0, 0.5]
    return Clip(tuple(line(pitches, lengths)), 12, TimeSignature(6, 8))


def chorale() -> Clip:
    """Two bars of four-part harmony in F major, one chord a beat."""
    chords = [
        (53, 57, 60, 65),
        (46, 58, 62, 65),
        (48, 55, 64, 67),
        (53, 57, 60, 65),
        (50, 57, 62, 65),
        (46, 58, 62, 67),
        (48, 58, 64, 67),
        (41, 57, 60, 65),
    ]
    notes = [Note(p, beat, 1.0, 80) for beat, chord in enumerate(chords) for p in chord]
    return Clip(tuple(notes), 8, TimeSignature(4, 4))


def triplets() -> Clip:
    """Two bars of a swung A minor line in 8th-note triplets and quarters."""
    third = 1 / 3
    pitches = [69, 72, 76, 74, 72, 69, 71, 72, 74, 76, 77, 76, 74, 72, 71, 69]
    lengths = [third] * 6 + [1.0] + [third] * 3 + [1.0, third, third, third, 1.0, 1.0]
    return Clip(tuple(line(pitches, lengths)), 8, TimeSignature(4, 4))


def bassline() -> Clip:
    """Four bars of an 8th-note bassline over A minor - F - C - G: octave jumps, a fifth and a
    seventh, and a walk down into the next loop in the last bar."""
    notes = []
    for bar, root in enumerate([45, 41, 36, 43]):
        steps = [0, 0, 12, 0, 0, 7, 12, 10] if bar < 3 else [0, 0, 12, 0, 7, 5, 3, 2]
        for i, step in enumerate(steps):
            notes.append(Note(root + step, bar * 4 + i * 0.5, 0.4, 110 if i % 2 == 0 else 85))
    return Clip(tuple(notes), 16, TimeSignature(4, 4))


def beat() -> Clip:
    """Four bars of a drum beat on General MIDI pads: 16th-note hats with accents, kick on
    1, the "and" of 2 and on 3, snare on 2 and 4, an open hat to end the phrase."""
    hits = []
    for bar in range(4):
        for step in range(16):
            t = bar * 4 + step * 0.25
            if not (bar == 3 and step == 14):
                accent = 100 if step % 4 == 0 else (75 if step % 2 == 0 else 50)
                hits.append(Note(42, t, 0.125, accent))
            if step in (0, 6, 8):
                hits.append(Note(36, t, 0.125, 115))
            if step in (4, 12):
                hits.append(Note(38, t, 0.125, 110))
    hits.append(Note(46, 15.5, 0.25, 95))
    return Clip(tuple(hits), 16, TimeSignature(4, 4))


def chords() -> Clip:
    """A 4-bar pad over A minor - F - C - G: a chord held a bar each, root in the bass and
    three voices moving by step around middle C."""
    voicings = [(45, 57, 60, 64), (41, 57, 60, 65), (48, 55, 60, 64), (43, 55, 59, 62)]
    notes = [Note(p, bar * 4.0, 3.75, 80) for bar, chord in enumerate(voicings) for p in chord]
    return Clip(tuple(notes), 16, TimeSignature(4, 4))


def arp() -> Clip:
    """A 16th-note arpeggio over the same chords, up and down through four notes, the beats
    accented."""
    shapes = [(57, 60, 64, 69), (53, 57, 60, 65), (48, 55, 60, 64), (55, 59, 62, 67)]
    order = [0, 1, 2, 3, 2, 1]
    notes = [
        Note(shape[order[step % 6]], bar * 4 + step * 0.25, 0.2, 100 if step % 4 == 0 else 78)
        for bar, shape in enumerate(shapes)
        for step in range(16)
    ]
    return Clip(tuple(notes), 16, TimeSignature(4, 4))


def lead() -> Clip:
    """A synth lead: a 2-bar hook in A minor, played twice, the second time ending up
    instead of down."""
    hook = [(76, 0.0, 0.75), (74, 0.75, 0.75), (72, 1.5, 0.5), (74, 2.0, 1.0), (69, 3.5, 0.5)]
    down = [(72, 4.0, 0.75), (71, 4.75, 0.75), (67, 5.5, 0.5), (69, 6.0, 1.5)]
    up = [(72, 12.0, 0.75), (74, 12.75, 0.75), (76, 13.5, 0.5), (79, 14.0, 1.5)]
    played = hook + down + [(p, start + 8, length) for p, start, length in hook] + up
    return Clip(tuple(Note(p, s, d, 96) for p, s, d in played), 16, TimeSignature(4, 4))


SEEDS: tuple[tuple[str, Callable[[], Clip], dict[str, Any]], ...] = (
    # name, the clip, how it is written (beside tempo 110)
    ("reel", reel, {"program": 40}),
    ("jig", jig, {"program": 73}),
    ("chorale", chorale, {"program": 19}),
    ("triplets", triplets, {"program": 0}),
    ("bassline", bassline, {"program": 38, "tempo": 124, "track_name": "Bass"}),
    ("beat", beat, {"channel": 9, "tempo": 124, "track_name": "Beat"}),  # the drum channel
    ("chords", chords, {"program": 89, "tempo": 124, "track_name": "Chords"}),
    ("arp", arp, {"program": 81, "tempo": 124, "track_name": "Arp"}),
    ("lead", lead, {"program": 80, "tempo": 124, "track_name": "Lead"}),
)


def main() -> None:
    force = "--force" in sys.argv
    for name, make, options in SEEDS:
        if (HERE / f"{name}.mid").exists() and not force:
            print(f"{HERE / f'{name}.mid'}: kept (it exists; --force writes it again)")
            continue
        clip = make()
        written: dict[str, Any] = {"tempo": 110.0, **options}
        path = write_midi(clip, HERE / f"{name}.mid", overwrite=force, **written)
        print(f"{path}: {len(clip)} notes, {clip.bars:g} bars of {clip.time_signature}")


if __name__ == "__main__":
    main()
