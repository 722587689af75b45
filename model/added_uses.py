"""Where and how a clip plays the notes its key lock adds to the scale (``Key.extra``): the
place in the bar of each onset (:func:`places_of`), and for each added pitch class where the
clip strikes it, the step it resolves by and how long it holds it (:func:`added_uses`), which
``segue.model.added_notes`` has a take play alike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from segue.model.keys import Key
from segue.notes import Note

PLACES = ("downbeat", "beat", "eighth", "off")
"""Where in its bar a note is struck (:func:`places_of`), as a musician hears its weight: on
the bar's downbeat, on another beat, on an eighth's off-beat, elsewhere (a 16th's or a
triplet's)."""
STEP = 2
"""The widest step (semitones) by which an added note resolves to its key's note
(:func:`added_uses`): a half or a whole step, F# up to G or down to F, Eb down to D."""


def places_of(starts: np.ndarray, bar: float) -> np.ndarray:
    """The index in :data:`PLACES` of each onset ``starts`` (beats from the first downbeat)
    in a ``bar``-beat bar."""
    starts = np.asarray(starts, dtype=np.float64)
    at = np.mod(starts, bar)
    down = (at < 1e-6) | (bar - at < 1e-6)
    beat = np.mod(at, 1.0)
    on_beat = (beat < 1e-6) | (1.0 - beat < 1e-6)
    eighth = np.abs(beat - 0.5) < 1e-6
    return np.where(down, 0, np.where(on_beat, 1, np.where(eighth, 2, 3)))


@dataclass(frozen=True, slots=True)
class AddedUse:
    """How a clip plays one of the notes its key lock adds to the scale (``Key.extra``)."""

    places: frozenset[int]
    """Where in the bar it strikes it (indices of :data:`PLACES`)."""
    steps: frozenset[int] | None
    """The steps (semitones, signed) it moves on by to a note of the scale, struck alone
    after it; None where it plays the note otherwise too (in a chord, leaping on from it)."""
    longest: float
    """The longest it holds the note (beats)."""


def added_uses(
    notes: list[Note] | tuple[Note, ...], key: Key, bar: float = 4.0, downbeat: float = 0.0
) -> dict[int, AddedUse]:
    """How ``notes`` (a clip; its loop goes round) play each of ``key``'s added pitch classes
    (``Key.extra``, the clip's own notes out of the scale ``--key auto`` chose): where in
    the bar (:func:`places_of`, the bars from the first ``downbeat``), what step it
    resolves by to the scale's next note, how long it is held. A C major line's F# passing
    from G down to F on the and of 3, a bass's F# approach into G on the last 8th of a bar,
    a blues riff's Eb falling to D: the lock holds them (:func:`lock_key`), and the clip
    says in what way; a take plays them that way (``segue.model.added_notes``). An
    Andalusian pad's G#, in its E chord on the downbeat, is a chord's note: no step."""
    scale = Key(key.tonic, key.mode).pitch_classes()
    onsets = sorted({n.start for n in notes})
    struck: dict[float, list[int]] = {}
    for n in notes:
        struck.setdefault(n.start, []).append(n.pitch)
    out: dict[int, AddedUse] = {}
    for pitch_class in sorted(key.extra):
        own = [n for n in notes if n.pitch % 12 == pitch_class]
        if not own:
            continue
        places = places_of(np.array([n.start - downbeat for n in own]), bar)
        steps: set[int] | None = set()
        for n in own:
            after = struck[onsets[(onsets.index(n.start) + 1) % len(onsets)]]
            step = after[0] - n.pitch if len(after) == 1 else 0
            alone = len(struck[n.start]) == 1 and len(onsets) > 1
            if steps is None or not (alone and 0 < abs(step) <= STEP and after[0] % 12 in scale):
                steps = None
            else:
                steps.add(step)
        out[pitch_class] = AddedUse(
            frozenset(int(p) for p in places),
            None if steps is None else frozenset(steps),
            max(n.duration for n in own),
        )
    return out
