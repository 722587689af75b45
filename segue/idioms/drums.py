"""Drum grooves from musical knowledge: styles, kits, accents, ghost notes, fills.

Every groove is a one- or two-bar pattern per instrument on a 16th (or triplet) grid,
looped over the piece with the variations drummers play: hi-hat and ghost-note
changes, an open hat here and there, a fill at the end of a 4- or 8-bar phrase and
a crash on the downbeat after it. Notes are General MIDI drum notes.
"""

from __future__ import annotations

import numpy as np

from segue.notes import Clip, Note, TimeSignature

KICK, KICK2, RIM, SNARE, CLAP, SNARE2 = 36, 35, 37, 38, 39, 40
HAT, PEDAL, OPEN = 42, 44, 46
CRASH, RIDE, BELL, CRASH2 = 49, 51, 53, 57
TOMS = (41, 43, 45, 47, 48, 50)  # low floor .. high
TAMB, COWBELL, SHAKER, CLAVES = 54, 56, 70, 75
CONGAS = (62, 63, 64)

STYLES = (
    "rock",
    "funk",
    "hiphop",
    "house",
    "techno",
    "breakbeat",
    "trap",
    "reggae",
    "latin",
    "jazz",
)

Hits = list[tuple[float, int, int]]  # onset (beats in the pattern), note, velocity


def _steps(pattern: str, note: int, vel: int, step: float = 0.25) -> Hits:
    """'x' full hit, 'o' soft (ghost), '.' rest, one character per step."""
    out = []
    for i, c in enumerate(pattern):
        if c == "x":
            out.append((i * step, note, vel))
        elif c == "o":
            out.append((i * step, note, max(20, vel // 3)))
        elif c == "X":
            out.append((i * step, note, min(127, vel + 15)))
    return out


def groove(rng: np.random.Generator, style: str) -> tuple[Hits, float, bool]:
    """One bar of ``style`` in 4/4: (hits, beats, swung)."""
    snare = int(rng.choice([SNARE, SNARE, SNARE2, CLAP]))
    kick = int(rng.choice([KICK, KICK, KICK2]))
    v = int(rng.integers(90, 120))
    swing = False
    if style == "rock":
        k = str(
            rng.choice(
                [
                    "x.......x.......",
                    "x.......x.x.....",
                    "x......xx.......",
                    "x.x.....x.......",
                    "x.......x.....x.",
                ]
            )
        )
        h = str(rng.choice(["x.x.x.x.x.x.x.x.", "X.x.X.x.X.x.X.x.", "xxxxxxxxxxxxxxxx"]))
        hits = _steps(k, kick, v) + _steps("....x.......x...", snare, v) + _steps(h, HAT, v - 20)
    elif style == "funk":
        k = str(
            rng.choice(
                ["x.....x...x.....", "x..x..x...x..x..", "x.x....x..x.....", "x......x.x....x."]
            )
        )
        s = str(rng.choice(["....x..o.o..x..o", "..o.x..o..o.x...", "....x.o....ox.o."]))
        hits = (
            _steps(k, kick, v)
            + _steps(s, snare, v)
            + _steps("xxxxxxxxxxxxxx.x", HAT, v - 25)
            + _steps("..............x.", OPEN, v - 15)
        )
    elif style == "hiphop":
        k = str(
            rng.choice(
                ["x......x.x......", "x.......xx....x.", "x..x......x.....", "x......x..x....."]
            )
        )
        hits = (
            _steps(k, kick, v)
            + _steps("....x.......x...", snare, v)
            + _steps("x.x.x.x.x.x.x.x.", HAT, v - 25)
        )
        swing = rng.random() < 0.6
    elif style == "house":
        hits = (
            _steps("x...x...x...x...", kick, v)
            + _steps("....x.......x...", CLAP, v - 5)
            + _steps("..x...x...x...x.", OPEN, v - 20)
        )
        if rng.random() < 0.6:
            hits += _steps("x.xxx.xxx.xxx.xx", HAT, v - 35)
        if rng.random() < 0.3:
            hits += _steps("x.x.x.x.x.x.x.x.", SHAKER, v - 40)
    elif style == "techno":
        hits = _steps("x...x...x...x...", kick, v) + _steps("..x...x...x...x.", HAT, v - 20)
        if rng.random() < 0.5:
            hits += _steps("....x.......x...", int(rng.choice([CLAP, RIM])), v - 15)
        if rng.random() < 0.5:
            hits += _steps(
                str(rng.choice(["x.xx.x.xx.x.x.xx", "...x..x...x..x.."])),
                int(rng.choice([COWBELL, RIM, TAMB])),
                v - 40,
            )
    elif style == "breakbeat":
        k = str(rng.choice(["x.x.......xx....", "x.........x.....", "x.x.......x..x.."]))
        s = str(rng.choice(["....x..x.x..x..x", "....x.......x...", "....x..o.o..x..o"]))
        hits = (
            _steps(k, kick, v)
            + _steps(s, snare, v)
            + _steps("x.x.x.x.x.x.x.x.", int(rng.choice([HAT, RIDE])), v - 20)
        )
    elif style == "trap":
        k = str(rng.choice(["x......x..x.....", "x.....x...x..x..", "x..........x...."]))
        h = str(rng.choice(["x.x.x.x.x.x.x.x.", "xxxxxxxxxxxxxxxx", "x.x.x.xxx.x.x.x."]))
        hits = _steps(k, kick, v) + _steps("........x.......", CLAP, v) + _steps(h, HAT, v - 30)
        if rng.random() < 0.5:  # a hi-hat roll in 32nds
            start = float(rng.choice([1.5, 3.0, 3.5]))
            hits += [(start + i / 8, HAT, v - 35 + 4 * i) for i in range(4)]
    elif style == "reggae":
        hits = (
            _steps("........x.......", kick, v)
            + _steps("........x.......", RIM, v - 10)
            + _steps("x.x.x.x.x.x.x.x.", HAT, v - 30)
        )
        swing = rng.random() < 0.7
    elif style == "latin":
        clave = str(rng.choice(["x..x..x...x.x...", "x..x...x..x.x..."]))
        hits = (
            _steps(clave, int(rng.choice([RIM, CLAVES])), v - 10)
            + _steps("x..x....x..x....", kick, v - 10)
            + _steps("xxxxxxxxxxxxxxxx", SHAKER, v - 45)
        )
        if rng.random() < 0.6:
            hits += _steps("..x.x.xx..x.x.xx", int(rng.choice(CONGAS)), v - 25)
    else:  # jazz: a swung ride, hat on 2 and 4, feathered kick, snare comping
        third = 1 / 3
        ride = [
            (0.0, RIDE, v - 10),
            (1.0, RIDE, v),
            (1 + 2 * third, RIDE, v - 25),
            (2.0, RIDE, v - 10),
            (3.0, RIDE, v),
            (3 + 2 * third, RIDE, v - 25),
        ]
        hits = ride + [(1.0, PEDAL, v - 30), (3.0, PEDAL, v - 30)]
        hits += [(float(t), kick, 40) for t in range(4) if rng.random() < 0.5]
        hits += [
            (float(rng.integers(0, 4)) + 2 * third, snare, 45)
            for _ in range(int(rng.integers(0, 3)))
        ]
        return hits, 4.0, False
    return hits, 4.0, swing


def fill(rng: np.random.Generator, beats_from: float, snare: int) -> Hits:
    """A fill over the last ``4 - beats_from`` beats of a bar: snare and toms."""
    kind = rng.choice(["snare16", "toms", "mixed", "flams"])
    toms = [t for t in TOMS if rng.random() < 0.7] or [TOMS[-1]]
    toms = sorted(toms, reverse=True)  # high to low
    steps = np.arange(beats_from, 4.0, 0.25)
    out: Hits = []
    for i, t in enumerate(steps):
        if kind == "snare16":
            note = snare
        elif kind == "toms":
            note = toms[min(len(toms) - 1, i * len(toms) // max(1, len(steps)))]
        elif kind == "flams":
            note = snare if i % 2 == 0 else toms[i % len(toms)]
        else:
            note = snare if rng.random() < 0.5 else toms[int(rng.integers(len(toms)))]
        out.append((float(t), note, int(70 + 40 * i / max(1, len(steps)))))
    return out


def drum_piece(rng: np.random.Generator, bars: int = 16) -> Clip:
    """A groove of a random style looped with variation over ``bars`` bars of 4/4."""
    style = STYLES[rng.integers(len(STYLES))]
    a, beats, swing = groove(rng, style)
    two_bar = rng.random() < 0.35
    b = groove(rng, style)[0] if two_bar else a
    if two_bar and rng.random() < 0.5:  # the second bar: the first with another kick line
        b = [h for h in a if h[1] not in (KICK, KICK2)] + [h for h in b if h[1] in (KICK, KICK2)]
    fills = float(rng.choice([0.0, 0.5, 0.8]))
    phrase = int(rng.choice([4, 8]))
    crash_after = rng.random() < 0.6
    ghost_rate = float(rng.choice([0.0, 0.03, 0.08]))
    open_rate = float(rng.choice([0.0, 0.05]))
    drop_rate = float(rng.choice([0.0, 0.02, 0.05]))
    jitter = int(rng.choice([0, 4, 8]))
    snare = next((n for _, n, _ in a if n in (SNARE, SNARE2, CLAP, RIM)), SNARE)
    notes: dict[tuple[int, int], Note] = {}

    def add(t: float, note: int, vel: int) -> None:
        if swing and abs((t % 0.5) - 0.25) < 1e-9:
            t = t - 0.25 + 1 / 3
        tick = round(t * 24)
        vel = int(min(127, max(1, vel + (rng.integers(-jitter, jitter + 1) if jitter else 0))))
        key = (tick, note)
        if key not in notes or notes[key].velocity < vel:
            notes[key] = Note(note, tick / 24, 0.25, vel)

    for bar in range(bars):
        base = bar * beats
        pattern = a if bar % 2 == 0 else b
        is_fill = (bar + 1) % phrase == 0 and rng.random() < fills
        fill_from = float(rng.choice([2.0, 3.0, 3.0, 3.5])) if is_fill else beats
        for t, note, vel in pattern:
            if t >= fill_from and note not in (KICK, KICK2):
                continue
            if rng.random() < drop_rate and note in (HAT, SHAKER, PEDAL):
                continue
            if note == HAT and rng.random() < open_rate:
                note = OPEN
            add(base + t, note, vel)
        if ghost_rate:
            for s in range(16):
                if rng.random() < ghost_rate and s * 0.25 < fill_from:
                    add(base + s * 0.25, snare, int(rng.integers(25, 45)))
        if is_fill:
            for t, note, vel in fill(rng, fill_from, snare):
                add(base + t, note, vel)
        if crash_after and bar > 0 and bar % phrase == 0:
            add(base, CRASH, 110)
    hits = tuple(sorted(notes.values(), key=lambda n: (n.start, n.pitch)))
    return Clip(hits, bars * beats, TimeSignature(4, 4))
