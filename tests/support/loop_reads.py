"""Loop histories of hand-made clips of (pitch, start, length in beats) notes, as ``generate``
reads them for a request's turns."""

from __future__ import annotations

from loop_turns import BAR

from segue.grid import clip_rows, to_ticks
from segue.model.loop import LoopHistory
from segue.model.vocab import Vocab, steps_of
from segue.notes import Clip, Note, TimeSignature


def history_of(notes: list[tuple[int, float, float]], bars: int) -> LoopHistory:
    """The loop history of a clip of (pitch, start, length in beats) notes, ``bars`` of 4/4."""
    clip = Clip(tuple(Note(p, t, d, 90) for p, t, d in notes), bars * 4.0, TimeSignature(4, 4))
    rows = clip_rows(clip)
    made = LoopHistory.of_seed(rows, steps_of(rows, BAR, Vocab())[1:], BAR, to_ticks(clip.length))
    assert made is not None
    return made


PAD = [(p, 4.0 * bar, 4.0) for bar, chord in enumerate([(57, 60, 64), (53, 57, 60)]) for p in chord]
"""Am F, a chord a bar held through it."""
STABS = [
    (p, 4.0 * bar + i + 0.5, 0.25)
    for bar, chord in enumerate([(57, 60, 64), (53, 57, 60)])
    for i in range(4)
    for p in chord
]
"""Am F struck on the four "and"s of each bar: house stabs."""
ALBERTI = [(p, 0.5 * i, 0.5) for i, p in enumerate([36, 43, 40, 43] * 2 + [31, 38, 35, 38] * 2)]
"""C2 G2 E2 G2, then G1 D2 B1 D2: a left hand's broken chords in eighths, a chord a bar."""
SPARSE = [(33, 0.0, 1.5), (40, 2.0, 1.5), (29, 4.0, 1.5), (36, 6.0, 1.5)]
"""A root on 1 and its fifth on 3: a sparse bass."""
