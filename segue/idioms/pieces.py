"""Whole generated pieces: a part of one role over a chord loop, looped with variation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from segue.idioms.harmony import Chord, progression_from_knowledge
from segue.idioms.parts import (
    ARP_ORDERS,
    PieceShape,
    _gate_lengths,
    _swung,
    arp_sequence,
    bass_pattern,
    bass_pitch,
    chord_pattern,
    rhythm,
    scale_pitches,
    voicing,
)
from segue.notes import Clip, Note, TimeSignature

ROLES = ("bass", "chords", "arp", "lead")
Raw = list[tuple[float, float, int, int]]  # start, duration, pitch, velocity


def _shape(rng: np.random.Generator, bars: int, loops: list[list[Chord]] | None) -> PieceShape:
    ts_pick = rng.random()
    beats = 4.0 if ts_pick < 0.9 else 3.0
    if loops and rng.random() < 0.5:
        chords = loops[rng.integers(len(loops))]
        tonic, mode = chords[0].root, "minor" if 3 in chords[0].intervals[:2] else "major"
    else:
        chords, tonic, mode = progression_from_knowledge(rng)
    rhythm_pick = rng.random()
    steps_per_bar, bars_per_step = (
        (1, 1) if rhythm_pick < 0.65 else ((2, 1) if rhythm_pick < 0.8 else (1, 2))
    )
    return PieceShape(
        beats,
        bars,
        tuple(chords),
        steps_per_bar,
        bars_per_step,
        tonic,
        mode,
        swing=rng.random() < 0.15,
    )


def _velocity(rng: np.random.Generator) -> Callable[[float, float], int]:
    base = int(rng.integers(60, 112))
    accent = int(rng.choice([0, 0, 8, 16]))
    jitter = int(rng.choice([0, 0, 4, 8]))

    def velocity(beat_in_bar: float, _: float) -> int:
        v = base + (accent if abs(beat_in_bar) < 1e-9 else 0)
        if jitter:
            v += int(rng.integers(-jitter, jitter + 1))
        return int(min(127, max(1, v)))

    return velocity


def _phrase_plan(rng: np.random.Generator, bars: int) -> list[str]:
    """For each bar: 'a' (the loop), 'b' (the loop's other bar), 'fill' (a phrase end), and
    with an 's' in front once a new section has begun. Producers copy a loop across an
    8-bar section, vary the last bar of a section (and less often of a 4-bar phrase),
    and may start a new section every 8 bars."""
    period = int(rng.choice([1, 2, 2, 4]))
    fills = float(rng.choice([0.0, 0.3, 0.6]))
    section_at = 8 if bars > 8 and rng.random() < 0.3 else 0
    plan = []
    for bar in range(bars):
        kind = "a" if (bar % period) == 0 or period == 1 else "b"
        if section_at and bar >= section_at:
            kind = "s" + kind
        if bar % 8 == 7 and rng.random() < fills:
            kind = "fill"
        elif bar % 8 == 3 and rng.random() < fills * 0.4:
            kind = "fill"
        plan.append(kind)
    return plan


def _slip_rate(rng: np.random.Generator) -> float:
    """Most loops are copied exactly; some are played with small slips."""
    return 0.0 if rng.random() < 0.7 else float(rng.choice([0.01, 0.02, 0.03]))


def _slip(rng: np.random.Generator, notes: Raw, rate: float, scale: list[int]) -> Raw:
    """Small slips, at ``rate`` per note: a note dropped, moved to a scale neighbour, or an
    octave jump."""
    out: Raw = []
    for start, dur, pitch, vel in notes:
        r = rng.random()
        if r < rate * 0.4:
            continue
        if r < rate * 0.8 and scale:
            i = int(np.searchsorted(scale, pitch))
            j = min(len(scale) - 1, max(0, i + int(rng.choice([-1, 1]))))
            pitch = scale[j]
        elif r < rate:
            pitch = pitch + int(rng.choice([-12, 12]))
        if 0 <= pitch <= 127:
            out.append((start, dur, pitch, vel))
    return out


def bass_piece(rng: np.random.Generator, shape: PieceShape) -> Raw:
    beats = shape.beats_per_bar
    center = int(rng.integers(33, 46))
    patterns = {k: bass_pattern(rng, beats) for k in ("a", "b", "sa", "sb", "fill")}
    if rng.random() < 0.6:
        patterns["b"] = patterns["a"]
    if rng.random() < 0.5:
        patterns["sb"] = patterns["sa"]
    velocity = _velocity(rng)
    out: Raw = []
    for bar, kind in enumerate(_phrase_plan(rng, shape.bars)):
        for onset, dur, tone in patterns[kind]:
            t = bar * beats + _swung(onset, shape.swing)
            chord = shape.chord_at(t)
            nxt = shape.chord_at((bar + 1) * beats)
            pitch = bass_pitch(chord, nxt, tone, center)
            out.append((t, min(dur, (bar + 1) * beats - t), pitch, velocity(onset, t)))
    return _slip(rng, out, _slip_rate(rng), scale_pitches(shape.tonic, shape.mode, 24, 60))


def chord_piece(rng: np.random.Generator, shape: PieceShape) -> Raw:
    beats = shape.beats_per_bar
    voices = int(rng.choice([3, 4, 4, 5]))
    low = int(rng.integers(50, 62))
    patterns = {k: chord_pattern(rng, beats) for k in ("a", "b", "sa", "sb", "fill")}
    if rng.random() < 0.7:
        patterns["b"] = patterns["a"]
    if rng.random() < 0.5:
        patterns["sb"] = patterns["sa"]
    bass_doubling = rng.random() < 0.25
    velocity = _velocity(rng)
    out: Raw = []
    previous: list[int] | None = None
    for bar, kind in enumerate(_phrase_plan(rng, shape.bars)):
        for onset, dur in patterns[kind]:
            t = bar * beats + _swung(onset, shape.swing)
            chord = shape.chord_at(t)
            notes = voicing(chord, previous, low, voices)
            previous = notes
            if bass_doubling:
                notes = [notes[0] - 12 - ((notes[0] - chord.root) % 12)] + notes
            v = velocity(onset, t)
            length = min(dur, (bar + 1) * beats - t)
            out.extend((t, length, p, v) for p in notes)
    return _slip(rng, out, _slip_rate(rng), scale_pitches(shape.tonic, shape.mode, 36, 96))


def arp_piece(rng: np.random.Generator, shape: PieceShape) -> Raw:
    beats = shape.beats_per_bar
    rate = float(rng.choice([0.25, 0.25, 0.25, 0.5, 1 / 3, 1 / 6]))
    gate = float(rng.choice([1.0, 0.75, 0.5, 0.3]))
    octaves = int(rng.choice([1, 2, 2, 3]))
    order = ARP_ORDERS[rng.integers(len(ARP_ORDERS))]
    low = int(rng.integers(52, 70))
    fixed = list(rng.integers(0, 3 * octaves, size=int(rng.choice([4, 6, 8]))))
    rests = rng.random() < 0.3
    rest_mask = [rng.random() < 0.75 for _ in range(int(round(beats / rate)))]
    per_bar = int(round(beats / rate))
    restart_each_bar = rng.random() < 0.6
    velocity = _velocity(rng)
    out: Raw = []
    counter = 0
    for bar, kind in enumerate(_phrase_plan(rng, shape.bars)):
        if restart_each_bar:
            counter = 0
        for i in range(per_bar):
            onset = i * rate
            t = bar * beats + (_swung(onset, shape.swing) if rate == 0.25 else onset)
            chord = shape.chord_at(t)
            tones = sorted(low + ((pc - low) % 12) for pc in chord.pitch_classes())
            ladder = [p + 12 * o for o in range(octaves) for p in tones]
            seq = arp_sequence(rng, len(tones), octaves, order, counter + 1, fixed)
            counter += 1
            if rests and not rest_mask[i]:
                continue
            if kind == "fill" and rng.random() < 0.5:
                continue
            pitch = ladder[seq[-1] % len(ladder)]
            out.append((t, max(0.125, rate * gate), pitch, velocity(onset, t)))
    return _slip(rng, out, _slip_rate(rng), scale_pitches(shape.tonic, shape.mode, 40, 100))


def lead_piece(rng: np.random.Generator, shape: PieceShape) -> Raw:
    beats = shape.beats_per_bar
    scale = scale_pitches(shape.tonic, shape.mode, 55, 91)
    center = int(rng.integers(64, 80))
    motif_bars = int(rng.choice([1, 2, 2, 4]))
    density = float(rng.choice([0.15, 0.25, 0.35, 0.5]))
    subdivision = int(rng.choice([2, 4, 4]))
    gate = float(rng.choice([1.0, 0.8, 0.5]))
    longest = float(rng.choice([0.5, 1.0, 2.0]))

    def motif() -> list[tuple[float, float, int]]:
        onsets = []
        for b in range(motif_bars):
            onsets += [b * beats + t for t in rhythm(rng, beats, density, subdivision, strong=0.7)]
        lengths = [min(d, longest) for d in _gate_lengths(onsets, motif_bars * beats, gate)]
        steps = np.cumsum(rng.choice([-2, -1, -1, 0, 1, 1, 2, 3, -3], size=len(onsets)))
        return [(t, d, int(s)) for t, d, s in zip(onsets, lengths, steps, strict=True)]

    main, answer, fill = motif(), motif(), motif()
    if rng.random() < 0.5:
        answer = main
    velocity = _velocity(rng)
    out: Raw = []
    plan = _phrase_plan(rng, shape.bars)
    base = int(np.searchsorted(scale, center))
    for start_bar in range(0, shape.bars, motif_bars):
        kind = plan[min(start_bar + motif_bars - 1, shape.bars - 1)]
        use = fill if kind == "fill" else (answer if (start_bar // motif_bars) % 2 else main)
        for onset, dur, step in use:
            t = start_bar * beats + onset
            if t >= shape.bars * beats:
                continue
            t = t - onset % 1 + _swung(onset % 1, shape.swing)
            index = min(len(scale) - 1, max(0, base + step))
            pitch = scale[index]
            chord = shape.chord_at(t)
            if abs(t % 1) < 1e-9 and pitch % 12 not in chord.pitch_classes():
                # strong beats land on a chord tone: the nearest one
                pcs = chord.pitch_classes()
                pitch = min(
                    (p for p in scale if p % 12 in pcs), key=lambda p: abs(p - pitch), default=pitch
                )
            out.append((t, dur, pitch, velocity(onset % beats, t)))
    return _slip(rng, out, _slip_rate(rng), scale)


MAKERS = {"bass": bass_piece, "chords": chord_piece, "arp": arp_piece, "lead": lead_piece}


def piece(
    rng: np.random.Generator, role: str, bars: int = 16, loops: list[list[Chord]] | None = None
) -> Clip:
    """One generated piece of ``role`` as a clip of ``bars`` bars."""
    shape = _shape(rng, bars, loops)
    raw = MAKERS[role](rng, shape)
    ts = TimeSignature(int(shape.beats_per_bar), 4)
    end = bars * shape.beats_per_bar
    notes: dict[tuple[int, int], Note] = {}
    for start, dur, pitch, vel in raw:
        if start >= end or not 0 <= pitch <= 127:
            continue
        key = (round(start * 24), pitch)
        length = max(1 / 24, min(dur, end - start))
        if key not in notes or notes[key].duration < length:
            notes[key] = Note(pitch, round(start * 24) / 24, round(length * 24) / 24 or 1 / 24, vel)
    return Clip(tuple(sorted(notes.values(), key=lambda n: (n.start, n.pitch))), end, ts)
