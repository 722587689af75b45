"""Keys and scales: detect a clip's key and build the pitch mask of a key lock."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from segue.errors import SegueError
from segue.notes import Note

PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_NAMES = {
    "c": 0, "b#": 0, "c#": 1, "db": 1, "d": 2, "d#": 3, "eb": 3, "e": 4, "fb": 4, "f": 5,
    "e#": 5, "f#": 6, "gb": 6, "g": 7, "g#": 8, "ab": 8, "a": 9, "a#": 10, "bb": 10, "b": 11,
    "cb": 11,
}
SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "harmonic-minor": (0, 2, 3, 5, 7, 8, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "major-pentatonic": (0, 2, 4, 7, 9),
    "minor-pentatonic": (0, 3, 5, 7, 10),
    "blues": (0, 3, 5, 6, 7, 10),
}
# Krumhansl-Kessler key profiles
_MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True, slots=True)
class Key:
    tonic: int  # pitch class 0-11
    mode: str  # a name in SCALES

    def pitch_classes(self) -> frozenset[int]:
        return frozenset((self.tonic + step) % 12 for step in SCALES[self.mode])

    def __str__(self) -> str:
        return f"{PITCH_CLASSES[self.tonic]} {self.mode}"


def parse_key(text: str) -> Key:
    """'C major', 'a minor', 'F# dorian', 'Bb' (major), 'Am' (minor)."""
    match = re.fullmatch(r"\s*([A-Ga-g][#b]?)\s*(m\b|[a-z-]+)?\s*", text.strip())
    if not match:
        raise SegueError(
            f"cannot read key {text!r}; write it like 'C major', 'A minor' or 'F# dorian'"
        )
    tonic = _NAMES[match.group(1).lower()]
    mode = (match.group(2) or "major").lower()
    mode = {"m": "minor", "maj": "major", "min": "minor", "aeolian": "minor",
            "ionian": "major"}.get(mode, mode)
    if mode not in SCALES:
        raise SegueError(f"unknown scale {mode!r} in key {text!r}; scales: {', '.join(SCALES)}")
    return Key(tonic, mode)


def pitch_class_histogram(notes: list[Note] | tuple[Note, ...]) -> np.ndarray:
    """Total duration (beats) per pitch class."""
    hist = np.zeros(12)
    for n in notes:
        hist[n.pitch % 12] += n.duration
    return hist


def detect_key(notes: list[Note] | tuple[Note, ...]) -> Key | None:
    """The major or minor key whose profile best matches the notes (None for no notes)."""
    hist = pitch_class_histogram(notes)
    if hist.sum() == 0:
        return None
    best: tuple[float, Key] | None = None
    for mode, profile in (("major", _MAJOR_PROFILE), ("minor", _MINOR_PROFILE)):
        for tonic in range(12):
            r = float(np.corrcoef(hist, np.roll(profile, tonic))[0, 1])
            if np.isnan(r):
                r = -1.0
            if best is None or r > best[0]:
                best = (r, Key(tonic, mode))
    return best[1] if best else None


def pitch_mask(key: Key | None, low: int = 0, high: int = 127) -> np.ndarray:
    """Allowed pitches 0-127: inside [low, high] and, with a key, in its scale."""
    pitches = np.arange(128)
    allowed = (pitches >= low) & (pitches <= high)
    if key is not None:
        allowed &= np.isin(pitches % 12, sorted(key.pitch_classes()))
    return allowed
