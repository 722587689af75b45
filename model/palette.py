"""The clip's palette: the offsets, pitches and lengths a clip uses, mixed into the network.

A model learns the music it was trained on; a musician's clip may use rhythms, voicings
and note lengths it never saw (a pad's five-note chords held for two bars, a lead's
dotted eighths). Where the network plays something of its own (a note that does not
repeat the loop or copy the clip memory), each of the note's offset, pitch and duration
is drawn from a mixture: the network's distribution and the clip's palette, the share
of each class among the clip's notes so far (smoothed by :data:`SMOOTHING`).

How much of the palette a clip gets is fitted on the clip itself, at request time: the
weights that make the seed's own notes (teacher-forced, each given the notes before it)
likeliest, by EM (:func:`fit_weights`). A clip like the model's own material gets
weights near 0 and the network as it is; a clip the network finds foreign leans on its
own palette. Only the seed decides, so a likelihood measured on what follows the seed
is an honest one.

Measured on the producer model (NLL per note, offset + pitch + duration, bars 5-8 given
bars 1-4): LMMS producers' chord windows 4.09 -> 2.06, bass 1.56 -> 1.55, leads 2.96 ->
2.44; its own validation windows 1.19 -> 1.17 (``benchmarks/bench_producer.py``, the
model card).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from segue.model.architecture import Stepper
from segue.model.vocab import Vocab

FIELDS = ("offset", "pitch", "duration")
"""The fields a palette mixes into, in the order of a note step's columns."""
SMOOTHING = 0.5
"""Counts of prior, spread evenly over a field's classes (a class the clip has not used
keeps a little of the palette's mass)."""
FIRST_FITTED = 1
"""The seed's first note only feeds the palette (nothing came before it to share). Every
later note fits the weights, by plain maximum likelihood: on the producer model's 507
validation windows that beat leaving out the first 2 notes or putting a Beta prior of half
a note or a note on each side of each weight (1.172 nats per note against 1.173-1.181)."""
FITTED_NOTES = 96
"""At most the seed's last this many notes fit the weights (the cost stays under a
millisecond or two; a longer clip says no more)."""
LARGEST = 0.95
"""The network always keeps some of its say."""
ROUNDS = 40
"""EM's rounds: enough to settle on a few hundred notes."""


def sizes(vocab: Vocab) -> tuple[int, int, int]:
    return vocab.n_offset, vocab.n_pitch, vocab.n_duration


def shares_before(values: np.ndarray, size: int) -> np.ndarray:
    """For each of a clip's notes (field classes ``values``, (n,)), the palette's probability
    of its own class given the notes before it: ``(count + SMOOTHING / size) / (i +
    SMOOTHING)``."""
    values = np.asarray(values, dtype=np.int64)
    return shares_of(values[:, None], values, 0, size)


def fit_weights(network: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Per field, the mixture weight of the palette that maximises the likelihood of the
    notes whose probabilities under the network and the palette are ``network`` and
    ``palette`` (n, 3), by EM; zeros without notes."""
    network = np.asarray(network, dtype=np.float64)
    palette = np.asarray(palette, dtype=np.float64)
    if not len(network):
        return np.zeros(len(FIELDS))
    weights = np.full(len(FIELDS), 0.5)
    for _ in range(ROUNDS):
        ours = weights * palette
        weights = (ours / np.maximum(ours + (1 - weights) * network, 1e-300)).mean(axis=0)
    return np.clip(weights, 0.0, LARGEST)


def seed_weights(notes: np.ndarray, network: np.ndarray, vocab: Vocab) -> np.ndarray:
    """The palette's weights for a clip: ``notes`` are its notes' classes (n, >=3: offset,
    pitch, duration), ``network`` the probabilities the network gave those fields of its
    last ``len(network)`` notes, each note given the ones before it (m, 3)."""
    notes = np.asarray(notes, dtype=np.int64)
    palette = np.stack(
        [shares_before(notes[:, f], size) for f, size in enumerate(sizes(vocab))], axis=1
    )
    network = np.asarray(network, dtype=np.float64)
    fitted = min(len(network), max(0, len(notes) - FIRST_FITTED), FITTED_NOTES)
    return fit_weights(network[len(network) - fitted :], palette[len(notes) - fitted :])


def shares_of(notes: np.ndarray, classes: np.ndarray, field: int, size: int) -> np.ndarray:
    """For each note ``i`` of a clip (``notes`` (n, >=3) classes), the palette's probability
    of ``classes[i]`` in ``field`` given the notes before it."""
    values = np.asarray(notes, dtype=np.int64)[:, field]
    onehot = np.zeros((len(values), size))
    onehot[np.arange(len(values)), values] = 1.0
    before = np.cumsum(onehot, axis=0) - onehot
    chosen = before[np.arange(len(values)), np.asarray(classes, dtype=np.int64)]
    return (chosen + SMOOTHING / size) / (np.arange(len(values)) + SMOOTHING)


def palette_log_probs(
    notes: np.ndarray,
    classes: np.ndarray,
    field: int,
    weight: float,
    network: np.ndarray,
    vocab: Vocab,
) -> np.ndarray:
    """The mixture's log-probability of ``classes`` (n,) in ``field`` at each note of a clip,
    from the network's (``network``, (n,) log-probabilities)."""
    share = shares_of(notes, classes, field, sizes(vocab)[field])
    return np.log((1 - weight) * np.exp(np.asarray(network, dtype=np.float64)) + weight * share)


def mixed_log_probs(
    notes: np.ndarray, network: np.ndarray, weights: np.ndarray, vocab: Vocab
) -> np.ndarray:
    """The mixture's log-probabilities (n, 3) of a clip's own offsets, pitches and durations,
    from the network's (``network`` (n, 3))."""
    notes = np.asarray(notes, dtype=np.int64)
    return np.stack(
        [
            palette_log_probs(notes, notes[:, f], f, float(weights[f]), network[:, f], vocab)
            for f in range(len(FIELDS))
        ],
        axis=1,
    )


@torch.inference_mode()
def network_probabilities(net: Stepper, steps: np.ndarray, h: torch.Tensor) -> np.ndarray:
    """The probabilities a network gave each note's offset, pitch and duration (n, 3),
    teacher-forced, through its generation ``net`` from its outputs ``h`` (n, H) after the
    step before each note (``steps`` (n + 1, 5): the step before the first, then the notes)."""
    notes = np.asarray(steps[1:], dtype=np.int64)
    pre = net.begin(h)
    ctx = net.after_offset(pre, notes[:, 0], notes[:, 4])
    duration = net.duration_logits(ctx, notes[:, 1], steps[:-1, 3])  # no velocity: not read
    logits = (net.offset_logits(pre), net.pitch_logits(ctx), duration)
    rows = np.arange(len(notes))
    out = np.empty((len(notes), len(FIELDS)))
    for f, z in enumerate(logits):
        z = z - z.max(axis=1, keepdims=True)
        out[:, f] = np.exp(z[rows, notes[:, f]]) / np.exp(z).sum(axis=1)
    return out


def mix(logits: np.ndarray, counts: np.ndarray, weight: float) -> np.ndarray:
    """Log-probabilities of the mixture of the distribution of ``logits`` (rows, size) with
    the palette of ``counts`` (rows, size) at ``weight``."""
    if weight <= 0:
        return logits
    size = counts.shape[1]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p *= (1 - weight) / p.sum(axis=1, keepdims=True)
    p += (weight / (counts.sum(axis=1, keepdims=True) + SMOOTHING)) * (counts + SMOOTHING / size)
    return np.log(p)


@dataclass
class PaletteRows:
    """The palette of each variation of a batch while it is generated: class counts per
    field and the clip's weights."""

    weights: np.ndarray  # (3,)
    counts: list[np.ndarray]  # per field, (rows, size)

    def __post_init__(self) -> None:
        self._rows = np.arange(len(self.counts[0]) if self.counts else 0)  # made once

    @classmethod
    def of_seed(
        cls, steps: np.ndarray, weights: np.ndarray, vocab: Vocab, rows: int
    ) -> PaletteRows:
        """The palettes of ``rows`` variations of a clip whose notes' classes are ``steps``
        (n, >=3), with the clip's fitted ``weights``."""
        steps = np.asarray(steps, dtype=np.int64)
        counts = [
            np.repeat(np.bincount(steps[:, f], minlength=size)[None].astype(np.float32), rows, 0)
            for f, size in enumerate(sizes(vocab))
        ]
        return cls(np.asarray(weights, dtype=np.float64), counts)

    def mixed(self, field: int, logits: np.ndarray, drawing: np.ndarray) -> np.ndarray:
        """``logits`` of one field for every row, with the palette mixed in; left as they are
        when no row is ``drawing`` from them (every row copies: a step saves the work)."""
        if not drawing.any():
            return logits
        return mix(logits, self.counts[field], float(self.weights[field]))

    def push(self, fields: np.ndarray, live: np.ndarray) -> None:
        """Each live row's new note (fields (rows, >=3) classes) joins its palette."""
        for f, counts in enumerate(self.counts):
            counts[self._rows, fields[:, f]] += live
