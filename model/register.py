"""The octave a model hears a clip in (:func:`octave_for`), and the octave a musician's pitch
range puts it in (:func:`into_range`).

A model plays the pitches it learnt: the melody model, asked by name to continue an
8th-note bassline around C2, answered two and a half octaves up, as its fiddle tunes lie.
Where a model would find the clip's pitches far likelier whole octaves away, it hears the
clip there, continues it there, and the continuation is moved back by as many octaves
(``segue.model.generate``): it plays its own kind of line, in the clip's register.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from segue.model.architecture import Network, Readings, per_weights
from segue.model.array_keys import array_key
from segue.model.vocab import Vocab, steps_of

OCTAVES = (-36, -24, -12, 12, 24, 36)
"""The moves that may be tried, in semitones: three octaves either way cover a bass heard
by a model of leads and a lead heard by a model of basses."""
OCTAVES_SLOT = "_segue_octaves"
"""Where a network keeps the octaves it heard its latest clips in (:func:`octave_for`)."""
HEARD_NOTES = 16
"""A clip's last notes that decide: a pass of the clip and its moves over 16 notes costs
3-6 ms of a request (one torch thread), over 32 twice that, and the figures below are as
clear with 16."""
REGISTER_GAIN = 2.0
"""Nats per note of the clip's pitches (the network alone) by which an octave must beat
the clip's own before the model hears it there: the clip's pitches over seven times
likelier, note for note. A model's own kind of music gains under 1.7 from any octave: 480
4-bar clips of each role of the producer model's idioms (two draws) at most 1.62, 312
Essen clips under the melody model 1.45, 175 Palestrina clips under the polyphonic one
0.85 (99th percentiles 0.56-1.38; helper-67 saw 1.69 on another draw of chords). A clip
outside a model's register gains far more: the melody model on an 8th-note bass around C2
15.2 -> 3.7 nats three octaves up, on segue's example bassline 15.6 -> 3.2, its chord
loop 8.8 -> 3.1 and its chorale 7.3 -> 2.8."""


def _span(low: int, high: int, move: int) -> tuple[int, int]:
    """The range ``low``-``high`` moved by ``move`` semitones, within 0-127."""
    return max(0, low + move), min(127, high + move)


def moves(rows: np.ndarray, low: int, high: int) -> list[int]:
    """The moves of :data:`OCTAVES` that keep every note of ``rows`` (grid rows: onset,
    pitch, ...) within 0-127 and leave at least an octave of the musician's range
    ``low``-``high`` (all of it, when narrower) for the continuation."""
    if not len(rows):
        return []
    lowest, highest = int(rows[:, 1].min()), int(rows[:, 1].max())
    need = min(12, high - low)
    out = []
    for move in OCTAVES:
        a, b = _span(low, high, move)
        if 0 <= lowest + move and highest + move <= 127 and b - a >= need:
            out.append(move)
    return out


@torch.inference_mode()
def pitch_surprise(
    model: Network,
    rows: np.ndarray,
    bar_ticks: int,
    tried: list[int],
    heard: np.ndarray | None = None,
) -> list[float]:
    """The network's mean loss per note of the pitches of ``rows`` (its last
    :data:`HEARD_NOTES`), moved by each of ``tried`` semitones, in one batch (``heard``:
    the steps of those notes, where read already)."""
    if heard is None:
        heard = steps_of(rows[-HEARD_NOTES:], bar_ticks, model.config.vocab)
    steps = shifted_steps(heard, tried)
    h, _ = model.encode(steps[:, :-1])
    after = steps[:, 1:]  # each note's pitch, told its offset and place in the bar
    logits = model.pitch_logits(model.after_offset(h, after[..., 0], after[..., 4])).float()
    losses = F.cross_entropy(logits.transpose(1, 2), after[..., 1], reduction="none")
    return losses.mean(dim=1).tolist()


def moved_steps(rows: np.ndarray, bar_ticks: int, vocab: Vocab, tried: list[int]) -> torch.Tensor:
    """(moves, n + 1, 5): the steps of grid ``rows`` moved by each of ``tried`` semitones,
    one batch for the network to hear them at every move in one pass."""
    return shifted_steps(steps_of(rows, bar_ticks, vocab), tried)


def shifted_steps(steps: np.ndarray, tried: list[int]) -> torch.Tensor:
    """:func:`moved_steps` from the rows' steps (n + 1, 5), read once: a move changes a
    step's pitch alone (its class is the pitch), not the start of the piece."""
    batch = np.repeat(steps[None], len(tried), axis=0)
    batch[:, 1:, 1] += np.asarray(tried, dtype=np.int64)[:, None]
    return torch.from_numpy(batch)


def into_range(rows: np.ndarray, low: int, high: int) -> int:
    """The semitones (whole octaves, 0: none) that move a clip's ``rows`` to the musician's
    range ``low``-``high`` when its median pitch lies outside it: as near as whole octaves
    take it, with the most of its notes inside (the reel under 30-50: three octaves down,
    31-45, not two, 43-57, helper-67), every note still within 0-127. The reel at 67-81
    under --low 30 --high 50 was continued as one pitch, 50, 32 notes of 32: the network's
    pitches were all cut but the range's edge (helper-62)."""
    if not len(rows):
        return 0
    median = float(np.median(rows[:, 1]))
    if low <= median <= high:
        return 0
    lowest, highest = int(rows[:, 1].min()), int(rows[:, 1].max())

    def away(move: int) -> tuple[float, float, int]:
        at = median + move
        inside = np.mean((rows[:, 1] + move >= low) & (rows[:, 1] + move <= high))
        return max(low - at, at - high, 0.0), -float(inside), abs(move)

    fits = [m for m in range(-120, 121, 12) if 0 <= lowest + m and highest + m <= 127]
    return min(fits, key=away) if fits else 0


def octave_for(model: Network, rows: np.ndarray, bar_ticks: int, low: int, high: int) -> int:
    """The semitones (whole octaves, 0: none) to move a clip's ``rows`` by for ``model`` to
    hear it where it knows the clip's pitches best, where that gains :data:`REGISTER_GAIN`;
    0 for a drum model, whose notes are pads. Every move is heard, in one pass: next to a
    clip three octaves out of a model's register both neighbouring octaves are as hopeless
    as its own (13-17 nats), and a search that went by the nearer one went the wrong way
    (a half-note bass at 24-31 under the melody model: one octave down, and its notes came
    back at 80-94, helper-67). A clip heard before with the same range (its next takes) is
    not heard again (``architecture.Readings``, kept with the weights), nor is one edited
    only where it is not heard: before its last :data:`HEARD_NOTES` notes, leaving it the
    same moves (a new clip in Live, every note of a long one but the last 16 as it was)."""
    if model.config.drums:
        return 0
    heard = per_weights(model, OCTAVES_SLOT, Readings)
    steps = steps_of(rows[-HEARD_NOTES:], bar_ticks, model.config.vocab)  # what is heard
    return heard(
        (array_key(steps), tuple(moves(rows, low, high)), low, high),
        lambda: _octave_for(model, rows, bar_ticks, low, high, steps),
    )


def _octave_for(
    model: Network,
    rows: np.ndarray,
    bar_ticks: int,
    low: int,
    high: int,
    steps: np.ndarray | None = None,
) -> int:
    """:func:`octave_for`, heard afresh (``steps``: the notes heard, read already)."""
    allowed = moves(rows, low, high)
    if not allowed:
        return 0
    own, *heard = pitch_surprise(model, rows, bar_ticks, [0, *allowed], steps)
    best = min(range(len(allowed)), key=lambda i: (heard[i], abs(allowed[i])))
    return allowed[best] if own - heard[best] >= REGISTER_GAIN else 0
