"""Choosing one class per row of logits: temperature, top-k and top-p, the one sampler of segue.

segue's generation and the evaluation's baselines both sample through
:class:`Sampler`, so a control added here reaches every way of continuing a clip.

It runs in numpy: on arrays this small its operations cost a microsecond or two
where torch's cost several, and a generation step samples three times.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Sampler:
    """How to choose: ``temperature`` 0 always takes the likeliest class; ``top_k`` keeps the
    ``top_k`` likeliest classes (0: all); ``top_p`` keeps the likeliest classes that make up
    that share of the probability (of those ``top_k`` kept)."""

    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0

    @classmethod
    def of(cls, settings: Any) -> Sampler:
        """The sampler that generation ``settings`` (any object with these attributes, such as
        ``GenerationParams``) ask for: a control added here is read from the settings of the
        same name."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})

    def __call__(
        self, logits: np.ndarray, allowed: np.ndarray | None, rng: np.random.Generator
    ) -> np.ndarray:
        """One class per row of (rows, classes) ``logits`` (or log-probabilities), among the
        ``allowed`` ones (every row must allow at least one; None allows all).

        Top-k keeps the classes at least as likely as the k-th likeliest, found by a
        partition (classes equal to it are all kept, so no index is favoured); 0 costs
        nothing. Top-p sorts the weights (not their indices) to find the smallest weight
        that the likeliest ``top_p`` of the mass needs, then samples among the classes at
        least that likely, in class order: exact, without an argsort. When the
        likeliest class alone holds ``top_p`` in every row (its weight is 1 after the
        shift by the maximum), it is the answer, which is often so for offsets.
        """
        z = logits
        if allowed is not None:
            z = np.where(allowed, z, -np.inf)
        if self.temperature == 0:
            return z.argmax(axis=-1)
        weights = np.exp((z - z.max(axis=-1, keepdims=True)) * (1.0 / self.temperature))
        if 0 < self.top_k < weights.shape[-1]:
            kth = np.partition(weights, -self.top_k, axis=-1)[:, -self.top_k, None]
            weights = np.where(weights >= kth, weights, 0.0)
        if self.top_p < 1.0:
            needed = self.top_p * weights.sum(axis=-1, keepdims=True)
            if (needed <= 1.0).all():
                return z.argmax(axis=-1)
            ranked = np.sort(weights, axis=-1)[:, ::-1]
            before = ranked.cumsum(axis=-1) - ranked  # the mass of the likelier classes
            smallest = np.where(before < needed, ranked, np.inf).min(axis=-1, keepdims=True)
            weights = np.where(weights >= smallest, weights, 0.0)
        cumulative = weights.cumsum(axis=-1)
        pick = (cumulative <= rng.random((len(weights), 1)) * cumulative[:, -1:]).sum(axis=-1)
        return np.minimum(pick, weights.shape[-1] - 1)

    def two(
        self, first: np.ndarray, second: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Two fields of a batch in one call: their rows stacked, the narrower padded."""
        rows, width = first.shape
        z = np.full((2 * rows, max(width, second.shape[1])), -np.inf, dtype=np.float32)
        z[:rows, :width] = first
        z[rows:, : second.shape[1]] = second
        picks = self(z, None, rng)
        return picks[:rows], picks[rows:]
