"""Hand-made riffs as producers play them, as clips."""

from __future__ import annotations

from segue.notes import Clip, Note

I_IV_V_V = (45, 50, 52, 52)
"""A2 D3 E3 E3: the roots of a rock riff's I IV V V in A, a chord a bar."""


def power_riff(roots: tuple[int, ...] = I_IV_V_V, bar: float = 4.0) -> Clip:
    """A riff of power chords in 8ths, a chord a bar: each of ``roots`` and its fifth, no
    third (A5 D5 E5 E5)."""
    notes = tuple(
        Note(p, bar * i + 0.5 * j, 0.45, 96)
        for i, root in enumerate(roots)
        for j in range(int(2 * bar))
        for p in (root, root + 7)
    )
    return Clip(notes, bar * len(roots))
