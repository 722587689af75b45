"""Where a loop changes key (:func:`key_spans`): its bars in runs of :data:`KEY_SPAN_BARS` or
more, each held by one of the seven-note scales ``--key auto`` chooses among and none by the
scale of the run before, which ``segue.model.takes`` turns each run of a take in."""

from __future__ import annotations

from collections.abc import Sequence

from segue.model.keys import SCALES
from segue.model.lock_scales import LOCK_SCALES

KEY_SPAN_BARS = 2
"""The fewest bars of a loop in which a key of its own is heard (:func:`key_spans`): two
bars of C G/B Am F, then two of D A/C# Bm G, are a loop that goes up a tone; one bar of
no scale of its own (a walking bass's chromatic approaches) is none."""


_LOCK_SETS = tuple(
    frozenset((tonic + step) % 12 for step in SCALES[mode])
    for mode in LOCK_SCALES
    for tonic in range(12)
)
"""The pitch classes of each of the :data:`LOCK_SCALES` on each tonic."""


def _in_one_scale(classes: set[int]) -> bool:
    """Whether one of the :data:`LOCK_SCALES` on some tonic holds every pitch class."""
    return any(classes <= scale for scale in _LOCK_SETS)


def key_spans(bars: Sequence[set[int]]) -> list[list[int]] | None:
    """Where a loop changes key: its bars (the pitch classes each plays, in order; the loop
    goes round) in runs of :data:`KEY_SPAN_BARS` or more, each held by one seven-note scale
    (:data:`LOCK_SCALES`) and none by the scale of the run before, where no scale holds
    the whole loop (a loop that goes from C major to D major, its F to F#); None for a loop
    in one key, or one whose bars no such runs cover (a walking bass's chromatic bars). A
    run may go round the loop's end (its last bar and its first)."""
    count = len(bars)
    if count < 2 * KEY_SPAN_BARS or _in_one_scale(set().union(*bars)):
        return None
    for start in range(count):
        spans: list[list[int]] = []
        held: set[int] = set()
        for bar in ((start + i) % count for i in range(count)):
            if spans and _in_one_scale(held | bars[bar]):
                spans[-1].append(bar)
                held |= bars[bar]
            elif _in_one_scale(bars[bar]):
                spans.append([bar])
                held = set(bars[bar])
            else:
                return None  # a bar of no scale: no run holds it, from any start
        if len(spans) > 1 and all(len(span) >= KEY_SPAN_BARS for span in spans):
            return spans
    return None
