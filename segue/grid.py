"""The model's time grid: beats quantized to a fixed number of ticks per beat.

24 ticks per beat makes 16ths (6), 32nds (3), 8th-note triplets (8) and
16th-note triplets (4) exact. Times that arrive as float32 over OSC (1/3 as
0.33333334) snap to the nearest tick, so they land where the musician put them.
"""

from __future__ import annotations

import math

from segue.notes import Clip, Note

TICKS_PER_BEAT = 24


def to_ticks(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> int:
    """Nearest grid tick to a time in beats (halves round away from zero)."""
    scaled = beats * ticks_per_beat
    return int(math.floor(scaled + 0.5)) if scaled >= 0 else -int(math.floor(-scaled + 0.5))


def to_beats(ticks: int, ticks_per_beat: int = TICKS_PER_BEAT) -> float:
    return ticks / ticks_per_beat


def snap(beats: float, ticks_per_beat: int = TICKS_PER_BEAT) -> float:
    """A time in beats moved to the nearest grid tick."""
    return to_beats(to_ticks(beats, ticks_per_beat), ticks_per_beat)


def is_on_grid(beats: float, ticks_per_beat: int = TICKS_PER_BEAT, tolerance: float = 1e-6) -> bool:
    return abs(beats * ticks_per_beat - to_ticks(beats, ticks_per_beat)) <= tolerance


def snap_note(note: Note, ticks_per_beat: int = TICKS_PER_BEAT) -> Note:
    """The note with start and duration on the grid; a duration never snaps below one tick."""
    start = to_ticks(note.start, ticks_per_beat)
    duration = max(1, to_ticks(note.end, ticks_per_beat) - start)
    return Note(note.pitch, to_beats(start, ticks_per_beat), to_beats(duration, ticks_per_beat),
                note.velocity)


def snap_clip(clip: Clip, ticks_per_beat: int = TICKS_PER_BEAT) -> Clip:
    """The clip with every note on the grid; identical notes that collide are merged."""
    notes = {snap_note(n, ticks_per_beat) for n in clip.notes}
    return Clip(tuple(notes), clip.length, clip.time_signature)
