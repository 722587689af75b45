"""The clip's own timing off the grid: a repeated note plays where the clip's note did.

The model counts time in ticks (24 a beat, ``segue.grid``), and a clip's notes are
snapped to them. A swing between the ticks (16ths at 54%, 62%) or a played take's
timing came back moved to the grid in every repeat: 54% swing as straight 16ths, a
bass played 15 ms around the beat spread to 19 ms. Here a continuation's note that
falls where a clip note falls in the loop, on its pitch, takes that note's offset from
the grid, and its end's when it is as long as the clip's note (in ticks). Notes of the
continuation's own stay on the grid.
"""

from __future__ import annotations

from collections.abc import Iterable

from segue.grid import TICKS_PER_BEAT, to_beats, to_ticks
from segue.notes import Note

FLOAT_NOISE = 1e-6
"""Beats off the grid that are a float's rounding, not a feel (1/3 sent as float32 is
0.33333334): 0.0005 ms at 120 BPM."""
Feel = dict[tuple[int, int], tuple[float, float, int]]
"""(onset tick, pitch) of a clip note -> (its start's and its end's offset from the grid in
beats, its length in ticks), for the notes that lie off the grid."""


def clip_feel(notes: Iterable[Note], ticks_per_beat: int = TICKS_PER_BEAT) -> Feel:
    """The clip notes that lie off the grid, as :data:`Feel` (snapped as
    ``segue.grid.grid_rows`` snaps them: of notes on one tick and pitch, the longest)."""
    feel: Feel = {}
    for note in sorted(notes, key=lambda n: -n.duration):
        start = to_ticks(note.start, ticks_per_beat)
        end = to_ticks(note.start + note.duration, ticks_per_beat)
        length = max(end - start, 1)
        early = note.start - start / ticks_per_beat
        late = note.start + note.duration - (start + length) / ticks_per_beat
        if (start, note.pitch) not in feel and (
            abs(early) > FLOAT_NOISE or abs(late) > FLOAT_NOISE
        ):
            feel[(start, note.pitch)] = (early, late, length)
    return feel


def felt(
    onset: int,
    pitch: int,
    duration: int,
    feel: Feel,
    clip_end: int,
    loop: int,
    span: float | None,
) -> tuple[float, float] | None:
    """The start and length (beats from the clip's end) of a continuation's note at
    ``onset`` (ticks), played as the clip note at its place in the ``loop`` (ticks) does;
    None for a note with no such clip note off the grid. ``span``: the continuation's
    length (beats), which the note keeps within."""
    if onset < clip_end or loop <= 0:
        return None
    place = clip_end - loop + (onset - clip_end) % loop
    found = feel.get((place, pitch))
    if found is None:
        return None
    early, late, length = found
    start = max(to_beats(onset - clip_end) + early, 0.0)
    end = to_beats(onset + duration - clip_end) + (late if duration == length else early)
    if span is not None:
        end = min(end, span)
    return (start, end - start) if end - start > 1e-6 else None
