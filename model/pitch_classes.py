"""The clip's pitch classes: a pull of the network's pitch towards the clip's own.

Generating, a network hears its own notes rather than the composer's, and its
continuations wander from the seed's harmony: the bundled polyphonic model's,
four bars on, are further from the seed's pitch classes than Bach's are. So
before each pitch, the network's distribution is weighted by how common each
pitch class has been in the clip so far (the seed and what has been generated,
smoothed), raised to a fitted power ``beta``::

    p(pitch) ~ p_network(pitch) * share(pitch mod 12) ** beta

This is a geometric combination of a long-term model (the network) with a
short-term one (the clip's pitch-class counts), the other way IDyOM combines its
models (Pearce, 2005). ``beta`` is fitted on the validation split together with
the memory's weights (``segue.model.likelihood.fit_memory``), by likelihood, and
scales with the memory's strength (0 turns it off).
"""

from __future__ import annotations

import math
from typing import SupportsFloat

import numpy as np

PITCH_CLASSES = 12
SMOOTHING = 1.0  # counts added to every pitch class: a clip's first notes pull little
MAX_WEIGHT = 2.0
GRID = tuple(round(0.025 * i, 3) for i in range(41))
"""The weights :func:`segue.model.likelihood.fit_memory` tries: 0 to 1."""
_CLASS_OF_PITCH = np.arange(128) % PITCH_CLASSES


def every_octave(classes: np.ndarray) -> np.ndarray:
    """(..., 128): each pitch's value of ``classes`` (..., 12), its pitch class's: what
    ``np.tile(classes, 11)[:128]`` gives, as one lookup (a tenth of the time; a chord
    loop's turned voice asks it several times a step)."""
    return np.asarray(classes)[..., _CLASS_OF_PITCH]


def log_shares(counts: np.ndarray) -> np.ndarray:
    """Smoothed log-share of each pitch class (..., 12) from note counts (..., 12)."""
    c = np.asarray(counts, dtype=np.float64)
    return np.log((c + SMOOTHING) / (c.sum(axis=-1, keepdims=True) + PITCH_CLASSES * SMOOTHING))


def counts_of(pitches: np.ndarray) -> np.ndarray:
    """How many of the pitches fall in each pitch class: (12,)."""
    return np.bincount(
        np.asarray(pitches, dtype=np.int64) % PITCH_CLASSES, minlength=PITCH_CLASSES
    ).astype(np.float64)


def counts_before(pitches: np.ndarray) -> np.ndarray:
    """For each note of a clip, the pitch-class counts of the notes before it: (n, 12)."""
    p = np.asarray(pitches, dtype=np.int64)
    onehot = np.zeros((len(p), PITCH_CLASSES))
    onehot[np.arange(len(p)), p % PITCH_CLASSES] = 1.0
    return np.cumsum(onehot, axis=0) - onehot


def pitch_bias(counts: np.ndarray, weight: float) -> np.ndarray:
    """What to add to pitch logits (B, 128), given each row's pitch-class counts (B, 12).

    ``weight * log_shares(counts)`` less its normaliser, a constant per row that
    softmax (and so sampling) ignores: ``weight * log(counts + SMOOTHING)``.
    """
    counts = np.asarray(counts, dtype=np.float32)
    return (np.float32(weight) * np.log(counts + np.float32(SMOOTHING)))[..., _CLASS_OF_PITCH]


def class_probabilities(pitch_probs: np.ndarray) -> np.ndarray:
    """Probabilities over 128 pitches (..., 128) summed per pitch class: (..., 12)."""
    p = np.asarray(pitch_probs, dtype=np.float64)
    out = np.zeros(p.shape[:-1] + (PITCH_CLASSES,))
    for pc in range(PITCH_CLASSES):
        out[..., pc] = p[..., pc::PITCH_CLASSES].sum(axis=-1)
    return out


def biased_log_probs(
    log_probs: np.ndarray, classes: np.ndarray, shares: np.ndarray, own: np.ndarray, weight: float
) -> np.ndarray:
    """Log-probabilities of the true pitches under the pulled distribution.

    ``log_probs`` (n,): the network's, of each true pitch; ``classes`` (n, 12): the
    network's probability of each pitch class; ``shares`` (n, 12): the clip's log-shares
    before each note (:func:`log_shares`); ``own`` (n,): the log-share of the true
    pitch's class. Multiplying by ``share ** weight`` and normalising gives
    ``log p + weight * own - log sum_c P(c) share(c) ** weight``.
    """
    if weight == 0:
        return np.asarray(log_probs, dtype=np.float64)
    norm = np.log(np.maximum((np.asarray(classes) * np.exp(weight * shares)).sum(axis=-1), 1e-300))
    return np.asarray(log_probs, dtype=np.float64) + weight * np.asarray(own) - norm


def check_weight(value: SupportsFloat | str) -> float:
    """A stored pitch-class weight, checked: a number from 0 to :data:`MAX_WEIGHT`."""
    weight = float(value)
    if not (math.isfinite(weight) and 0 <= weight <= MAX_WEIGHT):
        raise ValueError(f"pitch_class_weight must be from 0 to {MAX_WEIGHT:g}, got {value!r}")
    return weight
