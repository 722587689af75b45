"""Write the example seed clips in examples/seeds/ (short phrases composed for segue).

python examples/make_seeds.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

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


def main() -> None:
    force = "--force" in sys.argv
    for name, clip, program in (
        ("reel", reel(), 40),
        ("jig", jig(), 73),
        ("chorale", chorale(), 19),
        ("triplets", triplets(), 0),
    ):
        path = write_midi(clip, HERE / f"{name}.mid", tempo=110, program=program, overwrite=force)
        print(f"{path}: {len(clip)} notes, {clip.bars:g} bars of {clip.time_signature}")


if __name__ == "__main__":
    main()
