"""Idiomatic parts over a chord loop: basslines, chord parts, arpeggios and leads.

Each part is built as producers build clips: a one- or two-bar rhythmic pattern
that loops, its pitches following the chords, with variations at phrase ends
(fills, pickups), an occasional change of section, and small slips (a note
left out, a neighbour note, an octave jump). Times are in beats on segue's grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segue.idioms.harmony import MODES, Chord

Event = tuple[float, float, int]  # onset in the pattern (beats), duration (beats), tone index


@dataclass(frozen=True)
class PieceShape:
    beats_per_bar: float
    bars: int
    chord_steps: tuple[Chord, ...]  # one chord per harmonic step
    steps_per_bar: int  # 1: a chord per bar, 2: two per bar; 0.5 means one per 2 bars
    bars_per_step: int
    tonic: int
    mode: str
    swing: bool

    def chord_at(self, beat: float) -> Chord:
        bar = int(beat // self.beats_per_bar)
        if self.bars_per_step > 1:
            index = bar // self.bars_per_step
        else:
            within = int((beat % self.beats_per_bar) // (self.beats_per_bar / self.steps_per_bar))
            index = bar * self.steps_per_bar + within
        return self.chord_steps[index % len(self.chord_steps)]


def _grid(beats_per_bar: float, subdivision: int) -> np.ndarray:
    return np.arange(0, beats_per_bar, 1 / subdivision)


def _swung(onset: float, swing: bool) -> float:
    """16th swing: the second 16th of each 8th moves to the triplet position."""
    if not swing:
        return onset
    frac = onset % 0.5
    if abs(frac - 0.25) < 1e-9:
        return onset - 0.25 + 1 / 3
    return onset


def rhythm(
    rng: np.random.Generator,
    beats: float,
    density: float,
    subdivision: int = 4,
    strong: float = 0.85,
) -> list[float]:
    """Onsets on a 16th (or 8th) grid: the downbeat usually, others with ``density``."""
    onsets = []
    for t in _grid(beats, subdivision):
        on_beat = abs(t - round(t)) < 1e-9
        p = strong if t == 0 else density * (1.5 if on_beat else 0.8)
        if rng.random() < min(p, 0.95):
            onsets.append(float(t))
    return onsets or [0.0]


def _gate_lengths(onsets: list[float], span: float, gate: float) -> list[float]:
    """Each note lasts ``gate`` of the time to the next onset (legato 1.0, staccato 0.5)."""
    out = []
    for i, t in enumerate(onsets):
        nxt = onsets[i + 1] if i + 1 < len(onsets) else span
        out.append(max(0.125, round((nxt - t) * gate * 8) / 8))
    return out


# -- bass -------------------------------------------------------------------------------------

BASS_FIGURES = (
    "whole",
    "halves",
    "quarters",
    "eighths",
    "offbeat",
    "octaves",
    "tresillo",
    "syncopated",
    "sparse",
    "walking",
    "reggae",
    "pedal16",
)


def bass_pattern(rng: np.random.Generator, beats: float) -> list[Event]:
    """One bar of a bassline: (onset, duration, tone) with tone 0 root, 1 fifth, 2 octave,
    3 third, 4 approach (a step towards the next root)."""
    figure = BASS_FIGURES[rng.integers(len(BASS_FIGURES))]
    gate = float(rng.choice([1.0, 0.9, 0.75, 0.5, 0.35]))
    if figure == "whole":
        return [(0.0, beats * float(rng.choice([1.0, 0.9, 0.5])), 0)]
    if figure == "halves":
        half = beats / 2
        return [(0.0, half * gate, 0), (half, half * gate, int(rng.choice([0, 1, 2])))]
    if figure == "quarters":
        onsets = list(np.arange(0, beats, 1.0))
        return [
            (float(t), gate, 0 if i == 0 else int(rng.choice([0, 0, 1, 2])))
            for i, t in enumerate(onsets)
        ]
    if figure in ("eighths", "pedal16"):
        step = 0.5 if figure == "eighths" else 0.25
        onsets = list(np.arange(0, beats, step))
        return [(float(t), step * gate, 0) for t in onsets]
    if figure == "offbeat":
        return [(float(t) + 0.5, 0.5 * gate, 0) for t in np.arange(0, beats, 1.0)]
    if figure == "octaves":
        return [
            (float(t), 0.5 * gate, 2 if i % 2 else 0)
            for i, t in enumerate(np.arange(0, beats, 0.5))
        ]
    if figure == "tresillo":
        pts = [0.0, 1.5, 3.0] if beats >= 4 else [0.0, 1.5]
        return [
            (t, min(1.5, beats - t) * gate, 0 if i == 0 else int(rng.choice([0, 1, 2])))
            for i, t in enumerate(pts)
        ]
    if figure == "reggae":
        return [(0.0, 1.5, 0), (2.0, 0.5, 1), (2.5, 0.5, 0), (3.5, 0.5, 3)][
            : 4 if beats >= 4 else 2
        ]
    if figure == "walking":
        tones = [0, 3, 1, 4]
        return [(float(t), 0.9, tones[i % 4]) for i, t in enumerate(np.arange(0, beats, 1.0))]
    density = 0.45 if figure == "syncopated" else 0.22
    onsets = rhythm(rng, beats, density)
    lengths = _gate_lengths(onsets, beats, gate)
    return [
        (t, d, 0 if i == 0 else int(rng.choice([0, 0, 0, 1, 2, 3])))
        for i, (t, d) in enumerate(zip(onsets, lengths, strict=True))
    ]


def bass_pitch(chord: Chord, next_chord: Chord, tone: int, center: int) -> int:
    root = center + ((chord.root - center) % 12)
    if root > center + 6:
        root -= 12
    if tone == 0:
        return root
    if tone == 1:
        return root + 7 if root + 7 <= center + 12 else root - 5
    if tone == 2:
        return root + 12
    if tone == 3:
        return root + chord.intervals[1]
    target = center + ((next_chord.root - center) % 12)
    if target > center + 6:
        target -= 12
    return target - 1 if target > root else target + 1


# -- chords -----------------------------------------------------------------------------------

CHORD_FIGURES = (
    "held",
    "held",
    "halves",
    "stabs",
    "charleston",
    "pump",
    "syncopated",
    "offbeat",
    "dotted",
)


def chord_pattern(rng: np.random.Generator, beats: float) -> list[tuple[float, float]]:
    """One bar of chord hits: (onset, duration); every voice plays each hit."""
    figure = CHORD_FIGURES[rng.integers(len(CHORD_FIGURES))]
    if figure == "held":
        return [(0.0, beats * float(rng.choice([1.0, 1.0, 0.95, 0.75])))]
    if figure == "halves":
        return [(0.0, beats / 2), (beats / 2, beats / 2)]
    if figure == "stabs":
        length = float(rng.choice([0.25, 0.5]))
        spots = rhythm(rng, beats, 0.3)
        return [(t, length) for t in spots]
    if figure == "charleston":
        return [(0.0, 1.0), (1.5, beats - 1.5)] if beats >= 3 else [(0.0, beats)]
    if figure == "pump":
        return [(float(t), 0.75) for t in np.arange(0, beats, 1.0)]
    if figure == "offbeat":
        return [(float(t) + 0.5, 0.4) for t in np.arange(0, beats, 1.0)]
    if figure == "dotted":
        pts = [0.0, 1.5, 3.0] if beats >= 4 else [0.0, 1.5]
        return [(t, min(1.5, beats - t)) for t in pts]
    onsets = rhythm(rng, beats, 0.35)
    return list(
        zip(onsets, _gate_lengths(onsets, beats, float(rng.choice([0.5, 0.9]))), strict=True)
    )


def voicing(chord: Chord, previous: list[int] | None, low: int, voices: int) -> list[int]:
    """Close-position voicing of ``voices`` notes from ``low`` up, led smoothly from
    ``previous`` (the inversion with the least movement)."""
    pcs = list(chord.pitch_classes())
    while len(pcs) < voices:
        pcs.append(pcs[0])
    candidates = []
    for inversion in range(len(pcs)):
        order = pcs[inversion:] + pcs[:inversion]
        notes = []
        current = low + ((order[0] - low) % 12)
        for pc in order[:voices]:
            while current % 12 != pc:
                current += 1
            notes.append(current)
            current += 1
        candidates.append(sorted(notes))
    if previous is None:
        return candidates[0]
    return min(candidates, key=lambda c: sum(abs(a - b) for a, b in zip(c, previous, strict=False)))


# -- arpeggios --------------------------------------------------------------------------------

ARP_ORDERS = ("up", "down", "updown", "random", "pinky")


def arp_sequence(
    rng: np.random.Generator,
    chord_tones: int,
    octaves: int,
    order: str,
    length: int,
    fixed: list[int] | None,
) -> list[int]:
    """Indices into the arpeggio's tones (chord tones over ``octaves``) for ``length`` notes."""
    span = chord_tones * octaves
    if order == "up":
        seq = list(range(span))
    elif order == "down":
        seq = list(range(span - 1, -1, -1))
    elif order == "updown":
        seq = list(range(span)) + list(range(span - 2, 0, -1))
    elif order == "pinky":
        seq = [x for i in range(1, span) for x in (0, i)]
    else:
        seq = fixed if fixed is not None else list(rng.integers(0, span, size=8))
    return [seq[i % len(seq)] for i in range(length)]


# -- leads ------------------------------------------------------------------------------------


def scale_pitches(tonic: int, mode: str, low: int, high: int) -> list[int]:
    pcs = {(tonic + i) % 12 for i in MODES[mode]}
    return [p for p in range(low, high + 1) if p % 12 in pcs]
