"""The classes a varied note of a loop keeps to, read of each bar of the loop
(:func:`loop_classes`): where the loop changes key (``key_spans``), those of the run of bars a
bar lies in (a chord loop's own there, a line's key there), else the whole loop's; of a line,
its key's scale alone, and the notes out of it that the loop plays at each place. What
``LoopClasses.at`` answers from (``takes.Turns.classes_at``)."""

from __future__ import annotations

import numpy as np

from segue.grid import TICKS_PER_BEAT
from segue.model.key_spans import key_spans
from segue.model.keys import Key
from segue.model.loop_classes import LoopClasses
from segue.model.loop_reading import LoopReading, chord_classes, loop_notes
from segue.model.turn_pitches import line_key, sounded


def loop_classes(read: LoopReading) -> LoopClasses:
    """The classes of each bar of the ``read`` loop (its key's where the loop changes key)
    and, of a line, the notes out of its scale that the loop plays at each place, by place:
    read of the loop alone, and shared by every request's copy of a clip's turns."""
    bar_classes, passing = (
        _in_keys(read) if read.classes is not None else (np.zeros((0, 12), dtype=bool), {})
    )
    return LoopClasses(read.classes, bar_classes, passing, read.bar, read.shift, read.clip_end)


def _in_keys(read: LoopReading) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Each bar's classes of the loop, (bars, 12) bool, and of a line (no chord loop) the
    classes out of them that the loop plays at each place (place -> (12,) bool). Where the
    loop changes key (:func:`key_spans`) a bar's classes are those of the run of bars it
    lies in (a chord loop's own there, a line's key there), else the whole loop's; of a line,
    its key's scale alone (the whole loop's: ``read.whole``, read once for it)."""
    loop, pitches, line = read.onsets, read.pitches, read.intervals is None
    count = max(1, -(-read.shift // read.bar))
    bar_of = loop // read.bar
    spans = key_spans([set((pitches[bar_of == b] % 12).tolist()) for b in range(count)])
    bar_classes = np.zeros((count, 12), dtype=bool)
    for span in spans or [list(range(count))]:
        inside = np.isin(bar_of, span)
        if not line:
            bar_classes[span] = chord_classes(pitches[inside])
        elif not spans:  # the whole loop, whose key is read already
            bar_classes[span] = _scale_of(read.whole)
        else:
            at = (bar_of[inside] - span[0]) % count * read.bar + loop[inside] % read.bar
            key = line_key(  # the run's notes, from its first bar, as they sound
                sounded(loop_notes(at, pitches[inside], read.lengths[inside]), read.shape),
                bar=read.bar / TICKS_PER_BEAT,
            )
            bar_classes[span] = _scale_of(key)
    return bar_classes, _passing(read, bar_classes) if line else {}


def _scale_of(key: Key | None) -> np.ndarray:
    """(12,) bool: the classes of ``key``'s scale, without the line's notes out of it (none
    for no key)."""
    classes = np.zeros(12, dtype=bool)
    if key is not None:
        classes[sorted(key.pitch_classes() - key.extra)] = True
    return classes


def _passing(read: LoopReading, bar_classes: np.ndarray) -> dict[int, np.ndarray]:
    """Of a line, the classes out of its bars' ``bar_classes`` that the loop plays at each
    place (place -> (12,) bool)."""
    passing: dict[int, np.ndarray] = {}
    for place in np.unique(read.onsets).tolist():
        out = np.zeros(12, dtype=bool)
        played = read.pitches[read.onsets == place] % 12
        out[played[~bar_classes[place // read.bar][played]]] = True
        if out.any():
            passing[place] = out
    return passing
