"""Chord progressions for generated parts: from musical knowledge, and from real chorales.

A chord is a root pitch class and the intervals of its tones above the root. A
progression is one chord per harmonic step (a bar, or half a bar).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MODES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
}
# how often each mode is chosen (electronic music leans minor)
MODE_WEIGHTS = {
    "major": 0.32,
    "minor": 0.4,
    "dorian": 0.12,
    "mixolydian": 0.07,
    "phrygian": 0.05,
    "harmonic minor": 0.04,
}


@dataclass(frozen=True)
class Chord:
    root: int  # pitch class 0-11
    intervals: tuple[int, ...]  # above the root, first 0

    def pitch_classes(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in self.intervals)


# Progressions as scale degrees (0 = tonic) of the mode, one per harmonic step. Common
# loops of pop, house, trance, hip-hop and soul; each works in major and minor modes
# (the mode's own thirds decide the chord qualities).
DEGREE_LOOPS: tuple[tuple[int, ...], ...] = (
    (0,),
    (0, 0),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 1),
    (0, 4, 5, 3),
    (5, 3, 0, 4),
    (0, 5, 3, 4),
    (0, 3, 4, 4),
    (0, 3, 0, 4),
    (0, 5, 1, 4),
    (1, 4, 0, 0),
    (0, 6, 5, 6),
    (0, 5, 6, 4),
    (0, 3, 5, 4),
    (0, 2, 3, 4),
    (5, 4, 3, 4),
    (0, 0, 3, 3),
    (0, 0, 5, 5),
    (3, 4, 0, 0),
    (0, 4, 5, 2, 3, 0, 3, 4),
    (0, 5, 3, 4, 0, 5, 3, 6),
    (5, 3, 0, 4, 5, 3, 0, 6),
)


def triad(mode: tuple[int, ...], degree: int, sevenths: bool) -> tuple[int, tuple[int, ...]]:
    """The chord built in thirds on ``degree`` of ``mode``: (root pc offset, intervals)."""
    n = len(mode)
    root = mode[degree % n]
    tones = [mode[(degree + k) % n] + 12 * ((degree + k) // n) for k in (0, 2, 4, 6)]
    intervals = tuple(t - tones[0] for t in tones[: 4 if sevenths else 3])
    return root, intervals


def progression_from_knowledge(rng: np.random.Generator) -> tuple[list[Chord], int, str]:
    """A loop of chords in a random key and mode: (chords, tonic pc, mode name)."""
    names = list(MODE_WEIGHTS)
    mode_name = names[rng.choice(len(names), p=np.array(list(MODE_WEIGHTS.values())))]
    mode = MODES[mode_name]
    tonic = int(rng.integers(12))
    loop = DEGREE_LOOPS[rng.integers(len(DEGREE_LOOPS))]
    sevenths = rng.random() < 0.25
    chords = []
    for degree in loop:
        root, intervals = triad(mode, degree, sevenths)
        chords.append(Chord((tonic + root) % 12, intervals))
    return chords, tonic, mode_name


def chord_of(pitches: list[int]) -> Chord | None:
    """The chord a set of sounding pitches spells: its root found by the best fit to a
    triad or seventh in any inversion, else the lowest pitch as root."""
    if not pitches:
        return None
    pcs = {p % 12 for p in pitches}
    best: tuple[int, int, Chord] | None = None
    shapes = (
        (0, 4, 7),
        (0, 3, 7),
        (0, 3, 6),
        (0, 4, 8),
        (0, 4, 7, 10),
        (0, 3, 7, 10),
        (0, 4, 7, 11),
        (0, 3, 6, 10),
        (0, 5, 7),
        (0, 2, 7),
    )
    for root in range(12):
        for shape in shapes:
            tones = {(root + i) % 12 for i in shape}
            score = 2 * len(tones & pcs) - len(pcs - tones) - len(tones - pcs)
            bass_bonus = 1 if min(pitches) % 12 == root else 0
            key = (score + bass_bonus, -len(shape))
            if best is None or key > (best[0], best[1]):
                best = (key[0], key[1], Chord(root, shape))
    return best[2] if best else None


def progressions_from_chorales(
    pieces: list[list[tuple[float, float, int]]], step_beats: float = 2.0, length: int = 4
) -> list[list[Chord]]:
    """Loops of ``length`` chords from real chorales: each piece's notes (start, end, pitch)
    sampled every ``step_beats`` beats (the chord sounding at that moment)."""
    loops: list[list[Chord]] = []
    for notes in pieces:
        if not notes:
            continue
        end = max(e for _, e, _ in notes)
        chords = []
        t = 0.0
        while t < end:
            sounding = [p for s, e, p in notes if s <= t < e]
            chord = chord_of(sounding)
            if chord is not None:
                chords.append(chord)
            t += step_beats
        for i in range(0, len(chords) - length + 1, length):
            loop = chords[i : i + length]
            if len({c.root for c in loop}) >= 2:
                loops.append(loop)
    return loops
