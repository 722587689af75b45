"""A tuned model that hears the song's key: the network as a mixture over transpositions (#18).

A network has key preferences: tuning moves each window by a few semitones at random, and a
song still scores differently in different keys. A model with :attr:`ModelConfig.transpositions
<segue.model.architecture.ModelConfig.transpositions>` is the mixture of its network over those
moves, each as likely as the others before a note is heard: the probability of a piece is the
mean of the network's probability of the piece moved by each, ``log p = logsumexp_t log
p(T_t piece) - log S``. Note by note, and field by field (offset, pitch, duration, velocity,
as the network chains them), that is the network at each move weighted by how well it heard
the notes before at that move (:func:`carried`): the posterior concentrates on the move the
network hears the piece best at as the notes come, and the losses sum to the mixture's.

Generation plays the mixture's likeliest move (:func:`heard_shift`): the seed heard at every
move in one pass of the network, continued at the move its notes are likeliest at, and the
continuation moved back (``segue.model.generate``): the clip's own key and register. What
reads the network alone reads it as it is: ``auto``'s choice of a model, the octave a clip is
heard in (``segue.model.register``), the tuning's own held-out loss, memory and calibration.

Measured (a tuned model's NLL per note with its clip memory, ``segue eval``'s; my own splits,
the tuning's held-out pieces choosing the moves): 100 Essen songs tuned on and 100 others,
two tuning seeds 2.340 -> 2.313 and 2.318 -> 2.286, another split 2.415 -> 2.372; Palestrina
(the polyphonic model tuned on 60 pieces, 40 others) 2.844 -> 2.815. The set the tuning moves
its windows by (``TuneSettings.transpose``, -5..+6) scored the tunings' own held-out pieces
best of it, -6..+5 and priors that favour no move (1/4, 1/2 or 3/4 on it) on the Essen songs
(by up to 0.007 nats per note), and within 0.0002 of the best on Palestrina and LMMS.
``segue tune`` turns the mixture on only where its held-out pieces score better with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F

from segue.model.architecture import Network, Readings, per_weights
from segue.model.array_keys import array_key
from segue.model.register import moved_steps
from segue.model.training.batches import EncodedPieces
from segue.model.vocab import FIELDS, steps_of

PITCH = FIELDS.index("pitch")
HEARD_SLOT = "_segue_transpositions"
"""Where a network keeps the moves it heard its latest seeds at (:func:`heard_shift`)."""
HEARD_NOTES = 64
"""A seed's last notes that :func:`heard_shift` hears: a key is heard over bars, not a
phrase, and a pass of 12 moves over 64 notes costs a few ms of a request."""


def shift_range(low: int, high: int) -> tuple[int, ...]:
    """The moves ``low``..``high`` semitones, both included (a tuning's ``transpose``)."""
    return tuple(range(low, high + 1))


def shifted_data(data: EncodedPieces, semitones: int) -> tuple[EncodedPieces, np.ndarray]:
    """``data`` with every note moved by ``semitones`` (the BOS steps as they are), and,
    per note row (``data.piece_steps(i)[1:]`` of each piece in turn), whether the move took
    it off the keyboard (0-127): such a note is impossible at that move; it is kept at the
    edge so the network still reads the piece."""
    steps = data.steps.copy()
    notes = np.ones(len(steps), dtype=bool)
    notes[data.starts] = False
    steps[notes, 1], off = on_the_keyboard(steps[notes, 1], semitones)
    return replace(data, steps=steps), off


def shifted_rows(rows: np.ndarray, semitones: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid rows (onset, pitch, ...) moved by ``semitones``, kept on the keyboard, and
    which notes the move took off it (as :func:`shifted_data`)."""
    out = np.array(rows, dtype=np.int64, copy=True)
    out[:, 1], off = on_the_keyboard(out[:, 1], semitones)
    return out, off


def on_the_keyboard(pitches: np.ndarray, semitones: int) -> tuple[np.ndarray, np.ndarray]:
    """``pitches`` moved by ``semitones`` and kept within 0-127, and which the move took off
    the keyboard (those are kept at its edge)."""
    moved = pitches + semitones
    return np.clip(moved, 0, 127), (moved < 0) | (moved > 127)


def impossible(losses: np.ndarray, off: np.ndarray) -> np.ndarray:
    """(n, F) losses with the pitch of each note ``off`` the keyboard at its move made
    impossible (infinite loss): the move's probability of the piece is 0 from there on."""
    out = np.array(losses, dtype=np.float64, copy=True)
    out[off, PITCH] = np.inf
    return out


def _logsumexp(a: np.ndarray, axis: int = 0) -> np.ndarray:
    """log(sum(exp(a))) along ``axis``, -inf where every term is -inf."""
    top = np.max(a, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.squeeze(top, axis) + np.log(np.exp(a - top).sum(axis=axis))


def carried(losses: np.ndarray) -> np.ndarray:
    """The mixture's (n, F) losses from the network's (S, n, F) at each of S moves (each move
    1/S before a note is heard): each field's loss under the network at every move weighted
    by its posterior, the fields before it heard (note by note, then offset, pitch, duration
    and velocity, as the network chains them). They sum to ``-(logsumexp_t -sum(losses[t])
    - log S)``, the mixture's loss of the whole piece."""
    count, notes, fields = losses.shape
    flat = np.asarray(losses, dtype=np.float64).reshape(count, notes * fields)
    heard = np.concatenate([np.zeros((count, 1)), -np.cumsum(flat, axis=1)[:, :-1]], axis=1)
    heard -= math.log(count)
    with np.errstate(invalid="ignore"):
        out = _logsumexp(heard, axis=0) - _logsumexp(heard - flat, axis=0)
    return out.reshape(notes, fields)


def mixture_losses(
    shifts: Sequence[int], losses_at: Callable[[int], list[np.ndarray]]
) -> list[np.ndarray]:
    """Each piece's (n, F) losses under the mixture over ``shifts`` (:func:`carried`), from
    ``losses_at(shift)``: every piece's (n, F) losses at that move (a note impossible there
    :func:`impossible`)."""
    at = [losses_at(s) for s in shifts]
    return [carried(np.stack([a[i] for a in at])) for i in range(len(at[0]))] if at else []


def allowed_shifts(rows: np.ndarray, shifts: Sequence[int]) -> list[int]:
    """The moves of ``shifts`` that keep every note of ``rows`` on the keyboard."""
    if not len(rows):
        return [0] if 0 in shifts else []
    lowest, highest = int(rows[:, 1].min()), int(rows[:, 1].max())
    return [s for s in shifts if 0 <= lowest + s and highest + s <= 127]


@torch.inference_mode()
def seed_losses(model: Network, rows: np.ndarray, bar_ticks: int, tried: list[int]) -> list[float]:
    """The network's loss (nats, its four fields, summed over the notes) of ``rows``' last
    :data:`HEARD_NOTES` notes moved by each of ``tried`` semitones, in one batch."""
    steps = moved_steps(rows[-HEARD_NOTES:], bar_ticks, model.config.vocab, tried)
    inputs, targets = steps[:, :-1], steps[:, 1:]
    logits = model(inputs, targets)
    total = torch.zeros(len(tried))
    for column, name in enumerate(FIELDS):
        loss = F.cross_entropy(
            logits[name].float().transpose(1, 2), targets[..., column], reduction="none"
        )
        total += loss.sum(dim=1)
    return total.tolist()


def heard_shift(model: Network, rows: np.ndarray, bar_ticks: int) -> int:
    """The move (semitones, 0: none) of a model's :attr:`transpositions
    <segue.model.architecture.ModelConfig.transpositions>` that the mixture finds likeliest
    for a seed's ``rows`` (grid rows), the network alone hearing its last
    :data:`HEARD_NOTES` notes at each move (ties: the smaller move); 0 for a model without
    the mixture or a seed without notes. A seed heard before is not heard again (kept with
    the weights, as ``segue.model.register.octave_for`` keeps its octaves)."""
    shifts = model.config.transpositions
    if not shifts or not len(rows) or model.config.drums:
        return 0
    heard = per_weights(model, HEARD_SLOT, Readings)
    steps = steps_of(rows[-HEARD_NOTES:], bar_ticks, model.config.vocab)
    tried = allowed_shifts(rows, shifts)
    return heard(
        (array_key(steps), tuple(tried)), lambda: _likeliest(model, rows, bar_ticks, tried)
    )


def _likeliest(model: Network, rows: np.ndarray, bar_ticks: int, tried: list[int]) -> int:
    """:func:`heard_shift`, heard afresh."""
    if len(tried) < 2:
        return 0
    losses = seed_losses(model, rows, bar_ticks, tried)
    best = min(range(len(tried)), key=lambda i: (losses[i], abs(tried[i]), tried[i]))
    return tried[best]
