"""Clips that play notes out of their key's scale, each its own way: a C major line's passing
F#, a walking bass's F# approach into G, a C blues riff's Eb falling to D."""

from __future__ import annotations

from segue.notes import Note

# a C major line in 8ths, its F#4 passing from G4 down to F4 on the and of 3
PASSING = (
    (60, 0, 0.45), (64, 0.5, 0.45), (67, 1, 0.45), (69, 1.5, 0.45),
    (67, 2, 0.45), (66, 2.5, 0.45), (65, 3, 0.45), (64, 3.5, 0.45),
    (62, 4, 0.45), (65, 4.5, 0.45), (69, 5, 0.45), (67, 5.5, 0.45),
    (64, 6, 0.45), (62, 6.5, 0.45), (60, 7, 0.9),
)  # fmt: skip
# a walking bass in quarters, its F#2 on beat 4 of bar 2 into G2
WALK = (36, 40, 43, 45, 41, 45, 48, 42, 43, 47, 50, 47, 36, 40, 43, 35)
# a C blues riff, its Eb2 on the and of 2 falling to D2 and C2
BLUES = (
    (36, 0, 0.45), (40, 1, 0.45), (43, 1.5, 0.45), (45, 2, 0.45), (46, 2.5, 0.45),
    (45, 3, 0.45), (43, 3.5, 0.45), (40, 4, 0.45), (43, 5, 0.45), (39, 5.5, 0.3),
    (38, 6, 0.45), (36, 6.5, 0.9),
)  # fmt: skip


def looped(pattern: tuple[tuple[int, float, float], ...], span: float) -> tuple[Note, ...]:
    """``pattern`` (pitch, start, beats) played round to 4 bars."""
    reps = int(16 // span)
    return tuple(Note(p, s + r * span, d, 96) for r in range(reps) for p, s, d in pattern)


def walking_bass() -> tuple[Note, ...]:
    """The walking bass of :data:`WALK`, a note a beat."""
    return tuple(Note(p, float(i), 0.9, 96) for i, p in enumerate(WALK))
